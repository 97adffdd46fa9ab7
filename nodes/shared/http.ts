import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	IPollFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import {
	type AdaptiveLimit,
	type ConcurrencyCaps,
	type RequestKind,
	adaptiveLimitOf,
} from './concurrency';
import { abortableSleep } from './sleep';

export type ApiContext =
	| IExecuteFunctions
	| IHookFunctions
	| IWebhookFunctions
	| ILoadOptionsFunctions
	| IPollFunctions;

/** What the shared transport needs to know about one vendor. */
export interface VendorApi {
	/** n8n credential type name, e.g. `dokobitGatewayApi`. */
	credentialType: string;
	/** Product name used in error messages. */
	vendorName: string;
	/** Base URL (no trailing slash) derived from the decrypted credential. */
	baseUrl(credentials: IDataObject): string;
	/** Pulls the vendor's own message out of an error body, if it has one. */
	errorMessage(body: unknown): string | undefined;
	/** Credential fields that are secrets and must never appear in any error text. */
	secretFields: readonly string[];
	/**
	 * What a request path names, in the node's own words (e.g. `Signing Token "abc"`), so a 404
	 * says which of the user's inputs the vendor does not know.
	 */
	subjectOf?(path: string): string | undefined;
	/** Upper bounds of "Request Concurrency: Auto" for this vendor, per kind of request. */
	concurrencyCaps?: Partial<ConcurrencyCaps>;
}

export interface ApiRequestOptions {
	qs?: IDataObject;
	body?: IHttpRequestOptions['body'];
	headers?: IDataObject;
	/** Only idempotent requests are retried. A create is never idempotent: a duplicate is a second legal document. */
	idempotent: boolean;
	itemIndex?: number;
	timeoutMs?: number;
	encoding?: IHttpRequestOptions['encoding'];
	returnFullResponse?: boolean;
	json?: boolean;
}

/**
 * An error body as the vendors' message readers take it: a Buffer or text is parsed as JSON, and
 * text that is not JSON is cut to its start (an HTML error page, a proxy's message).
 */
export function parsedErrorBody(body: unknown): unknown {
	const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
	if (typeof text !== 'string') return text;
	try {
		return JSON.parse(text);
	} catch {
		return text.slice(0, 300);
	}
}

/** An error body's `{field: [reasons]}` map as one `field: reason reason` line per field. */
export function fieldErrorLines(errors: Record<string, unknown>): string[] {
	return Object.entries(errors).map(
		([field, reasons]) =>
			`${field}: ${Array.isArray(reasons) ? reasons.join(' ') : String(reasons)}`,
	);
}

export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * How long a request may take. One object, read at request time, so tests can shorten the limits
 * instead of waiting a minute for a hanging server.
 */
export const requestTimeouts = {
	/** Every API call unless it says otherwise. */
	defaultMs: DEFAULT_TIMEOUT_MS,
	/** Streamed file downloads. */
	downloadMs: 300_000,
};
export const MAX_RETRIES = 4;
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT']);
const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);
const MAX_BACKOFF_MS = 30_000;
/** Network failures that happen before anything is sent: no connection was ever open. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);
const NETWORK_FAILURES: Record<string, string> = {
	ECONNRESET: 'the connection was closed unexpectedly',
	EPIPE: 'the connection was closed unexpectedly',
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name does not resolve',
	EAI_AGAIN: 'the host name could not be resolved',
	EHOSTUNREACH: 'the host is unreachable',
};

/** The errors n8n's SSRF protection (N8N_SSRF_PROTECTION_ENABLED, n8n 2.x) throws before connecting. */
const SSRF_BLOCKED = new Set(['SsrfBlockedIpError', 'SsrfBlockedHostnameError']);

interface HttpFailure {
	status?: number;
	headers?: Record<string, unknown>;
	data?: unknown;
	code?: string;
	message?: string;
	/** n8n's SSRF protection refused the host: nothing was sent. */
	ssrfBlocked?: boolean;
}

