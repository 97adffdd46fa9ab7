import type { IPollFunctions } from 'n8n-workflow';
import {
	FORGET_AFTER_MS,
	diffDocuments,
	listedStates,
	newlyListed,
	pollEvent,
	readMemory,
	recoverOutcome,
	reportsRecovered,
	retryNextPoll,
	seenState,
	writeMemory,
} from '../../../../nodes/OkDokument/helpers/poll';
import type { ListedDocument } from '../../../../nodes/OkDokument/helpers/types';

const doc = (id: string, state: string, modification: string): ListedDocument => ({
	id,
	state,
	modification,
	filename: `${id}.pdf`,
	date: 1655085500971,
	number: '1655085500880',
	url: `https://apidev.okdokument.com/rest/document/${id}`,
	group: 'api_user',
});

const T0 = Date.UTC(2026, 4, 1);

describe('diffDocuments', () => {
	it('remembers everything on the first poll and emits nothing (no backfill)', () => {
		const { fresh, memory } = diffDocuments(
			undefined,
			[doc('a', 'signed', '2026-05-01 08:00:00')],
			T0,
		);
		expect(fresh).toEqual([]);
		expect(memory).toEqual({
			since: '2026-05-01 08:00:00',
			seen: { a: { f: 'signed|2026-05-01 08:00:00', at: T0 } },
		});
	});

	it('emits a document once, oldest change first, then never again', () => {
		const first = diffDocuments({ seen: {} }, [], T0).memory;
		const list = [
			doc('b', 'signed', '2026-05-01 09:00:05'),
			doc('c', 'canceled', '2026-05-01 09:00:01'),
		];
		const second = diffDocuments(first, list, T0 + 60_000);
		expect(second.fresh.map((d) => d.id)).toEqual(['c', 'b']);
		const third = diffDocuments(second.memory, list, T0 + 120_000);
		expect(third.fresh).toEqual([]);
	});

	it('emits the same document again for a new round (new state or modification)', () => {
		const signed1 = doc('a', 'signed', '2026-05-01 08:00:00');
		const start = diffDocuments({ seen: {} }, [signed1], T0).memory;
		// Reopened: gone from the watched list for a while, then signed again later.
		const away = diffDocuments(start, [], T0 + 60_000);
		expect(away.fresh).toEqual([]);
		const again = diffDocuments(
			away.memory,
			[doc('a', 'signed', '2026-05-02 10:00:00')],
			T0 + 120_000,
		);
		expect(again.fresh.map((d) => d.modification)).toEqual(['2026-05-02 10:00:00']);
	});

	it('does not re-emit a document that comes back unchanged after a gap in the list', () => {
		const signed = doc('a', 'signed', '2026-05-01 08:00:00');
		const start = diffDocuments({ seen: {} }, [signed], T0).memory;
		const gap = diffDocuments(start, [], T0 + 60_000).memory;
		expect(diffDocuments(gap, [signed], T0 + 120_000).fresh).toEqual([]);
	});

	it('forgets documents not seen for the retention window, and keeps the newest within the bound', () => {
		const memory = {
			seen: {
				old: { f: 'signed|x', at: T0 - FORGET_AFTER_MS },
				kept: { f: 'signed|y', at: T0 - FORGET_AFTER_MS + 1 },
			},
		};
		expect(Object.keys(diffDocuments(memory, [], T0).memory.seen)).toEqual(['kept']);
		const many = Array.from({ length: 5 }, (_, i) =>
			doc(`d${i}`, 'signed', `2026-05-01 08:00:0${i}`),
		);
		const bounded = diffDocuments({ seen: memory.seen }, many, T0, { max: 3 });
		expect(Object.keys(bounded.memory.seen)).toHaveLength(3);
	});

	it('never moves the cursor back', () => {
		const { memory } = diffDocuments(
			{ since: '2026-06-01 00:00:00', seen: {} },
			[doc('a', 'signed', '2026-05-01 08:00:00')],
			T0,
		);
		expect(memory.since).toBe('2026-06-01 00:00:00');
	});
});

