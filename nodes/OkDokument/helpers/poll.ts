/**
 * The Polling Trigger's memory, kept in the node's static data. `GET /JSON/list/flat` is not paged
 * and `modification` is local time with no zone, so a timestamp cursor alone could skip or repeat
 * documents. Instead the trigger keeps, per watched document, a fingerprint of what it last saw
 * (`state|modification`) and emits a document when its fingerprint is new. A document signed again
 * in a later round gets a new `modification` (inferred: it changes with every state change) and is
 * emitted again.
 *
 * Outcomes whose callback failed hide in `errorsendinfo` (a callback lost while n8n was down, or to
 * a trigger whose workflow was inactive): the poll always lists that state too, reads the real
 * outcome from the file (hiddenOutcome.ts) and reports it with the chosen events.
 */
import type { IDataObject } from 'n8n-workflow';
import { type EsignEvent, type EsignEventOutput, dedupeKey } from '../../shared/events';
import type { ApiContext } from '../../shared/http';
import {
	type HiddenOutcome,
	type HiddenOutcomeResult,
	resolveHiddenOutcome,
} from './hiddenOutcome';
import { documentOutput } from './output';
import type { ListedDocument } from './types';

/** States the Polling Trigger watches, and the event each becomes. */
export const POLL_EVENTS = {
	signed: 'document.completed',
	canceled: 'document.declined',
	errorsendinfo: 'document.failed',
} as const satisfies Record<string, EsignEvent>;
export type PollState = keyof typeof POLL_EVENTS;

/** The event for an outcome read from an `errorsendinfo` document's file. */
export const RECOVERED_EVENTS = {
	signed: 'document.completed',
	canceled: 'document.declined',
	unknown: 'document.failed',
} as const satisfies Record<HiddenOutcome, EsignEvent>;

export function isPollState(value: unknown): value is PollState {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(POLL_EVENTS, value);
}

/** The lists a poll reads: the chosen states, and `errorsendinfo`, where lost outcomes hide. */
export function listedStates(chosen: readonly PollState[]): PollState[] {
	return [...new Set<PollState>([...chosen, 'errorsendinfo'])];
}

/**
 * Whether an outcome read from an `errorsendinfo` document is reported. "Signed" and "Canceled"
 * take the documents read as theirs; "Callback Failed" takes every such document, with the outcome
 * read, or as `document.failed` when the file does not tell.
 */
export function reportsRecovered(outcome: HiddenOutcome, chosen: ReadonlySet<PollState>): boolean {
	if (chosen.has('errorsendinfo')) return true;
	return outcome !== 'unknown' && chosen.has(outcome);
}

/**
 * A document that leaves the watched lists (reopened, deleted, a list hiccup) is remembered this
 * long, so that it is not emitted twice if it comes back unchanged. OKdokument deletes signed
 * documents after 10 days and unsigned ones after 30 (the connector says 60).
 */
export const FORGET_AFTER_MS = 62 * 24 * 3600_000;

/** Bound on remembered documents; the least recently seen go first. */
export const MAX_REMEMBERED = 5000;

export interface Seen {
	/** `state|modification` when last seen. */
	f: string;
	/** When last seen in a list (ms). */
	at: number;
}

export interface PollMemory {
	/** The newest `modification` seen: a readable cursor (the vendor's own local-time text). */
	since?: string;
	seen: Record<string, Seen>;
	/** The states listed so far; a state listed for the first time is not backfilled. */
	lists?: string[];
}

export function fingerprint(document: ListedDocument): string {
	return `${document.state}|${document.modification ?? ''}`;
}

/** The memory as stored in static data, or undefined before the first poll. */
export function readMemory(staticData: IDataObject): PollMemory | undefined {
	const seen = staticData.seen;
	if (typeof seen !== 'object' || seen === null || Array.isArray(seen)) return undefined;
	const out: Record<string, Seen> = {};
	for (const [id, entry] of Object.entries(seen as Record<string, unknown>)) {
		const candidate = entry as Partial<Seen> | null;
		if (typeof candidate?.f === 'string' && typeof candidate.at === 'number') {
			out[id] = { f: candidate.f, at: candidate.at };
		}
	}
	const memory: PollMemory = {
		since: typeof staticData.since === 'string' ? staticData.since : undefined,
		seen: out,
	};
	if (Array.isArray(staticData.lists)) {
		memory.lists = staticData.lists.filter((state): state is string => typeof state === 'string');
	}
	return memory;
}

export function writeMemory(staticData: IDataObject, memory: PollMemory): void {
	if (memory.since !== undefined) staticData.since = memory.since;
	staticData.seen = memory.seen as unknown as IDataObject;
	if (memory.lists !== undefined) staticData.lists = memory.lists;
}

/**
 * States listed for the first time by a poll that has a memory: their documents are only
 * remembered, as everything is on the very first poll. A memory without `lists` (saved by an
 * earlier release) has listed the chosen states.
 */
export function newlyListed(
	previous: PollMemory | undefined,
	listed: readonly string[],
	chosen: readonly string[],
): Set<string> {
	if (previous === undefined) return new Set();
	const before = new Set(previous.lists ?? chosen);
	return new Set(listed.filter((state) => !before.has(state)));
}