/** Reads status, headers, body and network code from whatever n8n's request helper threw. */
export function describeFailure(error: unknown): HttpFailure {
	const outer = error as { cause?: unknown; httpCode?: string | null; name?: string };
	const inner = (outer?.cause && typeof outer.cause === 'object' ? outer.cause : error) as {
		response?: { status?: number; headers?: Record<string, unknown>; data?: unknown };
		code?: string;
		message?: string;
		name?: string;
	};
	const status =
		inner?.response?.status ?? (outer?.httpCode ? Number(outer.httpCode) || undefined : undefined);
	return {
		status,
		headers: inner?.response?.headers,
		data: inner?.response?.data,
		code: inner?.code,
		message: inner?.message,
		...(SSRF_BLOCKED.has(inner?.name ?? '') || SSRF_BLOCKED.has(outer?.name ?? '')
			? { ssrfBlocked: true }
			: {}),
	};
}

/** The vendor did not answer within the request's timeout. */
export function isTimeout(failure: HttpFailure): boolean {
	return (
		failure.status === undefined &&
		((failure.code !== undefined && TIMEOUT_CODES.has(failure.code)) ||
			/\btimeout\b/i.test(failure.message ?? ''))
	);
}

/**
 * A read that timed out is tried once more, not `MAX_RETRIES` times: a server that hangs usually
 * keeps hanging, and four more full timeouts would stall the run for minutes.
 */
export const MAX_TIMEOUT_RETRIES = 1;

export function isRetryable(failure: HttpFailure): boolean {
	if (failure.status !== undefined) return RETRYABLE_STATUS.has(failure.status);
	return failure.code !== undefined && RETRYABLE_NETWORK_CODES.has(failure.code);
}

/**
 * Delay before retry number `attempt` (0-based): the server's `Retry-After` (seconds or HTTP date)
 * when given, else exponential backoff with jitter. Capped so a hostile header cannot stall a run.
 */
export function retryDelayMs(
	attempt: number,
	retryAfter: unknown,
	now: number = Date.now(),
	random: () => number = Math.random,
): number {
	// RFC 9110: delay-seconds (digits only) or an HTTP-date; anything else gets normal backoff.
	const header = typeof retryAfter === 'string' ? retryAfter.trim() : '';
	const ms = /^\d+$/.test(header)
		? Number(header) * 1000
		: /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(header)
			? Date.parse(header) - now
			: Number.NaN;
	if (Number.isFinite(ms)) return Math.min(Math.max(0, ms), MAX_BACKOFF_MS);
	const base = 500 * 2 ** attempt;
	return Math.min(base + Math.floor(random() * base * 0.25), MAX_BACKOFF_MS);
}

/** Replaces every occurrence of each secret (and its URL-encoded form) with a placeholder. */
export function redact(text: string, secrets: readonly string[]): string {
	let out = text;
	for (const secret of secrets) {
		if (!secret || secret.length < 4) continue;
		for (const form of new Set([secret, encodeURIComponent(secret)])) {
			out = out.split(form).join('[redacted]');
		}
	}
	return out;
}

/**
 * The decrypted credential, read once per node run (context) and type. In n8n every
 * `getCredentials` is a database read, a decryption and an expression pass; with hundreds of items
 * that adds up. None of our credentials change during a run (no token refresh writes back).
 */
const credentialCache = new WeakMap<object, Map<string, Promise<IDataObject>>>();

export async function cachedCredentials(ctx: ApiContext, type: string): Promise<IDataObject> {
	let perType = credentialCache.get(ctx);
	if (!perType) credentialCache.set(ctx, (perType = new Map()));
	let pending = perType.get(type);
	if (!pending) {
		pending = ctx.getCredentials<IDataObject>(type);
		perType.set(type, pending);
		// A failed read is not remembered: the next call tries again.
		pending.catch(() => perType.delete(type));
	}
	return await pending;
}

function secretsOf(api: VendorApi, credentials: IDataObject): string[] {
	return api.secretFields.map((field) => String(credentials[field] ?? '')).filter(Boolean);
}

/**
 * Builds a fresh NodeApiError from the vendor's answer. The original error is dropped on purpose:
 * it carries the request config, and Dokobit's token sits in that config's query string.
 */
