/**
 * What every vendor trigger needs at its security boundary (docs/vendor-apis.md › Normalized event;
 * modelled on n8n's `packages/nodes-base/utils/webhook-signature-verification.ts`, which community
 * nodes cannot import): constant-time secret checks, and answers the node writes itself
 * (`noWebhookResponse`) so the vendor always sees a definite status code. The bounded dedupe store
 * in workflow static data is dedupe.ts; the triggers import it from here too.
 */
import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject, INodeType, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { redact } from './apiError';
import { isObject } from './validation';

export {
	type DedupeOptions,
	clearDedupeMemory,
	dedupeScope,
	hasSeen,
	readRemembered,
	rememberOnce,
	syncRemembered,
	webhookDedupe,
} from './dedupe';

/**
 * Constant-time string comparison. Both sides are hashed first, so neither the content nor the
 * length of the expected value leaks through timing.
 */
export function safeEqual(a: string, b: string): boolean {
	const x = createHash('sha256').update(a, 'utf8').digest();
	const y = createHash('sha256').update(b, 'utf8').digest();
	return timingSafeEqual(x, y) && a.length === b.length;
}

/**
 * Checks the secret a callback URL carries (`?secret=…`). No configured secret means no check.
 * A missing, repeated (`?secret=a&secret=b`) or non-string value never matches.
 */
export function urlSecretMatches(expected: string, query: unknown, parameter = 'secret'): boolean {
	if (expected === '') return true;
	const given = urlSecretOf(query, parameter);
	return given !== undefined && safeEqual(given, expected);
}

/** The one string value of the URL secret; undefined when missing, repeated or not a string. */
function urlSecretOf(query: unknown, parameter = 'secret'): string | undefined {
	const given = isObject(query) ? query[parameter] : undefined;
	return typeof given === 'string' ? given : undefined;
}

/**
 * What a URL secret must be: one expected value (empty: no check), or a check of the given value
 * for triggers that accept more than one secret.
 */
export type UrlSecretCheck = string | ((given: string) => boolean);

/** A copy of the query without the named parameters (the URL secret must not reach the output). */
export function queryWithout(query: unknown, names: readonly string[]): IDataObject {
	if (!isObject(query)) return {};
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(query)) {
		if (!names.includes(key)) out[key] = value as IDataObject[string];
	}
	return out;
}

/** Request headers that may carry credentials of a proxy in front of n8n; never emitted. */
const PRIVATE_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/** The inbound headers for audit output, minus any that could carry someone's credentials. */
export function headersForAudit(headers: unknown): IDataObject {
	if (!isObject(headers)) return {};
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(headers)) {
		if (value !== undefined && !PRIVATE_HEADERS.has(key.toLowerCase())) {
			out[key] = value as IDataObject[string];
		}
	}
	return out;
}

/**
 * The request as it may appear in output (`raw`): the body, the headers minus credentials, and the
 * query minus the named parameters (URL secrets, resume signatures).
 */
export function auditedRequest(
	ctx: IWebhookFunctions,
	body: Record<string, unknown>,
	query: unknown,
	hiddenParameters: readonly string[],
): { body: Record<string, unknown>; headers: IDataObject; query: IDataObject } {
	return {
		body,
		headers: headersForAudit(ctx.getHeaderData()),
		query: queryWithout(query, hiddenParameters),
	};
}

/** Replaces every occurrence of the given secrets in every string of a JSON-like value. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
	const live = secrets.filter((secret) => secret && secret.length >= 4);
	if (live.length === 0) return value;
	const walk = (node: unknown): unknown => {
		if (typeof node === 'string') return redact(node, live);
		if (Array.isArray(node)) return node.map(walk);
		if (isObject(node)) {
			return Object.fromEntries(Object.entries(node).map(([key, entry]) => [key, walk(entry)]));
		}
		return node;
	};
	return walk(value) as T;
}

// ----- Answers ---------------------------------------------------------------------------------

/**
 * Writes the HTTP answer itself and tells n8n not to add one. With `workflowData` the execution
 * still starts; without it none does.
 */
export function respond(
	ctx: IWebhookFunctions,
	statusCode: number,
	body: IDataObject,
	headers: Record<string, string> = {},
): IWebhookResponseData {
	const res = ctx.getResponseObject();
	if (!res.headersSent) {
		for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
		res.status(statusCode).json(body);
	}
	return { noWebhookResponse: true };
}

/** 200 and no execution: the vendor stops retrying, the workflow does not run. */
export function acknowledge(ctx: IWebhookFunctions): IWebhookResponseData {
	return respond(ctx, 200, { received: true });
}

export function unauthorized(ctx: IWebhookFunctions): IWebhookResponseData {
	return respond(ctx, 401, { message: 'Unauthorized' });
}

export function badRequest(ctx: IWebhookFunctions, message: string): IWebhookResponseData {
	return respond(ctx, 400, { message });
}

