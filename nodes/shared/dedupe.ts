/**
 * The dedupe store of the vendor triggers and resume calls: one execution per vendor event.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { isObject } from './validation';

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