export function toApiError(
	node: INode,
	api: VendorApi,
	error: unknown,
	secrets: readonly string[],
	itemIndex?: number,
	request: { path?: string; timeoutMs?: number; idempotent?: boolean } = {},
): NodeApiError {
	const failure = describeFailure(error);
	const vendorMessage = api.errorMessage(failure.data);
	const status = failure.status;
	const subject = request.path ? api.subjectOf?.(request.path) : undefined;
	const timedOut = isTimeout(failure);
	let message: string;
	let description = vendorMessage ? redact(vendorMessage, secrets) : undefined;
	// n8n replaces any error message that contains a Node error code (ECONNRESET…) with a generic
	// text that names neither the vendor nor the item; the code therefore goes in the description.
	const mayHaveArrived =
		request.idempotent === false
			? `The request may still have reached ${api.vendorName}; check there before sending it again.`
			: 'The request was read-only and can be run again.';
	if (failure.ssrfBlocked) {
		message = `n8n’s SSRF protection blocked the request to ${api.vendorName}`;
		description =
			`${failure.message ?? 'The host is restricted'}. Nothing was sent. Ask your n8n administrator ` +
			'to allow the host (N8N_SSRF_ALLOWED_HOSTNAMES or N8N_SSRF_ALLOWED_IP_RANGES).';
	} else if (timedOut) {
		const seconds = request.timeoutMs ? ` within ${request.timeoutMs / 1000} s` : '';
		message = `${api.vendorName} did not answer${seconds} (timeout)`;
		description ??= mayHaveArrived;
	} else if (status === undefined) {
		const code = failure.code ?? '';
		const what = NETWORK_FAILURES[code] ?? 'a network error';
		message = `Could not reach ${api.vendorName}: ${what}`;
		const detail = code || failure.message || 'network error';
		// Only a connection that never opened proves the request was not sent. n8n 1.x hands over
		// a dropped connection without its code, with a text that says to retry at once.
		description = NEVER_SENT_CODES.has(code)
			? (description ?? detail)
			: `${detail}. ${mayHaveArrived}`;
	} else if (status === 401 || status === 403) {
		message = `${api.vendorName} refused the credentials (HTTP ${status})`;
	} else if (status === 404) {
		message = `${api.vendorName} could not find ${subject ?? 'the requested resource'} (HTTP 404)`;
	} else if (status === 429) {
		message = `${api.vendorName} rate limit reached (HTTP 429)`;
	} else if (status >= 200 && status < 300) {
		// The vendor accepted the request; its answer broke off (connection closed mid-body).
		message = `${api.vendorName} accepted the request, but its answer was lost (HTTP ${status})`;
		description ??=
			request.idempotent === false
				? `${api.vendorName} has probably done it; check there before sending it again.`
				: mayHaveArrived;
	} else {
		message = `${api.vendorName} answered HTTP ${status}`;
	}
	// A create whose answer was lost may have been done: the advice belongs in the message itself
	// (the toast, an error item's `error`), not only in the description.
	const answerLost =
		(timedOut && !failure.ssrfBlocked) ||
		(status === undefined && !NEVER_SENT_CODES.has(failure.code ?? '') && !failure.ssrfBlocked) ||
		(status !== undefined && status >= 200 && status < 300);
	if (request.idempotent === false && answerLost) {
		message = `${message}; check at ${api.vendorName} before sending it again`;
	}
	const safe: JsonObject = { message: redact(message, secrets) };
	if (description) safe.description = description;
	if (status !== undefined) safe.httpCode = String(status);
	return new NodeApiError(node, safe, {
		message: safe.message as string,
		description,
		httpCode: status !== undefined ? String(status) : undefined,
		itemIndex,
	});
}

const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * With `encoding: 'stream'` an error response's body is an unread stream, and the vendor's reason
 * would be lost. Reads up to 64 KiB of it back into the error, in place.
 */