/** The answer to a body `readJsonObjectBody` refused: 413 when too large, else 400. */
export function refuseBody(
	ctx: IWebhookFunctions,
	refused: Extract<JsonBodyResult, { ok: false }>,
): IWebhookResponseData {
	return respond(ctx, refused.status, { message: refused.problem });
}

export function methodNotAllowed(ctx: IWebhookFunctions, allowed: string): IWebhookResponseData {
	return respond(ctx, 405, { message: `Use ${allowed}` }, { Allow: allowed });
}

/** 405 for anything but POST; undefined when the method is fine. */
export function refuseUnlessPost(ctx: IWebhookFunctions): IWebhookResponseData | undefined {
	const method = ctx.getRequestObject().method;
	if (method !== undefined && method.toUpperCase() !== 'POST') return methodNotAllowed(ctx, 'POST');
	return undefined;
}

/**
 * None of the vendors has a webhook registration API: the URL travels with each document, so
 * n8n's lifecycle hooks have nothing to create, check or delete.
 */
export const unregisteredWebhookMethods = {
	default: {
		checkExists: async () => true,
		create: async () => true,
		delete: async () => true,
	},
} satisfies NonNullable<INodeType['webhookMethods']>;

/** Non-2xx on purpose: the vendor retries later, when the check may succeed. */
export function tryLater(ctx: IWebhookFunctions, message: string): IWebhookResponseData {
	return respond(ctx, 503, { message });
}

// ----- Body ------------------------------------------------------------------------------------

export type JsonBodyResult =
	| { ok: true; body: Record<string, unknown> }
	/** `status`: 413 for a body over the size limit, else 400. */
	| { ok: false; problem: string; status: 400 | 413 };

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

/** Upper bound for a vendor event body (webhook or resume call). */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

/**
 * What every trigger checks first, in order: the URL secret (401), then a JSON object body (400).
 * `response` is the answer already written when a check fails.
 */
export function readSecuredEvent(
	ctx: IWebhookFunctions,
	secret: UrlSecretCheck,
	secretParameter: string,
):
	| { ok: true; body: Record<string, unknown>; query: IDataObject }
	| { ok: false; response: IWebhookResponseData } {
	const query = ctx.getQueryData() as IDataObject;
	const given = urlSecretOf(query, secretParameter);
	const authentic =
		typeof secret === 'string'
			? urlSecretMatches(secret, query, secretParameter)
			: given !== undefined && secret(given);
	if (!authentic) {
		return { ok: false, response: unauthorized(ctx) };
	}
	const read = readJsonObjectBody(ctx);
	if (!read.ok) return { ok: false, response: refuseBody(ctx, read) };
	return { ok: true, body: read.body, query };
}

/**
 * The request body as a JSON object. Accepts `application/json` (and `+json` types), and JSON
 * text sent as `text/plain` or without a content type; anything else, or JSON that is not an
 * object, is refused.
 */
export function readJsonObjectBody(ctx: IWebhookFunctions): JsonBodyResult {
	const headers = ctx.getHeaderData();
	const contentType = String(headers['content-type'] ?? '')
		.split(';')[0]
		.trim()
		.toLowerCase();
	if (contentType !== '' && contentType !== 'text/plain' && !JSON_TYPE.test(contentType)) {
		return { ok: false, problem: `Expected a JSON body, got ${contentType}`, status: 400 };
	}
	// Every vendor's event is a few hundred bytes; a large body is not an event and is not kept.
	const raw: unknown = ctx.getRequestObject().rawBody;
	const declared = Number(headers['content-length']);
	const size = Buffer.isBuffer(raw) ? raw.length : Number.isFinite(declared) ? declared : 0;
	if (size > MAX_WEBHOOK_BODY_BYTES) {
		return {
			ok: false,
			problem: `Body is larger than ${MAX_WEBHOOK_BODY_BYTES / 1024} KiB`,
			status: 413,
		};
	}
	const parsed: unknown = ctx.getBodyData();
	if (isObject(parsed) && Object.keys(parsed).length > 0) return { ok: true, body: parsed };
	if (parsed !== undefined && parsed !== null && typeof parsed !== 'string' && !isObject(parsed)) {
		return { ok: false, problem: 'Body is not a JSON object', status: 400 };
	}
	let text: string | undefined;
	if (typeof parsed === 'string') text = parsed;
	else if (Buffer.isBuffer(raw) && raw.length > 0) text = raw.toString('utf8');
	if (text === undefined || text.trim() === '') {
		return isObject(parsed)
			? { ok: true, body: parsed }
			: { ok: false, problem: 'Empty body', status: 400 };
	}
	let value: unknown;
	try {
		value = JSON.parse(text.replace(/^\uFEFF/, ''));
	} catch {
		return { ok: false, problem: 'Body is not valid JSON', status: 400 };
	}
	return isObject(value)
		? { ok: true, body: value }
		: { ok: false, problem: 'Body is not a JSON object', status: 400 };
}
