/**
 * The sendInfo callback (docs/vendor-apis.md › OKdokument › Callback): reading the unauthenticated
 * body, confirming it against `GET /JSON/document/metadata/{id}`, and mapping it to the normalized
 * event (docs/vendor-apis.md › Normalized event).
 */
import {
	type EsignEvent,
	type EsignEventOutput,
	type EsignRawDelivery,
	dedupeKey,
} from '../../shared/events';
import { documentOutput } from './output';
import {
	type DocumentMetadata,
	type OutcomeState,
	type SendInfoCallback,
	isOutcomeState,
} from './types';
import { DOCUMENT_ID, SIGNATURE_REQUEST_ID } from './validation';

export const OUTCOME_EVENTS: Record<OutcomeState, EsignEvent> = {
	signed: 'document.completed',
	canceled: 'document.declined',
};

export interface ParsedCallback extends SendInfoCallback {
	state?: OutcomeState;
}

export type CallbackParse = { ok: true; callback: ParsedCallback } | { ok: false; problem: string };

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * `{state, id, signatureRequestId}`. Inferred: a cancel may be spelled "cancelled" as well as the
 * vendor's "canceled"; both are read as `canceled`. `state` may be missing (the partner connector's
 * notification has none); the trigger then takes it from the re-fetched metadata.
 */
export function parseCallback(body: Record<string, unknown>): CallbackParse {
	const id = text(body.id) ?? text(body.documentId);
	if (id === undefined) return { ok: false, problem: 'Missing id' };
	if (!DOCUMENT_ID.test(id)) return { ok: false, problem: 'Malformed id' };
	if (body.state !== undefined && body.state !== null && typeof body.state !== 'string') {
		return { ok: false, problem: `Unknown state "${String(body.state).slice(0, 40)}"` };
	}
	let state = text(body.state)?.toLowerCase();
	if (state === 'cancelled') state = 'canceled';
	if (state !== undefined && !isOutcomeState(state)) {
		return { ok: false, problem: `Unknown state "${state.slice(0, 40)}"` };
	}
	const signatureRequestId = text(body.signatureRequestId);
	if (signatureRequestId !== undefined && !SIGNATURE_REQUEST_ID.test(signatureRequestId)) {
		return { ok: false, problem: 'Malformed signatureRequestId' };
	}
	const callback: ParsedCallback = { ...body, id };
	if (state !== undefined) callback.state = state;
	else delete callback.state;
	if (signatureRequestId !== undefined) callback.signatureRequestId = signatureRequestId;
	else delete callback.signatureRequestId;
	return { ok: true, callback };
}

/** The outcome the metadata bears out: the callback's own state only when the metadata shows it. */
export function confirmedOutcome(
	callback: ParsedCallback,
	metadata: DocumentMetadata,
): OutcomeState | undefined {
	if (!isOutcomeState(metadata.state)) return undefined;
	if (callback.state !== undefined && callback.state !== metadata.state) return undefined;
	return metadata.state;
}

/**
 * `okdokument:<documentId>:<event>:<signatureRequestId>`: one execution per document, outcome and
 * round however often the same callback arrives. The round matters: in a multi-round flow the same
 * document is signed once per round.
 */
export function callbackDedupeKey(callback: ParsedCallback, outcome: OutcomeState): string {
	return dedupeKey('okdokument', callback.id, OUTCOME_EVENTS[outcome], {
		id: callback.signatureRequestId,
	});
}

/**
 * A second key for the same outcome, from the verified metadata: the document's `modification`
 * time marks the round (inferred: it changes when the state does). A replay that makes up a new
 * signatureRequestId for an outcome already emitted still matches this key.
 */
export function roundDedupeKey(
	callback: ParsedCallback,
	outcome: OutcomeState,
	metadata: DocumentMetadata | undefined,
): string | undefined {
	if (typeof metadata?.modification !== 'string' || metadata.modification === '') return undefined;
	return `${dedupeKey('okdokument', callback.id, OUTCOME_EVENTS[outcome])}@${metadata.modification}`;
}

/**
 * The normalized event. `occurredAt` is the time of receipt: the metadata's `date` is the upload
 * time and its `modification` has no time zone (inferred), so neither dates the outcome reliably.
 */
export function toEsignEvent(
	callback: ParsedCallback,
	outcome: OutcomeState,
	raw: EsignRawDelivery,
	receivedAt: Date,
	baseUrl: string,
	metadata?: DocumentMetadata,
): EsignEventOutput {
	const event: EsignEventOutput = {
		vendor: 'okdokument',
		event: OUTCOME_EVENTS[outcome],
		documentId: callback.id,
		occurredAt: receivedAt.toISOString(),
		verified: metadata !== undefined,
		dedupeKey: callbackDedupeKey(callback, outcome),
		raw,
	};
	if (callback.signatureRequestId) event.signer = { id: callback.signatureRequestId };
	if (outcome === 'signed') {
		event.files = [
			{
				url: `${baseUrl}/JSON/document/${encodeURIComponent(callback.id)}`,
				kind: 'signed',
				...(metadata?.filename ? { name: metadata.filename } : {}),
			},
		];
	}
	if (metadata) event.status = documentOutput(metadata);
	return event;
}