describe('what a poll lists and reports', () => {
	it('always lists errorsendinfo, where outcomes with a lost callback hide', () => {
		expect(listedStates(['signed'])).toEqual(['signed', 'errorsendinfo']);
		expect(listedStates(['errorsendinfo', 'canceled'])).toEqual(['errorsendinfo', 'canceled']);
	});

	it('reports a recovered outcome to its own event, and everything to Callback Failed', () => {
		const signedOnly = new Set(['signed'] as const);
		expect(reportsRecovered('signed', signedOnly)).toBe(true);
		expect(reportsRecovered('canceled', signedOnly)).toBe(false);
		expect(reportsRecovered('unknown', signedOnly)).toBe(false);
		const failed = new Set(['errorsendinfo'] as const);
		expect(
			['signed', 'canceled', 'unknown'].map((o) => reportsRecovered(o as never, failed)),
		).toEqual([true, true, true]);
	});

	it('does not backfill a state listed for the first time, also for a memory without `lists`', () => {
		expect(newlyListed(undefined, ['signed', 'errorsendinfo'], ['signed'])).toEqual(new Set());
		expect(newlyListed({ seen: {} }, ['signed', 'errorsendinfo'], ['signed'])).toEqual(
			new Set(['errorsendinfo']),
		);
		expect(
			newlyListed(
				{ seen: {}, lists: ['signed', 'errorsendinfo'] },
				['canceled', 'errorsendinfo'],
				['canceled'],
			),
		).toEqual(new Set(['canceled']));
		const list = [doc('a', 'errorsendinfo', 'm1'), doc('b', 'signed', 'm2')];
		const { fresh, memory } = diffDocuments({ seen: {} }, list, T0, {
			baseline: new Set(['errorsendinfo']),
		});
		expect(fresh.map((d) => d.id)).toEqual(['b']);
		expect(Object.keys(memory.seen).sort()).toEqual(['a', 'b']);
	});

	it('can undo a sighting so the next poll handles the document again', () => {
		const previous = { seen: { a: { f: 'signed|m0', at: 1 } } };
		const { memory } = diffDocuments(
			previous,
			[doc('a', 'errorsendinfo', 'm1'), doc('b', 'errorsendinfo', 'm1')],
			T0,
		);
		retryNextPoll(memory, previous, 'a');
		retryNextPoll(memory, previous, 'b');
		expect(memory.seen).toEqual({ a: { f: 'signed|m0', at: 1 } });
		expect(seenState(memory.seen.a)).toBe('signed');
		expect(seenState(undefined)).toBeUndefined();
	});

	it('knows a round seen canceled is reported, without reading the file', async () => {
		const noCalls = {
			helpers: {
				httpRequestWithAuthentication: () => {
					throw new Error('no request expected');
				},
			},
		} as unknown as IPollFunctions;
		await expect(
			recoverOutcome.call(noCalls, doc('a', 'errorsendinfo', 'm2'), { f: 'canceled|m1', at: 1 }),
		).resolves.toBe('reported');
	});
});

describe('memory in static data', () => {
	it('survives a JSON round trip (a restart) and ignores malformed entries', () => {
		const staticData: Record<string, unknown> = {};
		expect(readMemory(staticData as never)).toBeUndefined();
		writeMemory(staticData as never, { since: 's', seen: { a: { f: 'signed|x', at: 1 } } });
		const restored = JSON.parse(JSON.stringify(staticData));
		restored.seen.bad = { f: 7 };
		expect(readMemory(restored)).toEqual({ since: 's', seen: { a: { f: 'signed|x', at: 1 } } });
		writeMemory(staticData as never, { seen: {}, lists: ['signed', 'errorsendinfo'] });
		expect(readMemory(JSON.parse(JSON.stringify(staticData)))?.lists).toEqual([
			'signed',
			'errorsendinfo',
		]);
	});
});

describe('pollEvent', () => {
	it('maps each watched state', () => {
		const at = new Date(T0);
		expect(pollEvent(doc('a', 'signed', 'm'), 'https://x', at)).toMatchObject({
			event: 'document.completed',
			files: [{ url: 'https://x/JSON/document/a', kind: 'signed', name: 'a.pdf' }],
			verified: true,
			occurredAt: '2026-05-01T00:00:00.000Z',
		});
		expect(pollEvent(doc('a', 'canceled', 'm'), 'https://x', at).event).toBe('document.declined');
		expect(pollEvent(doc('a', 'errorsendinfo', 'm'), 'https://x', at).event).toBe(
			'document.failed',
		);
		expect(pollEvent(doc('a', 'canceled', 'm'), 'https://x', at).files).toBeUndefined();
	});

	it('gives an errorsendinfo document the outcome read from its file', () => {
		const at = new Date(T0);
		const lost = doc('a', 'errorsendinfo', 'm');
		const signedAt = '2026-04-30T23:59:00.000Z';
		const recovery = {
			outcome: 'signed',
			evidence: 'signature-this-round',
			signatures: 1,
			signedAt,
		} as const;
		expect(pollEvent(lost, 'https://x', at, recovery)).toEqual({
			vendor: 'okdokument',
			event: 'document.completed',
			documentId: 'a',
			occurredAt: signedAt,
			status: expect.objectContaining({ state: 'errorsendinfo' }),
			verified: true,
			derived: true,
			recoveredFrom: 'errorsendinfo',
			recovery,
			dedupeKey: 'okdokument:a:document.completed:',
			files: [{ url: 'https://x/JSON/document/a', kind: 'signed', name: 'a.pdf' }],
			raw: lost,
		});
		const canceled = { outcome: 'canceled', evidence: 'no-signature', signatures: 0 } as const;
		expect(pollEvent(lost, 'https://x', at, canceled)).toMatchObject({
			event: 'document.declined',
			occurredAt: '2026-05-01T00:00:00.000Z',
		});
		const unknown = { outcome: 'unknown', evidence: 'not-a-pdf' } as const;
		expect(pollEvent(lost, 'https://x', at, unknown)).toMatchObject({
			event: 'document.failed',
			recoveredFrom: 'errorsendinfo',
		});
		// A recovery never relabels a document the list shows signed or canceled.
		expect(pollEvent(doc('a', 'canceled', 'm'), 'https://x', at, recovery).event).toBe(
			'document.declined',
		);
	});
});
