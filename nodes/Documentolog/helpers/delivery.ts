/**
 * Documentolog webhook bodies (docs/vendor-apis.md › Documentolog › Webhooks): reading both
 * documented shapes, and mapping them to the normalized event (docs/vendor-apis.md › Normalized
 * event).
 *
 * Shapes (both documented):
 * - the Business guide's, flat: `{event, doc_id, …}` for document_sent, signer_signed,
 *   signer_declined and document_completed (the last with the download lists);
 * - the Open API guide's, wrapped: `{content: {document, download_all_files, download_files…}}`,
 *   with no `event` and no `doc_id`: a completion.
 * Parsing rule (inferred): `p = body.content (if an object) ?? body`;
 * `event = p.event ?? (p has any completion field ? 'document_completed' : unknown)`; a missing
 * doc_id falls back to the correlation id the caller put in the webhook URL.
 */
import { createHash } from 'crypto';
import {
	type EsignEvent,
	type EsignEventOutput,
	type EsignFile,
	type EsignFileKind,
	type EsignRawDelivery,
	type EsignSigner,
	dedupeKey,
} from '../../shared/events';
import { isHttpUrl, isObject } from '../../shared/validation';
import {
	type CompletionFile,
	type CompletionPayload,
	WEBHOOK_EVENTS,
	type WebhookEvent,
} from './types';

export const EVENT_MAP: Record<WebhookEvent, EsignEvent> = {
	document_sent: 'document.sent',
	signer_signed: 'signer.signed',
	signer_declined: 'signer.declined',
	document_completed: 'document.completed',
};

/** The download lists of a completion, by the kind the normalized model gives them. */
export const FILE_LISTS = {
	original: 'download_files',
	signed: 'download_files_with_eds',
	'signed-ez': 'download_files_with_eds_ez',
} as const satisfies Partial<Record<EsignFileKind, keyof CompletionPayload>>;

const COMPLETION_FIELDS = [
	'document',
	'download_all_files',
	...Object.values(FILE_LISTS),
] as const satisfies ReadonlyArray<keyof CompletionPayload>;

export interface Delivery {
	event: WebhookEvent;
	/** The vendor's `doc_id` (`KZ` + 24 digits in the examples; treated as opaque). */
	docId?: string;
	signer?: { name?: string; recipient?: string };
	completion?: CompletionPayload;
	shape: 'flat' | 'wrapped';
}

export type DeliveryParse = { ok: true; delivery: Delivery } | { ok: false; problem: string };

/** Opaque ids only: nothing that could break out of a URL or a key. */
const DOC_ID = /^[A-Za-z0-9._-]{1,100}$/;

