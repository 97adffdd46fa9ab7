import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import {
	describeFailure,
	isRetryable,
	isTimeout,
	readStreamedErrorBody,
	redact,
	toApiError,
	unreadableAnswer,
} from './apiError';
import {
	type ConcurrencyCaps,
	type RefusalWait,
	type RequestKind,
	adaptiveLimitOf,
} from './concurrency';
import {
	type RetryPolicy,
	pauseRequests,
	retryPolicyOf,
	waitOutPause,
	waitOutsideWindow,
} from './retry';
import { abortableSleep } from './sleep';

export { describeFailure } from './apiError';
export { MAX_RETRIES, MAX_TIMEOUT_RETRIES } from './retry';

export type ApiContext =
	| IExecuteFunctions
	| IHookFunctions
	| IWebhookFunctions
	| ILoadOptionsFunctions
	| IPollFunctions;

/**
 * What the shared transport needs to know about one vendor. With its host table
 * (`nodes/shared/hosts.ts`, which gives `baseUrl` and the credential's host fields) this is a
 * vendor's whole transport; its calls go through `vendorRequest`.
 */
export interface VendorApi {
	/** n8n credential type name, e.g. `dokobitGatewayApi`. */
	credentialType: string;
	/** Product name used in error messages. */
	vendorName: string;
	/** Base URL (no trailing slash) derived from the decrypted credential: the host table's. */
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
	/** Changes to the shared retry policy (`nodes/shared/retry.ts`); reads only, never creates. */
	retry?: Partial<RetryPolicy>;
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
 * How long a request may take. One object, read at request time, so tests can shorten the limits
 * instead of waiting a minute for a hanging server.
 */
export const requestTimeouts = {
	/** Every API call unless it says otherwise. */
	defaultMs: 60_000,
	/** Streamed file downloads. */
	downloadMs: 300_000,
};

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

/** The base URL of the node's credential for this vendor (read once per node run). */
export async function credentialBaseUrl(ctx: ApiContext, api: VendorApi): Promise<string> {
	return api.baseUrl(await cachedCredentials(ctx, api.credentialType));
}

/** The vendor's message from an error body, with the credential's secrets taken out. */
export async function vendorErrorText(
	ctx: ApiContext,
	api: VendorApi,
	body: unknown,
): Promise<string | undefined> {
	const message = api.errorMessage(body);
	if (message === undefined) return undefined;
	return redact(message, secretsOf(api, await cachedCredentials(ctx, api.credentialType)));
}

function cancelSignal(ctx: ApiContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
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

/** One prepared call: the request, the credential n8n authenticates it with, and its secrets. */
interface PreparedCall {
	api: VendorApi;
	path: `/${string}`;
	options: ApiRequestOptions;
	request: IHttpRequestOptions;
	credentialsDecrypted: ICredentialsDecrypted;
	secrets: string[];
	policy: RetryPolicy;
	signal: AbortSignal | undefined;
}

async function prepareCall(
	ctx: ApiContext,
	api: VendorApi,
	method: IHttpRequestMethods,
	path: `/${string}`,
	options: ApiRequestOptions,
): Promise<PreparedCall> {
	const credentials = await cachedCredentials(ctx, api.credentialType);
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
	const reference = ctx.getNode().credentials?.[api.credentialType];
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: reference?.id ?? '',
		name: reference?.name ?? '',
		type: api.credentialType,
		data: credentials as ICredentialDataDecryptedObject,
	};
	const secrets = secretsOf(api, credentials);
	const policy = retryPolicyOf(api);
	return {
		api,
		path,
		options,
		request,
		credentialsDecrypted,
		secrets,
		policy,
		signal: cancelSignal(ctx),
	};
}

/** Retry state of one call: attempts so far, and how many of them timed out. */
interface Attempts {
	attempt: number;
	timeouts: number;
}

/**
 * After a failed attempt: waits for the next one, or throws the error to report. Creates
 * (`idempotent: false`) are never tried again.
 */
async function afterFailure(
	ctx: ApiContext,
	call: PreparedCall,
	error: unknown,
	refusalWait: RefusalWait | undefined,
	tries: Attempts,
): Promise<void> {
	const { options, policy, signal } = call;
	const failure = describeFailure(error);
	const delay = policy.delayMs(tries.attempt, failure.headers?.['retry-after']);
	const givingUp =
		!options.idempotent ||
		tries.attempt >= policy.maxRetries ||
		!isRetryable(failure) ||
		(isTimeout(failure) && ++tries.timeouts > policy.maxTimeoutRetries) ||
		signal?.aborted === true;
	// A 429 pauses the whole node run, creates included (they fail, but the next item waits),
	// unless Auto found that it only asks this read to wait (a limit on requests in flight).
	const waitAlone = failure.status === 429 && refusalWait === 'alone' && !givingUp;
	if (failure.status === 429 && !waitAlone) pauseRequests(ctx, delay);
	if (givingUp) {
		await readStreamedErrorBody(error);
		throw toApiError(ctx.getNode(), call.api, error, call.secrets, options.itemIndex, {
			path: call.path,
			timeoutMs: call.request.timeout,
			idempotent: options.idempotent,
		});
	}
	const limiter = adaptiveLimitOf(ctx);
	if (waitAlone && limiter) await waitOutsideWindow(limiter, delay, signal);
	else if (failure.status !== 429) await abortableSleep(delay, signal);
}

/**
 * One request to a vendor, authenticated by n8n from the credential. The host always comes from the
 * credential; `path` is a path, so no parameter can send the secret to another host. Reads
 * (`idempotent: true`) are retried by the vendor's retry policy; creates never are.
 */
export async function vendorRequest<T = unknown>(
	this: ApiContext,
	api: VendorApi,
	method: IHttpRequestMethods,
	path: `/${string}`,
	options: ApiRequestOptions,
): Promise<T> {
	const call = await prepareCall(this, api, method, path, options);
	// "Request Concurrency: Auto" learns from every attempt's answer (absent with a fixed number).
	const limiter = adaptiveLimitOf(this);
	const kind = requestKind(options);
	const tries: Attempts = { attempt: 0, timeouts: 0 };
	for (; ; tries.attempt++) {
		await waitOutPause(this, call.signal);
		const ticket = limiter?.start(kind, api.concurrencyCaps);
		let result: unknown;
		try {
			result = await this.helpers.httpRequestWithAuthentication.call(
				this,
				api.credentialType,
				{ ...call.request },
				{ credentialsDecrypted: call.credentialsDecrypted },
			);
			if (ticket) limiter?.finish(ticket, 'ok');
		} catch (error) {
			const failure = describeFailure(error);
			const overloaded = failure.status === 429 || failure.status === 503;
			const refusalWait = ticket
				? limiter?.finish(ticket, overloaded ? 'overloaded' : 'other')
				: undefined;
			await afterFailure(this, call, error, refusalWait, tries);
			continue;
		}
		return checkedAnswer(this, call, result) as T;
	}
}

/**
 * A JSON API that answers 2xx with text (a truncated body, a proxy's HTML page) has not said what
 * it did: that is a failure, not an item holding the text.
 */
function checkedAnswer(ctx: ApiContext, call: PreparedCall, result: unknown): unknown {
	const { request } = call;
	const expectsJson = request.json && !request.encoding && !request.returnFullResponse;
	if (expectsJson && typeof result === 'string' && result.trim() !== '') {
		throw unreadableAnswer(ctx.getNode(), call.api, result, call.secrets, call.options.itemIndex);
	}
	return result;
}
