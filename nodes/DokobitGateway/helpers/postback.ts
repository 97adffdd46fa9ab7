/**
 * Gateway postbacks (docs/vendor-apis.md › Dokobit Documents Gateway › Postbacks): reading the
 * unsigned body, confirming it against `GET /api/signing/{token}/status.json`, and mapping it to
 * the normalized event (docs/vendor-apis.md › Normalized event).
 */
import {
	type EsignEvent,
	type EsignEventOutput,
	type EsignFile,
	type EsignRawDelivery,
	type EsignSigner,
	dedupeKey,
	isSignatureLevel,
	vendorTimeToIso,
} from '../../shared/events';
import { statusOutput } from './output';
import { isObject } from '../../shared/validation';
import {
	POSTBACK_ACTIONS,
	type Postback,
	type PostbackAction,
	type SignerStatus,
	type SigningStatus,
} from './types';
import { TOKEN } from './validation';

export const POSTBACK_EVENTS: Record<PostbackAction, EsignEvent> = {
	signer_signed: 'signer.signed',
	signing_completed: 'document.completed',
	signing_archived: 'document.archived',
	signing_archive_failed: 'document.failed',
};

/** Events that carry the signed file (`file` in the body; `GET /api/signing/{token}/download`). */
export const FILE_ACTIONS: readonly PostbackAction[] = ['signing_completed', 'signing_archived'];

export function isPostbackAction(value: unknown): value is PostbackAction {
	return typeof value === 'string' && (POSTBACK_ACTIONS as readonly string[]).includes(value);
}

export type PostbackParse = { ok: true; postback: Postback } | { ok: false; problem: string };

