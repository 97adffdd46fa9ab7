/**
 * The trigger's URL secret. Documentolog neither signs its webhooks nor has a status endpoint to
 * re-check an event against (docs/vendor-apis.md › Documentolog › Webhooks), so a secret in the
 * callback URL is the only thing that tells a real delivery from a forged one. It is required,
 * never optional.
 *
 * How it is generated (design choice, explained): the secret is HMAC-SHA256(credential key,
 * "documentolog-trigger:" + the trigger node's webhookId), where the credential key is the
 * credential's optional Webhook Signing Key, else its API key.
 * - Nothing has to be shared. n8n keeps only non-default parameter values, so a "generated default"
 *   parameter would be regenerated (and silently rotated) on every restart; a secret written to
 *   static data in the `create()` lifecycle hook cannot be shown to the user nor read by the action
 *   node in another workflow. A derived secret is stable, per trigger node (the webhookId is a
 *   random UUID n8n gives each webhook node), and works the same in queue mode.
 * - Both nodes compute it. The action node's Create Signing Session adds it to a trigger URL pasted
 *   as its Webhook URL, and the read-only Webhook → Get Trigger URL operation prints the full URL
 *   for callers outside n8n. The user never handles the secret by hand.
 * - Rotation: a new API key (or Webhook Signing Key) gives URLs issued from then on a new secret.
 *   URLs issued before keep working: the trigger remembers each secret it has issued or accepted,
 *   as a digest in its static data (helpers/keyring.ts), from its activation and from every
 *   authentic delivery, so there is nothing to set in advance. The other side: rotating no longer
 *   revokes an old URL. To revoke one (say it leaked), replace the trigger node: the new node has a
 *   new webhookId, so a new URL and secret, and the old URLs get 404.
 * The trigger and the action node must use the same credential (or credentials with the same key).
 */
import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/** Query parameter that carries the secret. */
export const SECRET_PARAMETER = 'secret';

/** Query parameter for the caller's own correlation id (the create answer has no doc_id). */
export const CORRELATION_PARAMETER = 'ref';

/** A correlation id: safe in a query string unencoded, and short. */
export const CORRELATION_ID = /^[A-Za-z0-9._~-]{1,100}$/;

/** What a correlation id that fails CORRELATION_ID is told. */
export const CORRELATION_ID_RULE =
	'may contain only letters, digits, ".", "_", "~" and "-" (at most 100)';

/** The key material of a credential: its Webhook Signing Key when set, else its API key. */
export function signingKeyOf(credentials: IDataObject): string {
	const dedicated = String(credentials.webhookSigningSecret ?? '').trim();
	return dedicated || String(credentials.apiKey ?? '').trim();
}

export function deriveWebhookSecret(key: string, webhookId: string): string {
	return createHmac('sha256', key).update(`documentolog-trigger:${webhookId}`).digest('hex');
}

/**
 * The webhook id in an n8n trigger URL: `…/<webhookId>/webhook` (production, `/webhook/…`, or test,
 * `/webhook-test/…`; the prefixes are configurable in n8n, so only the tail is matched).
 */
export function triggerWebhookId(url: string): string | undefined {
	let pathname: string;
	try {
		pathname = new URL(url).pathname;
	} catch {
		return undefined;
	}
	const match = /\/([A-Za-z0-9_-]{8,100})\/webhook\/?$/.exec(pathname);
	return match?.[1];
}

/** The URL with `name=value` set in its query, the rest (and its order) untouched. */
export function withQueryParameter(url: string, name: string, value: string): string {
	const parsed = new URL(url);
	parsed.searchParams.set(name, value);
	return parsed.toString();
}

/**
 * Adds the trigger secret to a Documentolog Trigger URL. A URL that already carries a secret, or
 * that is not shaped like a trigger URL, is returned unchanged with `added: false`.
 */
export function withTriggerSecret(url: string, key: string): { url: string; added: boolean } {
	const webhookId = triggerWebhookId(url);
	if (!webhookId || !key || new URL(url).searchParams.has(SECRET_PARAMETER)) {
		return { url, added: false };
	}
	return {
		url: withQueryParameter(url, SECRET_PARAMETER, deriveWebhookSecret(key, webhookId)),
		added: true,
	};
}

/** The URL with the secret's value replaced, for output that may be shown or logged. */
export function maskSecret(url: string): string {
	try {
		const parsed = new URL(url);
		if (!parsed.searchParams.has(SECRET_PARAMETER)) return url;
		parsed.searchParams.set(SECRET_PARAMETER, '***');
		return parsed.toString();
	} catch {
		return url;
	}
}