async function readStreamedErrorBody(error: unknown): Promise<void> {
	const outer = error as { cause?: { response?: { data?: unknown } } };
	const response = outer?.cause?.response ?? (error as { response?: { data?: unknown } })?.response;
	const data = response?.data as AsyncIterable<Buffer> | undefined;
	if (!response || !data || typeof (data as { pipe?: unknown }).pipe !== 'function') return;
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of data) {
			chunks.push(Buffer.from(chunk));
			size += chunk.length;
			if (size >= MAX_ERROR_BODY_BYTES) break;
		}
	} catch {
		// a broken error body leaves the status code as the only information
	}
	response.data = Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY_BYTES);
}

function cancelSignal(ctx: ApiContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}

/**
 * When the vendor answers 429, every request of the same node run (one context, however many
 * items are in flight) holds off until the rate-limit pause is over, not just the one that got
 * the 429. Without this, concurrent items would keep hitting the limit, and each retry would
 * earn more 429s.
 */
const rateLimitPauses = new WeakMap<object, number>();

export function pauseRequests(ctx: object, ms: number, now: number = Date.now()): void {
	const until = now + Math.max(0, ms);
	if ((rateLimitPauses.get(ctx) ?? 0) < until) rateLimitPauses.set(ctx, until);
}

/** Milliseconds left of the current rate-limit pause of this context (0 when none). */
export function pauseRemainingMs(ctx: object, now: number = Date.now()): number {
	return Math.max(0, (rateLimitPauses.get(ctx) ?? 0) - now);
}

async function waitOutPause(ctx: object, signal: AbortSignal | undefined): Promise<void> {
	for (let wait = pauseRemainingMs(ctx); wait > 0; wait = pauseRemainingMs(ctx)) {
		await abortableSleep(wait, signal);
	}
}

/**
 * A read refused for the number in flight waits out its Retry-After outside Auto's window, so the
 * other items keep the vendor busy meanwhile, then takes the next free place before new items.
 */
async function waitOutsideWindow(
	limiter: AdaptiveLimit,
	ms: number,
	signal: AbortSignal | undefined,
): Promise<void> {
	limiter.stepOut();
	let waited = false;
	try {
		await abortableSleep(ms, signal);
		waited = true;
	} finally {
		// Cancelled: no queueing for a place, the item ends now and the runner lets go of it.
		if (!waited) limiter.rejoinNow();
	}
	await limiter.stepBackIn();
}

/** Bodies above this size make a request a file transfer for "Auto" (memory per item in flight). */
const FILE_BODY_BYTES = 1024 * 1024;

function requestKind(options: ApiRequestOptions): RequestKind {
	const body = options.body as unknown;
	const bulky =
		options.encoding === 'stream' ||
		(Buffer.isBuffer(body) && body.length > FILE_BODY_BYTES) ||
		(typeof body === 'string' && body.length > FILE_BODY_BYTES);
	if (bulky) return 'files';
	return options.idempotent ? 'reads' : 'writes';
}

/**
 * One request to a vendor, authenticated by n8n from the credential. The host always comes from the
 * credential; `path` is a path, so no parameter can send the secret to another host.
 */