function text(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Checks the fields the trigger relies on; everything else is kept as sent. */
export function parsePostback(body: Record<string, unknown>): PostbackParse {
	const token = text(body.token);
	if (token === undefined) return { ok: false, problem: 'Missing token' };
	if (!TOKEN.test(token)) return { ok: false, problem: 'Malformed token' };
	const action = text(body.action);
	if (action === undefined) return { ok: false, problem: 'Missing action' };
	if (!isPostbackAction(action)) {
		return { ok: false, problem: `Unknown action "${action.slice(0, 60)}"` };
	}
	const postback: Postback = { ...body, token, action };
	const signer = text(body.signer);
	if (signer !== undefined) postback.signer = signer;
	else delete postback.signer;
	if (body.file !== undefined && typeof body.file !== 'string') {
		return { ok: false, problem: 'Malformed file' };
	}
	const info = body.signer_info;
	if (info !== undefined && !isObject(info) && !(Array.isArray(info) && info.every(isObject))) {
		return { ok: false, problem: 'Malformed signer_info' };
	}
	return { ok: true, postback };
}

/**
 * `signer_info` arrives as an object (vendor guide) or as a list (seen in third-party code). From a
 * list, the entry whose `code` is the postback's `signer` wins, else the first one.
 */
export function signerInfoOf(postback: Postback): Record<string, unknown> | undefined {
	const info = postback.signer_info;
	if (isObject(info)) return info;
	if (!Array.isArray(info)) return undefined;
	const entries = info.filter(isObject);
	return entries.find((entry) => text(entry.code) === postback.signer) ?? entries[0];
}

/**
 * The signer a `signer_signed` postback is about, in the signing status: by key (the status keys
 * signers by id; the vendor guide shows signer tokens as keys), then by personal code from
 * `signer_info`.
 */
export function findSigner(
	status: SigningStatus,
	postback: Postback,
): { id: string; signer: SignerStatus } | undefined {
	const signers = status.signers ?? {};
	if (postback.signer !== undefined && isObject(signers[postback.signer])) {
		return { id: postback.signer, signer: signers[postback.signer] };
	}
	const code = text(signerInfoOf(postback)?.code);
	if (code === undefined) return undefined;
	const match = Object.entries(signers).find(
		([, signer]) => isObject(signer) && text(signer.code) === code,
	);
	return match ? { id: match[0], signer: match[1] } : undefined;
}

/**
 * Whether the re-fetched status (`GET /api/signing/{token}/status.json`) bears the postback out.
 * - signer_signed: that signer is `signed`.
 * - signing_completed: the signing is `completed`, or already `archived` (archiving follows
 *   completion).
 * - signing_archived: the signing is `archived`.
 * - signing_archive_failed: the signing is `failed`, or still `completed` (never archived).
 *   Inferred: the Gateway does not document the status after a failed archiving; our reading of the
 *   states (docs/vendor-apis.md › Dokobit Documents Gateway › States) guesses `failed`, and a
 *   signing whose archiving failed plausibly stays `completed`. `pending` and `archived` contradict
 *   the failure, so those are refused.
 */
export function confirmsPostback(postback: Postback, status: SigningStatus): boolean {
	switch (postback.action) {
		case 'signer_signed':
			return findSigner(status, postback)?.signer.status === 'signed';
		case 'signing_completed':
			return status.status === 'completed' || status.status === 'archived';
		case 'signing_archived':
			return status.status === 'archived';
		case 'signing_archive_failed':
			return status.status === 'failed' || status.status === 'completed';
		default:
			return false;
	}
}

/** The signer part of the event: ids from the postback, name and fallbacks from the status. */
export function eventSigner(postback: Postback, status?: SigningStatus): EsignSigner | undefined {
	if (postback.action !== 'signer_signed') return undefined;
	const info = signerInfoOf(postback) ?? {};
	const match = status ? findSigner(status, postback) : undefined;
	const fromStatus: Record<string, unknown> = match?.signer ?? {};
	const name = [text(fromStatus.name), text(fromStatus.surname)].filter(Boolean).join(' ');
	const level = text(info.type) ?? text(fromStatus.type);
	const signer: EsignSigner = {
		id: postback.signer ?? match?.id,
		name: name || undefined,
		identifier: text(info.code) ?? text(fromStatus.code),
		method: text(info.signing_option) ?? text(fromStatus.signing_option),
		level: isSignatureLevel(level) ? level : undefined,
	};
	return withoutUndefined(signer);
}

/** Removes the `access_token` parameter, should a file URL ever carry one. */
export function withoutAccessToken(url: string): string {
	try {
		const parsed = new URL(url);
		if (!parsed.searchParams.has('access_token')) return url;
		parsed.searchParams.delete('access_token');
		return parsed.toString();
	} catch {
		return url;
	}
}

export function eventFiles(postback: Postback, status?: SigningStatus): EsignFile[] | undefined {
	if (!FILE_ACTIONS.includes(postback.action)) return undefined;
	const url = text(postback.file) ?? text(status?.file);
	return url ? [{ url: withoutAccessToken(url), kind: 'signed' }] : undefined;
}

/**
 * The vendor's time where the status has one (the signer's `signing_time`; for completion, the
 * newest signing time), else the time of receipt. Archive events carry no time of their own.
 */
export function occurredAt(postback: Postback, receivedAt: Date, status?: SigningStatus): string {
	const received = receivedAt.toISOString();
	if (!status) return received;
	if (postback.action === 'signer_signed') {
		return vendorTimeToIso(findSigner(status, postback)?.signer.signing_time) ?? received;
	}
	if (postback.action === 'signing_completed') {
		const times = Object.values(status.signers ?? {})
			.map((signer) => (isObject(signer) ? vendorTimeToIso(signer.signing_time) : undefined))
			.filter((time): time is string => time !== undefined)
			.sort();
		return times.at(-1) ?? received;
	}
	return received;
}

/**
 * `dokobit:<token>:<event>:<signer>`, built from the postback alone so that every retry of one
 * delivery gets the same key whatever the status says. Only signer events name a signer.
 */
export function postbackDedupeKey(postback: Postback): string {
	const event = POSTBACK_EVENTS[postback.action];
	if (postback.action !== 'signer_signed') return dedupeKey('dokobit', postback.token, event);
	return dedupeKey('dokobit', postback.token, event, {
		id: postback.signer,
		identifier: text(signerInfoOf(postback)?.code),
	});
}

/**
 * The normalized event for one postback; `status` is the re-fetched signing status when verified.
 */
export function toEsignEvent(
	postback: Postback,
	raw: EsignRawDelivery,
	receivedAt: Date,
	status?: SigningStatus,
): EsignEventOutput {
	return withoutUndefined({
		vendor: 'dokobit',
		event: POSTBACK_EVENTS[postback.action],
		documentId: postback.token,
		signer: eventSigner(postback, status),
		files: eventFiles(postback, status),
		occurredAt: occurredAt(postback, receivedAt, status),
		status: status ? statusOutput(postback.token, status) : undefined,
		verified: status !== undefined,
		dedupeKey: postbackDedupeKey(postback),
		raw,
	});
}

function withoutUndefined<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
