/**
 * Client-side checks for OKdokument (docs/vendor-apis.md › OKdokument:
 * `POST /JSON/signatureRequest`, Signing rules, Limits), all run before the first request so that a
 * bad item never reaches the vendor. Each failure names the item and the field.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { type Field, invalidField, isEmail, requireText, isObject } from '../../shared/validation';

/** Document ids are opaque URL-safe strings (38 to over 100 characters in the examples). */
export const DOCUMENT_ID = /^[A-Za-z0-9._~-]{1,400}$/;

/**
 * Client-chosen signature request ids are UUIDs in every example; the API only says "string".
 * Inferred: anything URL-safe, because the id becomes a path segment (`/openDocument/{id}`).
 * `off` is reserved: in an upload it means "storage only".
 */
export const SIGNATURE_REQUEST_ID = /^[A-Za-z0-9._~-]{1,100}$/;

/** E.164, as in the wiki's `+421905123456`. */
export const PHONE = /^\+[1-9]\d{7,14}$/;
/** `guiSignerName` is at most 40 characters (partner connector). */
export const MAX_SIGNER_NAME = 40;

export function requireDocumentId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	label: string | Field = 'Document ID',
): string {
	const id = requireText(ctx, itemIndex, label, value);
	if (!DOCUMENT_ID.test(id)) {
		throw invalidField(ctx, itemIndex, label, `"${id}" is not an OKdokument document ID`);
	}
	return id;
}

export function requireSignatureRequestId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	label: string | Field = 'Signature Request ID',
): string {
	const id = requireText(ctx, itemIndex, label, value);
	if (!SIGNATURE_REQUEST_ID.test(id) || id.toLowerCase() === 'off') {
		throw invalidField(
			ctx,
			itemIndex,
			label,
			`"${id}" is not a usable signature request ID`,
			'Use letters, digits, "-", "_", "." or "~" (a UUID is best); "off" is reserved.',
		);
	}
	return id;
}

export function requireEmail(
	ctx: IExecuteFunctions,
	itemIndex: number,
	label: string | Field,
	value: unknown,
): string {
	const email = requireText(ctx, itemIndex, label, value);
	if (!isEmail(email)) {
		throw invalidField(ctx, itemIndex, label, `"${email}" is not an e-mail address`);
	}
	return email;
}

/**
 * One or more addresses. The wiki's Rules page separates them with `;`, its §5.9 example with `|`;
 * both (and commas) are read, and `;` is sent (inferred).
 */
export function requireEmailList(
	ctx: IExecuteFunctions,
	itemIndex: number,
	label: string | Field,
	value: unknown,
): string {
	const list = requireText(ctx, itemIndex, label, value)
		.split(/[;,|]/)
		.map((entry) => entry.trim())
		.filter(Boolean);
	if (list.length === 0) throw invalidField(ctx, itemIndex, label, 'lists no e-mail address');
	for (const email of list) {
		if (!isEmail(email)) {
			throw invalidField(ctx, itemIndex, label, `"${email}" is not an e-mail address`);
		}
	}
	return list.join(';');
}

export function requirePhone(
	ctx: IExecuteFunctions,
	itemIndex: number,
	label: string | Field,
	value: unknown,
): string {
	const phone = requireText(ctx, itemIndex, label, value).replace(/[\s()-]/g, '');
	if (!PHONE.test(phone)) {
		throw invalidField(
			ctx,
			itemIndex,
			label,
			`"${String(value).trim()}" is not a phone number in international format`,
			'Write it with the country code, e.g. +421905123456',
		);
	}
	return phone;
}

/** `guiSignerName`, checked against its length limit. */
export function requireSignerName(
	ctx: IExecuteFunctions,
	itemIndex: number,
	label: string | Field,
	value: unknown,
): string {
	const name = requireText(ctx, itemIndex, label, value);
	if (name.length > MAX_SIGNER_NAME) {
		throw invalidField(
			ctx,
			itemIndex,
			label,
			`is ${name.length} characters long; OKdokument allows at most ${MAX_SIGNER_NAME}`,
		);
	}
	return name;
}

/** Whether an optional field was filled in: empty text counts as not set. */
export const filled = (value: unknown): boolean =>
	value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');

/** A JSON parameter as an object; undefined when empty or `{}`. */
export function parseJsonObject(
	ctx: IExecuteFunctions,
	itemIndex: number,
	label: string | Field,
	raw: unknown,
): Record<string, unknown> | undefined {
	let value = raw;
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string') {
		if (value.trim() === '' || value.trim() === '{}') return undefined;
		try {
			value = JSON.parse(value);
		} catch {
			throw invalidField(ctx, itemIndex, label, 'is not valid JSON');
		}
	}
	if (!isObject(value)) throw invalidField(ctx, itemIndex, label, 'must be a JSON object');
	return Object.keys(value).length ? value : undefined;
}

/** Extra rules as a JSON object, for rules without a field of their own. */
export function parseRulesJson(
	ctx: IExecuteFunctions,
	itemIndex: number,
	raw: unknown,
	label: Field,
): IDataObject | undefined {
	return parseJsonObject(ctx, itemIndex, label, raw) as IDataObject | undefined;
}