export async function vendorRequest<T = unknown>(
	this: ApiContext,
	api: VendorApi,
	method: IHttpRequestMethods,
	path: `/${string}`,
	options: ApiRequestOptions,
): Promise<T> {
	const credentials = await cachedCredentials(this, api.credentialType);
	const secrets = secretsOf(api, credentials);
	const request: IHttpRequestOptions = {
		method,
		baseURL: api.baseUrl(credentials),
		url: path,
		qs: options.qs,
		body: options.body,
		headers: options.headers,
		json: options.json ?? true,
		encoding: options.encoding,
		returnFullResponse: options.returnFullResponse,
		timeout: options.timeoutMs ?? requestTimeouts.defaultMs,
		// A redirect could carry the query-string token elsewhere; vendors here never redirect API calls.
		disableFollowRedirect: true,
	};
	// Hands n8n the credential already read, so it does not read and decrypt it again per request.
	const reference = this.getNode().credentials?.[api.credentialType];
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: reference?.id ?? '',
		name: reference?.name ?? '',
		type: api.credentialType,
		data: credentials as ICredentialDataDecryptedObject,
	};
	const signal = cancelSignal(this);
	// "Request Concurrency: Auto" learns from every attempt's answer (absent with a fixed number).
	const limiter = adaptiveLimitOf(this);
	const kind = requestKind(options);
	let timeouts = 0;
	for (let attempt = 0; ; attempt++) {
		await waitOutPause(this, signal);
		let result: unknown;
		const ticket = limiter?.start(kind, api.concurrencyCaps);
		try {
			result = await this.helpers.httpRequestWithAuthentication.call(
				this,
				api.credentialType,
				{ ...request },
				{ credentialsDecrypted },
			);
			if (ticket) limiter?.finish(ticket, 'ok');
		} catch (error) {
			const failure = describeFailure(error);
			const overloaded = failure.status === 429 || failure.status === 503;
			const refusalWait = ticket
				? limiter?.finish(ticket, overloaded ? 'overloaded' : 'other')
				: undefined;
			const delay = retryDelayMs(attempt, failure.headers?.['retry-after']);
			const givingUp =
				!options.idempotent ||
				attempt >= MAX_RETRIES ||
				!isRetryable(failure) ||
				(isTimeout(failure) && ++timeouts > MAX_TIMEOUT_RETRIES) ||
				signal?.aborted === true;
			// A 429 pauses the whole node run, creates included (they fail, but the next item waits),
			// unless Auto found that it only asks this read to wait (a limit on requests in flight).
			const waitAlone = failure.status === 429 && refusalWait === 'alone' && !givingUp;
			if (failure.status === 429 && !waitAlone) pauseRequests(this, delay);
			if (givingUp) {
				await readStreamedErrorBody(error);
				throw toApiError(this.getNode(), api, error, secrets, options.itemIndex, {
					path,
					timeoutMs: request.timeout,
					idempotent: options.idempotent,
				});
			}
			if (waitAlone && limiter) await waitOutsideWindow(limiter, delay, signal);
			else if (failure.status !== 429) await abortableSleep(delay, signal);
			continue;
		}
		// A JSON API that answers 2xx with text (a truncated body, a proxy's HTML page) has not said
		// what it did: that is a failure, not an item holding the text.
		const expectsJson = request.json && !request.encoding && !request.returnFullResponse;
		if (expectsJson && typeof result === 'string' && result.trim() !== '') {
			throw unreadableAnswer(this.getNode(), api, result, secrets, options.itemIndex);
		}
		return result as T;
	}
}

/** "Item N: ", how every error of one input item starts (added by `runPerItem`). */
export function itemPrefix(itemIndex: number | undefined): string {
	return itemIndex === undefined ? '' : `Item ${itemIndex}: `;
}

/** A 2xx answer whose body is not the JSON the vendor's API always sends. */
export function unreadableAnswer(
	node: INode,
	api: VendorApi,
	body: string,
	secrets: readonly string[],
	itemIndex?: number,
): NodeApiError {
	const message = `${api.vendorName} sent an answer that is not valid JSON`;
	const start = redact(body, secrets).trim().slice(0, 80);
	const description = `The answer began with: ${start}`;
	return new NodeApiError(node, { message, description }, { message, description, itemIndex });
}

/** The origin+path prefix of a base URL, for checking that a vendor-supplied URL stays on it. */
export function isOnBase(url: string, baseUrl: string): boolean {
	let target: URL;
	let base: URL;
	try {
		target = new URL(url);
		base = new URL(baseUrl);
	} catch {
		return false;
	}
	if (!['http:', 'https:'].includes(target.protocol) || target.origin !== base.origin) return false;
	const prefix = base.pathname.replace(/\/+$/, '');
	return prefix === '' || target.pathname === prefix || target.pathname.startsWith(`${prefix}/`);
}

/** Turns a vendor URL into a path relative to the credential's base, or undefined if it points elsewhere. */
export function pathOnBase(url: string, baseUrl: string): `/${string}` | undefined {
	if (!isOnBase(url, baseUrl)) return undefined;
	const target = new URL(url);
	const prefix = new URL(baseUrl).pathname.replace(/\/+$/, '');
	const path = target.pathname.slice(prefix.length) || '/';
	return `${path}${target.search}` as `/${string}`;
}