/** Undoes this poll's sighting of a document, so the next poll handles it again. */
export function retryNextPoll(memory: PollMemory, previous: PollMemory | undefined, id: string) {
	const prior = previous?.seen[id];
	if (prior) memory.seen[id] = prior;
	else delete memory.seen[id];
}

function byModification(a: ListedDocument, b: ListedDocument): number {
	const left = `${a.modification ?? ''}|${a.id}`;
	const right = `${b.modification ?? ''}|${b.id}`;
	return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Compares one poll's documents with the memory. On the first poll (no memory) everything is only
 * remembered: no backfill; so are documents in the `baseline` states. Returns the documents to
 * emit, oldest change first, and the new memory.
 */
export function diffDocuments(
	previous: PollMemory | undefined,
	documents: ListedDocument[],
	now: number,
	{
		forgetAfterMs = FORGET_AFTER_MS,
		max = MAX_REMEMBERED,
		baseline = new Set<string>() as ReadonlySet<string>,
	} = {},
): { fresh: ListedDocument[]; memory: PollMemory } {
	const seen: Record<string, Seen> = {};
	for (const [id, entry] of Object.entries(previous?.seen ?? {})) {
		if (now - entry.at < forgetAfterMs) seen[id] = entry;
	}
	const fresh: ListedDocument[] = [];
	const current = new Map<string, ListedDocument>();
	for (const document of documents) current.set(document.id, document);
	for (const document of current.values()) {
		const print = fingerprint(document);
		if (previous !== undefined && !baseline.has(document.state) && seen[document.id]?.f !== print) {
			fresh.push(document);
		}
		seen[document.id] = { f: print, at: now };
	}
	const kept = Object.entries(seen)
		.sort((a, b) => b[1].at - a[1].at)
		.slice(0, max);
	const modifications = documents
		.map((document) => document.modification)
		.filter((value): value is string => typeof value === 'string' && value !== '')
		.sort();
	const newest = modifications.at(-1);
	const since =
		newest !== undefined && (previous?.since === undefined || newest > previous.since)
			? newest
			: previous?.since;
	const memory: PollMemory = { since, seen: Object.fromEntries(kept) };
	if (previous?.lists !== undefined) memory.lists = previous.lists;
	return { fresh: fresh.sort(byModification), memory };
}

/** The state a remembered fingerprint was seen in. */
export function seenState(entry: Seen | undefined): string | undefined {
	return entry?.f.slice(0, entry.f.indexOf('|'));
}

/**
 * The outcome to report for an `errorsendinfo` document with a new fingerprint, or 'reported'
 * when the memory shows the poll has already reported this round. `prior` is what the memory held
 * for the document; when it was seen in an earlier outcome, its `at` bounds this round's start.
 */
export async function recoverOutcome(
	this: ApiContext,
	document: ListedDocument,
	prior: Seen | undefined,
): Promise<HiddenOutcomeResult | 'reported'> {
	const priorState = seenState(prior);
	// Seen canceled, now errorsendinfo: the same round's callback failed after the poll. Only a
	// signed document starts another round (`changeState`, docs/vendor-apis.md › OKdokument ›
	// States).
	if (priorState === 'canceled') return 'reported';
	const result = await resolveHiddenOutcome.call(this, document, { roundStartedAt: prior?.at });
	if (priorState === 'signed' && result.outcome !== 'signed') {
		// Either the callback of the round already reported as signed failed after the poll saw it,
		// or the next round was canceled: the file is the same in both.
		return { ...result, outcome: 'unknown', evidence: 'seen-signed-before' };
	}
	return result;
}

export interface PollEventOutput extends EsignEventOutput {
	/** Set when the outcome was read from the file because the state shows only `errorsendinfo`. */
	recoveredFrom?: 'errorsendinfo';
	/** How that outcome was read (hiddenOutcome.ts). */
	recovery?: HiddenOutcomeResult;
}

/**
 * The normalized event for a document the poll found in a watched state. For an `errorsendinfo`
 * document with a `recovery`, the event is the outcome read from its file; `status` and `raw` keep
 * the listed state.
 */
export function pollEvent(
	document: ListedDocument,
	baseUrl: string,
	polledAt: Date,
	recovery?: HiddenOutcomeResult,
): PollEventOutput {
	const recovered = recovery !== undefined && document.state === 'errorsendinfo';
	const outcome = recovered ? recovery.outcome : document.state;
	const name = recovered ? RECOVERED_EVENTS[recovery.outcome] : POLL_EVENTS[outcome as PollState];
	const event: PollEventOutput = {
		vendor: 'okdokument',
		event: name,
		documentId: document.id,
		occurredAt: (recovered && recovery.signedAt) || polledAt.toISOString(),
		status: documentOutput(document),
		verified: true,
		dedupeKey: dedupeKey('okdokument', document.id, name),
		raw: document,
	};
	if (recovered) {
		event.derived = true;
		event.recoveredFrom = 'errorsendinfo';
		event.recovery = recovery;
	}
	if (outcome === 'signed') {
		event.files = [
			{
				url: `${baseUrl}/JSON/document/${encodeURIComponent(document.id)}`,
				kind: 'signed',
				...(document.filename ? { name: document.filename } : {}),
			},
		];
	}
	return event;
}
