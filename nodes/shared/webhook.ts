/**
 * What every vendor trigger needs at its security boundary (docs/vendor-apis.md › Normalized event;
 * modelled on n8n's `packages/nodes-base/utils/webhook-signature-verification.ts`, which community
 * nodes cannot import): constant-time secret checks, a bounded dedupe store in workflow static
 * data, and answers the node writes itself (`noWebhookResponse`) so the vendor always sees a
 * definite status code.
 */
import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject, INodeType, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { redact } from './http';
import { isObject } from './validation';

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
export function urlSecretOf(query: unknown, parameter = 'secret'): string | undefined {
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

// ----- Dedupe store ---------------------------------------------------------------------------
//
// One execution per vendor event, as far as n8n lets a node know (README → Reliability rules).
// The store is node static data, which n8n loads with the workflow for every webhook request and
// saves after webhook() returns, before it answers (live-webhooks.js, `saveStaticData` in the
// `executeWebhook` callback). It is one JSON document saved with a plain UPDATE, so the save that
// comes last wins; each process also keeps its own copy in memory and merges it into every write.

export interface DedupeOptions {
	/** At most this many keys are kept; the oldest go first. */
	max?: number;
	/** Keys older than this are forgotten. Must outlast the vendor's retry window. */
	ttlMs?: number;
	/** Current time in ms (tests). */
	now?: number;
	/** Static-data field that holds the store. */
	field?: string;
	/**
	 * Names the store (workflow + node, see `dedupeScope`) so this process also keeps a copy in
	 * memory. The copy decides for every request this process handles, also for those handled at
	 * the same time, and is merged back into static data whenever static data lacks part of it
	 * (another process saved a copy loaded before this process's last save).
	 */
	scope?: string;
	/**
	 * The webhook's HTTP response. Given, `syncRemembered` marks a store written in this request as
	 * changed once more after webhook() has returned, until n8n has answered: see `markChanged`.
	 */
	response?: { readonly headersSent: boolean };
}

/**
 * Dokobit retries for 25 hours (+5 min, +1 h, +24 h), so keys live 3 days. 500 keys of ~80 bytes
 * keep the workflow's static data around 40 kB.
 */
export const DEDUPE_DEFAULTS = { max: 500, ttlMs: 3 * 24 * 3600_000, field: 'seen' } as const;

/** Store shape in static data: event key → time first seen (ms since epoch). */
export type SeenKeys = Record<string, number>;

/** Per-process copies of the stores, by scope; bounded like the stores themselves. */
const processMemory = new Map<string, SeenKeys>();
const MAX_SCOPES = 1000;

/** Static-data objects this process wrote a store into (one object per request). */
const writtenStores = new WeakSet<IDataObject>();

/** A stable name for one trigger node's store: workflow id plus node id (or name). */
export function dedupeScope(ctx: Pick<IWebhookFunctions, 'getNode' | 'getWorkflow'>): string {
	const node = ctx.getNode();
	return `${ctx.getWorkflow().id ?? ''}:${node.id ?? node.name}`;
}

/** The options a trigger's webhook() passes to `hasSeen`, `rememberOnce` and `syncRemembered`. */
export function webhookDedupe(ctx: IWebhookFunctions): DedupeOptions {
	return { scope: dedupeScope(ctx), response: ctx.getResponseObject() };
}

/** Forgets the in-memory copies (tests; what a restart does). */
export function clearDedupeMemory(): void {
	processMemory.clear();
}

function resolve(options: DedupeOptions) {
	return {
		max: Math.max(1, Math.floor(options.max ?? DEDUPE_DEFAULTS.max)),
		ttlMs: Math.max(0, options.ttlMs ?? DEDUPE_DEFAULTS.ttlMs),
		now: options.now ?? Date.now(),
		field: options.field ?? DEDUPE_DEFAULTS.field,
		scope: options.scope,
	};
}

/** The store as read from static data, ignoring anything malformed. */
export function readSeen(staticData: IDataObject, field: string = DEDUPE_DEFAULTS.field): SeenKeys {
	const stored = staticData[field];
	const out: SeenKeys = {};
	if (!isObject(stored)) return out;
	for (const [key, at] of Object.entries(stored)) {
		if (typeof at === 'number' && Number.isFinite(at)) out[key] = at;
	}
	return out;
}

/** Unexpired entries, oldest first. */
function liveEntries(seen: SeenKeys, ttlMs: number, now: number): Array<[string, number]> {
	const live = Object.entries(seen).filter(([, at]) => now - at < ttlMs);
	return live.sort((a, b) => a[1] - b[1]);
}

/** Drops expired keys, then the oldest ones until at most `max` remain. */
export function pruneSeen(seen: SeenKeys, max: number, ttlMs: number, now: number): SeenKeys {
	return Object.fromEntries(liveEntries(seen, ttlMs, now).slice(-max));
}

/** Static data and this process's copy together; the earlier time wins for a key in both. */
function merged(staticData: IDataObject, field: string, scope?: string): SeenKeys {
	const memory = scope === undefined ? undefined : processMemory.get(scope);
	return mergeInto(readSeen(staticData, field), memory ?? {});
}

/** `memory`'s keys added to a copy of `stored`; the earlier time wins for a key in both. */
function mergeInto(stored: SeenKeys, memory: SeenKeys): SeenKeys {
	const out = { ...stored };
	for (const [key, at] of Object.entries(memory)) {
		out[key] = out[key] === undefined ? at : Math.min(out[key], at);
	}
	return out;
}

function keepInMemory(scope: string, seen: SeenKeys): void {
	processMemory.delete(scope);
	processMemory.set(scope, seen);
	if (processMemory.size > MAX_SCOPES) {
		processMemory.delete(processMemory.keys().next().value as string);
	}
}

/** Every unexpired key of static data and this process's copy together. Reads only. */
export function readRemembered(staticData: IDataObject, options: DedupeOptions = {}): SeenKeys {
	const { max, ttlMs, now, field, scope } = resolve(options);
	return pruneSeen(merged(staticData, field, scope), max, ttlMs, now);
}

/**
 * Writes the store as a fresh object, so n8n's static-data proxy marks the workflow's static data
 * changed and saves it, and keeps the same keys in this process's copy.
 */
function writeStore(staticData: IDataObject, field: string, seen: SeenKeys, scope?: string): void {
	staticData[field] = seen;
	writtenStores.add(staticData);
	if (scope !== undefined) keepInMemory(scope, { ...seen });
}

/**
 * Static data without `key` although this process's copy has it: a save by another process that
 * had loaded static data before this process saved the key went over it. Writes the copy back, so
 * n8n saves the key again with this request.
 */
function restoreDropped(staticData: IDataObject, key: string, options: DedupeOptions): void {
	const { max, ttlMs, now, field, scope } = resolve(options);
	if (scope === undefined || readSeen(staticData, field)[key] !== undefined) return;
	writeStore(
		staticData,
		field,
		pruneSeen(merged(staticData, field, scope), max, ttlMs, now),
		scope,
	);
}

/**
 * True when `key` was remembered and has not expired. Changes nothing, except when only this
 * process's copy knows the key: then it writes the copy back (see `restoreDropped`).
 */
export function hasSeen(
	staticData: IDataObject,
	key: string,
	options: DedupeOptions = {},
): boolean {
	const { ttlMs, now, field, scope } = resolve(options);
	// Two lookups, not a merge of both stores: this runs for every incoming event.
	const stored = staticData[field];
	const fromStore = isObject(stored) ? stored[key] : undefined;
	const fromMemory = scope === undefined ? undefined : processMemory.get(scope)?.[key];
	const times = [fromStore, fromMemory].filter(
		(at): at is number => typeof at === 'number' && Number.isFinite(at),
	);
	const seen = times.length > 0 && now - Math.min(...times) < ttlMs;
	if (seen) restoreDropped(staticData, key, options);
	return seen;
}

/**
 * Remembers `key` and returns true the first time; returns false when it was already seen within
 * `ttlMs` (then it only writes back a key static data lost, see `hasSeen`). Within one process the
 * check and the record are one synchronous step, so of copies handled at the same time by one
 * process exactly one gets true.
 */
export function rememberOnce(
	staticData: IDataObject,
	key: string,
	options: DedupeOptions = {},
): boolean {
	const { max, ttlMs, now, field, scope } = resolve(options);
	const live = liveEntries(merged(staticData, field, scope), ttlMs, now);
	if (live.some(([seenKey]) => seenKey === key)) {
		restoreDropped(staticData, key, options);
		return false;
	}
	live.push([key, now]);
	writeStore(staticData, field, Object.fromEntries(live.slice(-max)), scope);
	return true;
}

/**
 * Call it last, just before webhook() returns: writes this process's copy back into static data
 * when static data lacks some of it (e.g. a key that a concurrent request remembered after this one
 * loaded its static data), so the save that comes last carries every key this process knows; and,
 * with `response`, keeps a store written in this request marked changed (`markChanged`).
 */
export function syncRemembered(staticData: IDataObject, options: DedupeOptions = {}): void {
	const { max, ttlMs, now, field, scope } = resolve(options);
	if (scope !== undefined) {
		const stored = readSeen(staticData, field);
		const memory = processMemory.get(scope) ?? {};
		// Usually static data already holds every key this process knows: nothing to merge or sort.
		if (Object.keys(memory).some((key) => stored[key] === undefined)) {
			const all = pruneSeen(mergeInto(stored, memory), max, ttlMs, now);
			if (Object.keys(all).some((key) => stored[key] === undefined)) {
				writeStore(staticData, field, all, scope);
			}
		}
	}
	if (options.response && writtenStores.has(staticData)) {
		void markChanged(staticData, field, options.response);
	}
}

/** When the marks fall after webhook() returned (ms): fine at first, then rarer. */
const MARK_DELAYS_MS = [1, 1, 2, 4, 8, 16, 32, 64, 128];

/**
 * Marks the store changed again after webhook() has returned, until n8n has answered. n8n 2.x
 * clears the mark in between: `WorkflowRunner.run` (establishContextForPersistence, npm
 * n8n@2.41.1 dist/workflow-runner.js 241–253) builds a second Workflow over the same static-data
 * object, and n8n-workflow's ObservableObject.create redefines its `__dataChanged` as false
 * (dist/cjs/observable-object.js), before live-webhooks.js checks it to save. That happens in the
 * same turn of the event loop as webhook()'s return, before the execution is stored and queued,
 * so a mark a millisecond later is in time; later marks are spares. Where nothing clears it (n8n
 * 1.x), a mark changes nothing. Once the answer is out n8n has saved (or never will).
 */
async function markChanged(
	staticData: IDataObject,
	field: string,
	response: { readonly headersSent: boolean },
): Promise<void> {
	for (const delay of MARK_DELAYS_MS) {
		await sleep(delay);
		if (response.headersSent) return;
		const store = staticData[field];
		if (isObject(store)) staticData[field] = { ...store } as IDataObject;
	}
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
