import type { IDataObject } from 'n8n-workflow';
import { isObject } from '../../shared/validation';
import type { Counters, DocumentMetadata } from './types';

/**
 * Metadata as the vendor sends it, plus `createdAt`: `date` (epoch ms) as ISO-8601. Inferred: `date`
 * is the upload time (it matches the document `number`); `modification` is local time without a
 * zone and is passed on untouched.
 */
export function documentOutput(metadata: DocumentMetadata): IDataObject {
	const date = Number(metadata.date);
	return {
		...metadata,
		createdAt: Number.isFinite(date) && date > 0 ? new Date(date).toISOString() : null,
	} as IDataObject;
}

/**
 * `GET /JSON/counter` as sent, plus `summary`: the `actual` counters as numbers under their last
 * name part (`abc.availableSignatureRequests` → `availableSignatureRequests`; `abc.deleted.f` →
 * `deleted`).
 */
export function countersOutput(counters: Counters): IDataObject {
	const summary: IDataObject = {};
	for (const [key, value] of Object.entries(counters.actual ?? {})) {
		const name = key.replace(/\.f$/, '').split('.').pop() ?? key;
		const number = Number(value);
		summary[name] = Number.isFinite(number) ? number : value;
	}
	return { ...(counters as IDataObject), summary };
}

/** The vendor's `message` of a write's answer, as `{ message }`, or nothing when it sent none. */
export function vendorMessageOutput(response: unknown): IDataObject {
	return isObject(response) && typeof response.message === 'string'
		? { message: response.message }
		: {};
}
