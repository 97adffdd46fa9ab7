import type {
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
import { NodeApiError, sleep } from 'n8n-workflow';

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

export const DEFAULT_TIMEOUT_MS = 60_000;
export const MAX_RETRIES = 4;
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
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

interface HttpFailure {
	status?: number;
	headers?: Record<string, unknown>;
	data?: unknown;
	code?: string;
	message?: string;
}

/** Reads status, headers, body and network code from whatever n8n's request helper threw. */
export function describeFailure(error: unknown): HttpFailure {
	const outer = error as { cause?: unknown; httpCode?: string | null };
	const inner = (outer?.cause && typeof outer.cause === 'object' ? outer.cause : error) as {
		response?: { status?: number; headers?: Record<string, unknown>; data?: unknown };
		code?: string;
		message?: string;
	};
	const status =
		inner?.response?.status ?? (outer?.httpCode ? Number(outer.httpCode) || undefined : undefined);
	return {
		status,
		headers: inner?.response?.headers,
		data: inner?.response?.data,
		code: inner?.code,
		message: inner?.message,
	};
}

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
): NodeApiError {
	const failure = describeFailure(error);
	const vendorMessage = api.errorMessage(failure.data);
	const status = failure.status;
	let message: string;
	if (status === undefined) {
		message = `Could not reach ${api.vendorName}: ${failure.code ?? failure.message ?? 'network error'}`;
	} else if (status === 401 || status === 403) {
		message = `${api.vendorName} refused the credentials (HTTP ${status})`;
	} else if (status === 404) {
		message = `${api.vendorName} could not find the requested resource (HTTP 404)`;
	} else if (status === 429) {
		message = `${api.vendorName} rate limit reached (HTTP 429)`;
	} else {
		message = `${api.vendorName} answered HTTP ${status}`;
	}
	const description = vendorMessage ? redact(vendorMessage, secrets) : undefined;
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
	const credentials = await this.getCredentials<IDataObject>(api.credentialType);
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
		timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		// A redirect could carry the query-string token elsewhere; vendors here never redirect API calls.
		disableFollowRedirect: true,
	};
	const signal = cancelSignal(this);
	for (let attempt = 0; ; attempt++) {
		try {
			return (await this.helpers.httpRequestWithAuthentication.call(this, api.credentialType, {
				...request,
			})) as T;
		} catch (error) {
			const failure = describeFailure(error);
			if (
				!options.idempotent ||
				attempt >= MAX_RETRIES ||
				!isRetryable(failure) ||
				signal?.aborted
			) {
				await readStreamedErrorBody(error);
				throw toApiError(this.getNode(), api, error, secrets, options.itemIndex);
			}
			await sleep(retryDelayMs(attempt, failure.headers?.['retry-after']), signal);
		}
	}
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