function isWebhookEvent(value: unknown): value is WebhookEvent {
	return typeof value === 'string' && (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

function readFiles(value: unknown, field: string): CompletionFile[] | string {
	if (!Array.isArray(value)) return `Malformed ${field}`;
	const files: CompletionFile[] = [];
	for (const entry of value) {
		if (
			!isObject(entry) ||
			typeof entry.name !== 'string' ||
			entry.name.trim() === '' ||
			typeof entry.link !== 'string' ||
			!isHttpUrl(entry.link)
		) {
			return `Malformed ${field}`;
		}
		files.push({ name: entry.name, link: entry.link });
	}
	return files;
}

function readCompletion(p: Record<string, unknown>): CompletionPayload | string {
	const completion: CompletionPayload = {};
	for (const field of ['document', 'download_all_files'] as const) {
		if (p[field] === undefined || p[field] === null) continue;
		if (typeof p[field] !== 'string' || !isHttpUrl(p[field])) return `Malformed ${field}`;
		completion[field] = p[field];
	}
	for (const field of Object.values(FILE_LISTS)) {
		if (p[field] === undefined || p[field] === null) continue;
		const files = readFiles(p[field], field);
		if (typeof files === 'string') return files;
		completion[field] = files;
	}
	if (
		completion.document === undefined &&
		completion.download_all_files === undefined &&
		Object.values(FILE_LISTS).every((field) => completion[field] === undefined)
	) {
		return 'Completion event without any file links';
	}
	return completion;
}

/** Checks what the trigger relies on; everything else stays in `raw` as sent. */
export function parseDelivery(body: Record<string, unknown>): DeliveryParse {
	const wrapped = isObject(body.content);
	const p = wrapped ? (body.content as Record<string, unknown>) : body;
	let event: unknown = p.event;
	if (event === undefined || event === null) {
		// The guides name download_files and download_all_files; any completion field counts here
		// (inferred).
		if (COMPLETION_FIELDS.some((field) => p[field] !== undefined && p[field] !== null)) {
			event = 'document_completed';
		} else return { ok: false, problem: 'Missing event' };
	}
	if (typeof event !== 'string') return { ok: false, problem: 'Malformed event' };
	if (!isWebhookEvent(event)) {
		return { ok: false, problem: `Unknown event "${event.slice(0, 60)}"` };
	}
	const delivery: Delivery = { event, shape: wrapped ? 'wrapped' : 'flat' };
	const docId = p.doc_id;
	if (docId !== undefined && docId !== null) {
		if (typeof docId !== 'string' || !DOC_ID.test(docId)) {
			return { ok: false, problem: 'Malformed doc_id' };
		}
		delivery.docId = docId;
	} else if (event !== 'document_completed') {
		return { ok: false, problem: 'Missing doc_id' };
	}
	if (event === 'signer_signed' || event === 'signer_declined') {
		const signer = p.signer;
		if (!isObject(signer)) return { ok: false, problem: 'Missing signer' };
		const name = signer.name;
		const recipient =
			typeof signer.recipient === 'number' ? String(signer.recipient) : signer.recipient;
		if ((name !== undefined && typeof name !== 'string') || typeof recipient !== 'string') {
			return { ok: false, problem: 'Malformed signer' };
		}
		delivery.signer = { recipient, ...(typeof name === 'string' ? { name } : {}) };
	}
	if (event === 'document_completed') {
		const completion = readCompletion(p);
		if (typeof completion === 'string') return { ok: false, problem: completion };
		delivery.completion = completion;
	}
	return { ok: true, delivery };
}

/** Every file link of a completion as normalized files. */
export function completionFiles(completion: CompletionPayload | undefined): EsignFile[] {
	if (!completion) return [];
	const files: EsignFile[] = [];
	for (const [kind, field] of Object.entries(FILE_LISTS) as Array<
		[keyof typeof FILE_LISTS, (typeof FILE_LISTS)[keyof typeof FILE_LISTS]]
	>) {
		for (const file of completion[field] ?? [])
			files.push({ name: file.name, url: file.link, kind });
	}
	if (completion.download_all_files) {
		files.push({ url: completion.download_all_files, kind: 'archive-zip' });
	}
	if (completion.document) files.push({ url: completion.document, kind: 'view' });
	return files;
}

/**
 * The document a delivery is about: `doc_id`, else the caller's correlation id from the URL, else
 * (the Open API guide's completions carry neither) an id made from the view link, which is per
 * document.
 */
export function documentIdOf(delivery: Delivery, correlationId?: string): string {
	if (delivery.docId) return delivery.docId;
	if (correlationId) return correlationId;
	const anchor =
		delivery.completion?.document ??
		delivery.completion?.download_all_files ??
		JSON.stringify(delivery.completion ?? {});
	return `links-${createHash('sha256').update(anchor).digest('hex').slice(0, 24)}`;
}

export function eventSigner(delivery: Delivery): EsignSigner | undefined {
	if (!delivery.signer) return undefined;
	const signer: EsignSigner = {};
	if (delivery.signer.name) signer.name = delivery.signer.name;
	if (delivery.signer.recipient) signer.identifier = delivery.signer.recipient;
	return signer;
}

export function deliveryDedupeKey(delivery: Delivery, correlationId?: string): string {
	return dedupeKey(
		'documentolog',
		documentIdOf(delivery, correlationId),
		EVENT_MAP[delivery.event],
		eventSigner(delivery),
	);
}

/** The normalized event. Documentolog sends no time, so `occurredAt` is the time of receipt. */
export function toEsignEvent(
	delivery: Delivery,
	raw: EsignRawDelivery,
	receivedAt: Date,
	correlationId?: string,
): EsignEventOutput & { correlationId?: string } {
	const output: EsignEventOutput & { correlationId?: string } = {
		vendor: 'documentolog',
		event: EVENT_MAP[delivery.event],
		documentId: documentIdOf(delivery, correlationId),
		occurredAt: receivedAt.toISOString(),
		verified: false,
		dedupeKey: deliveryDedupeKey(delivery, correlationId),
		raw,
	};
	const signer = eventSigner(delivery);
	if (signer) output.signer = signer;
	const files = completionFiles(delivery.completion);
	if (files.length) output.files = files;
	if (correlationId) output.correlationId = correlationId;
	return output;
}
