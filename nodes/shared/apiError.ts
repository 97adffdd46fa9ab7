import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { isObject } from './validation';

/** What the error texts need to know about the vendor (a `VendorApi`). */
interface ErrorVendor {
	vendorName: string;
	errorMessage(body: unknown): string | undefined;
	subjectOf?(path: string): string | undefined;
}

/** The request that failed, as far as the error text names it. */
export interface FailedRequest {
	path?: string;
	timeoutMs?: number;
	idempotent?: boolean;
}

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

export function isRetryable(failure: HttpFailure): boolean {
	if (failure.status !== undefined) return RETRYABLE_STATUS.has(failure.status);
	return failure.code !== undefined && RETRYABLE_NETWORK_CODES.has(failure.code);
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
function fieldErrorLines(errors: Record<string, unknown>): string[] {
	return Object.entries(errors).map(
		([field, reasons]) =>
			`${field}: ${Array.isArray(reasons) ? reasons.join(' ') : String(reasons)}`,
	);
}

/** The entries of an `errors` list: strings, and with `objectEntries` `{message, field}` objects. */
function errorListLines(errors: unknown[], objectEntries: boolean): string[] {
	const lines: string[] = [];
	for (const entry of errors) {
		if (typeof entry === 'string') lines.push(entry);
		else if (objectEntries && isObject(entry) && typeof entry.message === 'string') {
			lines.push(entry.field ? `${String(entry.field)}: ${entry.message}` : entry.message);
		}
	}
	return lines;
}

/**
 * The reader of `{message, errors}` error bodies (Documentolog's as our emulator assumes it, the
 * Dokobit Gateway's): the message, then `errors` (a list of strings, with `objectEntries` also of
 * `{message, field}`, or a field → reasons map), joined with "; ". A blank message is left out
 * unless `keepBlankMessage`.
 */
export function messageAndErrors(
	body: unknown,
	{ keepBlankMessage = false, objectEntries = false } = {},
): string | undefined {
	body = parsedErrorBody(body);
	if (!isObject(body)) return undefined;
	const parts: string[] = [];
	const message = body.message;
	if (typeof message === 'string' && (keepBlankMessage || message.trim() !== '')) {
		parts.push(message);
	}
	const errors = body.errors;
	if (Array.isArray(errors)) parts.push(...errorListLines(errors, objectEntries));
	else if (isObject(errors)) parts.push(...fieldErrorLines(errors));
	return parts.length ? parts.join('; ') : undefined;
}

/** The message and description of a failure with no HTTP status (timeouts, network, SSRF). */
function unansweredText(
	api: ErrorVendor,
	failure: HttpFailure,
	request: FailedRequest,
	vendorText: string | undefined,
	mayHaveArrived: string,
): { message: string; description?: string } {
	if (failure.ssrfBlocked) {
		return {
			message: `n8n’s SSRF protection blocked the request to ${api.vendorName}`,
			description:
				`${failure.message ?? 'The host is restricted'}. Nothing was sent. Ask your n8n administrator ` +
				'to allow the host (N8N_SSRF_ALLOWED_HOSTNAMES or N8N_SSRF_ALLOWED_IP_RANGES).',
		};
	}
	if (isTimeout(failure)) {
		const seconds = request.timeoutMs ? ` within ${request.timeoutMs / 1000} s` : '';
		return {
			message: `${api.vendorName} did not answer${seconds} (timeout)`,
			description: vendorText ?? mayHaveArrived,
		};
	}
	const code = failure.code ?? '';
	const what = NETWORK_FAILURES[code] ?? 'a network error';
	const detail = code || failure.message || 'network error';
	// Only a connection that never opened proves the request was not sent. n8n 1.x hands over
	// a dropped connection without its code, with a text that says to retry at once.
	return {
		message: `Could not reach ${api.vendorName}: ${what}`,
		description: NEVER_SENT_CODES.has(code)
			? (vendorText ?? detail)
			: `${detail}. ${mayHaveArrived}`,
	};
}

/** The message of an HTTP status; the description stays the vendor's own text unless noted. */
function answeredText(
	api: ErrorVendor,
	status: number,
	request: FailedRequest,
	vendorText: string | undefined,
	mayHaveArrived: string,
): { message: string; description?: string } {
	const name = api.vendorName;
	if (status === 401 || status === 403) {
		return { message: `${name} refused the credentials (HTTP ${status})`, description: vendorText };
	}
	if (status === 404) {
		const subject = request.path ? api.subjectOf?.(request.path) : undefined;
		const message = `${name} could not find ${subject ?? 'the requested resource'} (HTTP 404)`;
		return { message, description: vendorText };
	}
	if (status === 429)
		return { message: `${name} rate limit reached (HTTP 429)`, description: vendorText };
	if (status >= 200 && status < 300) {
		// The vendor accepted the request; its answer broke off (connection closed mid-body).
		const lost =
			request.idempotent === false
				? `${name} has probably done it; check there before sending it again.`
				: mayHaveArrived;
		return {
			message: `${name} accepted the request, but its answer was lost (HTTP ${status})`,
			description: vendorText ?? lost,
		};
	}
	return { message: `${name} answered HTTP ${status}`, description: vendorText };
}

/** The request was sent but its answer never came: a create may have been done. */
function answerLost(failure: HttpFailure): boolean {
	if (failure.status !== undefined) return failure.status >= 200 && failure.status < 300;
	if (failure.ssrfBlocked) return false;
	return isTimeout(failure) || !NEVER_SENT_CODES.has(failure.code ?? '');
}

/**
 * Builds a fresh NodeApiError from the vendor's answer. The original error is dropped on purpose:
 * it carries the request config, and Dokobit's token sits in that config's query string.
 */
export function toApiError(
	node: INode,
	api: ErrorVendor,
	error: unknown,
	secrets: readonly string[],
	itemIndex?: number,
	request: FailedRequest = {},
): NodeApiError {
	const failure = describeFailure(error);
	const vendorMessage = api.errorMessage(failure.data);
	const vendorText = vendorMessage ? redact(vendorMessage, secrets) : undefined;
	// n8n replaces any error message that contains a Node error code (ECONNRESET…) with a generic
	// text that names neither the vendor nor the item; the code therefore goes in the description.
	const mayHaveArrived =
		request.idempotent === false
			? `The request may still have reached ${api.vendorName}; check there before sending it again.`
			: 'The request was read-only and can be run again.';
	const status = failure.status;
	const text =
		status === undefined || failure.ssrfBlocked
			? unansweredText(api, failure, request, vendorText, mayHaveArrived)
			: answeredText(api, status, request, vendorText, mayHaveArrived);
	const { description } = text;
	let { message } = text;
	// A create whose answer was lost may have been done: the advice belongs in the message itself
	// (the toast, an error item's `error`), not only in the description.
	if (request.idempotent === false && answerLost(failure)) {
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

/** A 2xx answer whose body is not the JSON the vendor's API always sends. */
export function unreadableAnswer(
	node: INode,
	api: ErrorVendor,
	body: string,
	secrets: readonly string[],
	itemIndex?: number,
): NodeApiError {
	const message = `${api.vendorName} sent an answer that is not valid JSON`;
	const start = redact(body, secrets).trim().slice(0, 80);
	const description = `The answer began with: ${start}`;
	return new NodeApiError(node, { message, description }, { message, description, itemIndex });
}

const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * With `encoding: 'stream'` an error response's body is an unread stream, and the vendor's reason
 * would be lost. Reads up to 64 KiB of it back into the error, in place.
 */
export async function readStreamedErrorBody(error: unknown): Promise<void> {
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
