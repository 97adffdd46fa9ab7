/**
 * The Polling Trigger's memory (guide §5.5). K10 is not paged and `modification` is local time with
 * no zone, so a timestamp cursor alone could skip or repeat documents. Instead the trigger keeps,
 * per watched document, a fingerprint of what it last saw (`state|modification`) and emits a
 * document when its fingerprint is new. A document signed again in a later round gets a new
 * `modification` (inferred: it changes with every state change) and is emitted again.
 */
import type { IDataObject } from 'n8n-workflow';
import { type EsignEvent, type EsignEventOutput, dedupeKey } from '../../shared/events';
import { documentOutput } from './output';
import type { ListedDocument } from './types';

/** States the Polling Trigger watches, and the event each becomes. */
export const POLL_EVENTS = {
	signed: 'document.completed',
	canceled: 'document.declined',
	errorsendinfo: 'document.failed',
} as const satisfies Record<string, EsignEvent>;
export type PollState = keyof typeof POLL_EVENTS;

export function isPollState(value: unknown): value is PollState {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(POLL_EVENTS, value);
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
	return {
		since: typeof staticData.since === 'string' ? staticData.since : undefined,
		seen: out,
	};
}

export function writeMemory(staticData: IDataObject, memory: PollMemory): void {
	if (memory.since !== undefined) staticData.since = memory.since;
	staticData.seen = memory.seen as unknown as IDataObject;
}

function byModification(a: ListedDocument, b: ListedDocument): number {
	const left = `${a.modification ?? ''}|${a.id}`;
	const right = `${b.modification ?? ''}|${b.id}`;
	return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Compares one poll's documents with the memory. On the first poll (no memory) everything is only
 * remembered: no backfill. Returns the documents to emit, oldest change first, and the new memory.
 */
export function diffDocuments(
	previous: PollMemory | undefined,
	documents: ListedDocument[],
	now: number,
	{ forgetAfterMs = FORGET_AFTER_MS, max = MAX_REMEMBERED } = {},
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
		if (previous !== undefined && seen[document.id]?.f !== print) fresh.push(document);
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
	return {
		fresh: fresh.sort(byModification),
		memory: { since, seen: Object.fromEntries(kept) },
	};
}

/** The normalized event for a document the poll found in a watched state. */
export function pollEvent(
	document: ListedDocument,
	baseUrl: string,
	polledAt: Date,
): EsignEventOutput {
	const state = document.state as PollState;
	const event: EsignEventOutput = {
		vendor: 'okdokument',
		event: POLL_EVENTS[state],
		documentId: document.id,
		occurredAt: polledAt.toISOString(),
		status: documentOutput(document),
		verified: true,
		dedupeKey: dedupeKey('okdokument', document.id, POLL_EVENTS[state]),
		raw: document,
	};
	if (state === 'signed') {
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
