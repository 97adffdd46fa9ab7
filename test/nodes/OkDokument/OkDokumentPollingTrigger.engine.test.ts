/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// The Polling Trigger recovering outcomes whose callback was lost (issue 21): polls run through
// n8n-core's own PollContext against the OKdokument emulator, whose signed files carry a PDF
// signature and whose failed callbacks leave the document in "errorsendinfo".
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INode } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { OkDokumentApi } from '../../../credentials/OkDokumentApi.credentials';
import { OkDokumentPollingTrigger } from '../../../nodes/OkDokument/OkDokumentPollingTrigger.node';
import { runPoll } from '../../helpers/engine';
import { type Sandbox, startSandbox } from '../../helpers/sandbox';
import {
	API_KEY,
	apiRequests,
	clearLog,
	credentials,
	emulatorDocuments,
	samplePdf,
	signerAction,
} from './harness';

const trigger = new OkDokumentPollingTrigger();
/** Nothing listens there: OKdokument's one callback fails at once. */
const REFUSED = 'http://127.0.0.1:9/sendinfo';
/** The emulator's callback timeout in this file: a slow receiver costs the callback quickly. */
const CALLBACK_TIMEOUT_MS = 1500;

let sandbox: Sandbox;
let pdf: Buffer;
let hanging: http.Server;
let hangingUrl: string;

beforeAll(async () => {
	sandbox = await startSandbox(['okdokument'], {
		options: { sendInfoTimeoutMs: CALLBACK_TIMEOUT_MS },
	});
	pdf = await samplePdf(sandbox);
	// A receiver that never answers: the document shows the outcome until the callback times out.
	hanging = http.createServer(() => {});
	await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
	hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/sendinfo`;
});
afterAll(async () => {
	hanging.closeAllConnections();
	await new Promise((resolve) => hanging.close(resolve));
	await sandbox.close();
});
beforeEach(async () => {
	await sandbox.control('okdokument', 'POST', '/__reset');
	await clearLog(sandbox);
	// n8n's clock (Date only; timers stay real) moves with OKdokument's in `later`, as two
	// synchronised clocks do: the trigger compares its own times with signature times.
	jest.useFakeTimers({
		now: Date.now(),
		doNotFake: [
			'hrtime',
			'nextTick',
			'performance',
			'queueMicrotask',
			'setImmediate',
			'clearImmediate',
			'setInterval',
			'clearInterval',
			'setTimeout',
			'clearTimeout',
		],
	});
});
afterEach(() => jest.useRealTimers());

function pollingNode(events: string[]): INode {
	return {
		id: 'poll',
		name: 'OKdokument Polling Trigger',
		type: 'n8n-nodes-esign.okDokumentPollingTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: { events },
		credentials: { okDokumentApi: { id: '1', name: 'OKdokument sandbox' } },
	};
}

/** A workflow's Polling Trigger; its static data goes through JSON between polls, as n8n stores it. */
function poller(events: string[], stored: IDataObject = {}) {
	const poll = async (mode: 'trigger' | 'manual' = 'trigger'): Promise<IDataObject[]> => {
		const staticData = JSON.parse(JSON.stringify(stored)) as IDataObject;
		const result = await runPoll({
			node: pollingNode(events),
			nodeType: trigger,
			credentialTypes: { okDokumentApi: new OkDokumentApi() },
			credentials: { okDokumentApi: credentials(sandbox) },
			staticData,
			mode,
		});
		if (mode === 'trigger') stored = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		return (result?.[0] ?? []).map((item) => item.json);
	};
	return {
		poll,
		get stored() {
			return stored;
		},
	};
}

async function api<T = IDataObject>(body: IDataObject): Promise<T> {
	const response = await fetch(`${sandbox.url('okdokument')}/JSON/signatureRequest`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
		body: JSON.stringify(body),
	});
	const json = (await response.json()) as T;
	if (!response.ok) throw new Error(JSON.stringify(json));
	return json;
}

const newRequest = async (extra: IDataObject = {}) =>
	await api<{ result: string; documentId: string }>({
		filedata: { filename: 'contract.pdf', content: pdf.toString('base64') },
		...extra,
	});

/** Moves both clocks on. A signer acts minutes after the upload, not within its first minute. */
async function later(minutes = 2) {
	await sandbox.control('okdokument', 'POST', '/__clock', { advanceMs: minutes * 60_000 });
	jest.setSystemTime(Date.now() + minutes * 60_000);
}

async function untilState(documentId: string, state: string): Promise<void> {
	for (let i = 0; i < 500; i++) {
		if ((await emulatorDocuments(sandbox)).find((d) => d.id === documentId)?.state === state)
			return;
		await sleep(10);
	}
	throw new Error(`${documentId} never reached ${state}`);
}

/** The signer submits or cancels while nobody can take the callback (n8n down, workflow off). */
async function lostCallback(action: 'submit' | 'cancel', extra: IDataObject = {}) {
	const created = await newRequest({ sendInfoURL: REFUSED, ...extra });
	await later();
	await signerAction(sandbox, created.result, action);
	await untilState(created.documentId, 'errorsendinfo');
	return created;
}

/** Document downloads (`GET /JSON/document/{id}`) since the log was cleared, by document. */
async function downloads(): Promise<string[]> {
	return (await apiRequests(sandbox))
		.filter((r) => r.method === 'GET' && /^\/JSON\/document\/[^/]+$/.test(r.path))
		.map((r) => decodeURIComponent(r.path.split('/').pop()!));
}

const idsOf = (events: IDataObject[]) => events.map((event) => event.documentId);

describe('OKdokument Polling Trigger: outcomes whose callback was lost', () => {
	it('reports a signature made while n8n was down to a trigger that watches Signed, once', async () => {
		const p = poller(['signed']);
		expect(await p.poll()).toEqual([]);
		const signed = await lostCallback('submit');
		const canceled = await lostCallback('cancel');

		const events = await p.poll();
		expect(events).toEqual([
			expect.objectContaining({
				vendor: 'okdokument',
				event: 'document.completed',
				documentId: signed.documentId,
				recoveredFrom: 'errorsendinfo',
				derived: true,
				verified: true,
				recovery: expect.objectContaining({
					outcome: 'signed',
					evidence: 'signature-this-round',
					signatures: 1,
				}),
				files: [
					{
						url: `${sandbox.url('okdokument')}/JSON/document/${signed.documentId}`,
						kind: 'signed',
						name: 'contract.pdf',
					},
				],
				status: expect.objectContaining({ state: 'errorsendinfo' }),
				dedupeKey: `okdokument:${signed.documentId}:document.completed:`,
			}),
		]);
		// The signature's own time, not the poll's.
		expect(events[0].occurredAt).toBe((events[0].recovery as IDataObject).signedAt);
		// Both lost outcomes were read once; the canceled one is remembered, not reported.
		expect((await downloads()).sort()).toEqual([signed.documentId, canceled.documentId].sort());
		await clearLog(sandbox);
		expect(await p.poll()).toEqual([]);
		expect(await downloads()).toEqual([]);
		const lists = (await apiRequests(sandbox)).filter((r) => r.path === '/JSON/list/flat');
		expect(lists.map((r) => r.query.state).sort()).toEqual(['errorsendinfo', 'signed']);
	});

	it('reports a lost cancel to a trigger that watches Canceled', async () => {
		const p = poller(['canceled']);
		await p.poll();
		const canceled = await lostCallback('cancel');
		await lostCallback('submit');
		expect(await p.poll()).toEqual([
			expect.objectContaining({
				event: 'document.declined',
				documentId: canceled.documentId,
				recoveredFrom: 'errorsendinfo',
				recovery: expect.objectContaining({ outcome: 'canceled', evidence: 'no-signature' }),
			}),
		]);
		expect(await p.poll()).toEqual([]);
	});

	it('Callback Failed reports every such document: with its outcome, or document.failed when the file does not tell', async () => {
		const p = poller(['errorsendinfo']);
		await p.poll();
		const signed = await lostCallback('submit');
		const canceled = await lostCallback('cancel');
		// Signed within a minute of the upload: that signature could be OKdokument's own stamp.
		const unclear = await newRequest({ sendInfoURL: REFUSED });
		await signerAction(sandbox, unclear.result, 'submit');
		await untilState(unclear.documentId, 'errorsendinfo');

		const events = await p.poll();
		const byId = Object.fromEntries(events.map((event) => [event.documentId, event]));
		expect(Object.keys(byId).sort()).toEqual(
			[signed.documentId, canceled.documentId, unclear.documentId].sort(),
		);
		expect(byId[signed.documentId]).toMatchObject({ event: 'document.completed' });
		expect(byId[canceled.documentId]).toMatchObject({ event: 'document.declined' });
		expect(byId[unclear.documentId]).toMatchObject({
			event: 'document.failed',
			recoveredFrom: 'errorsendinfo',
			recovery: { outcome: 'unknown', evidence: 'signature-unplaced', signatures: 1 },
			raw: expect.objectContaining({ state: 'errorsendinfo' }),
		});
		expect(byId[unclear.documentId].files).toBeUndefined();
		expect(await p.poll()).toEqual([]);
	});

	it('does not backfill old errorsendinfo documents into a memory saved without a list of states', async () => {
		const before = await lostCallback('submit');
		const p = poller(['signed']);
		await p.poll();
		// The memory as the previous version left it: no `lists`, nothing from errorsendinfo.
		const legacy = poller(['signed'], {
			since: p.stored.since,
			seen: {},
		});
		expect(await legacy.poll()).toEqual([]);
		expect(await downloads()).toEqual([]);
		expect(legacy.stored.lists).toEqual(['signed', 'errorsendinfo']);
		const after = await lostCallback('submit');
		expect(idsOf(await legacy.poll())).toEqual([after.documentId]);
		expect(idsOf(await legacy.poll())).not.toContain(before.documentId);
	});

	it('reads a later round against the time the poll last saw the earlier outcome', async () => {
		const p = poller(['signed', 'canceled', 'errorsendinfo']);
		await p.poll();
		const nextRound = async (documentId: string, action: 'submit' | 'cancel') => {
			const round = await api<{ result: string }>({
				id: documentId,
				changeState: 'tosign',
				sendInfoURL: REFUSED,
			});
			await later(5);
			await signerAction(sandbox, round.result, action);
			await untilState(documentId, 'errorsendinfo');
		};
		const signedRound = async () => {
			const created = await newRequest();
			await later();
			await signerAction(sandbox, created.result, 'submit');
			return created.documentId;
		};
		const a = await signedRound();
		const b = await signedRound();
		expect(idsOf(await p.poll()).sort()).toEqual([a, b].sort());

		// Round 2 of A signed, its callback lost: a signature newer than the poll that saw round 1.
		await nextRound(a, 'submit');
		expect(await p.poll()).toEqual([
			expect.objectContaining({
				event: 'document.completed',
				documentId: a,
				recovery: expect.objectContaining({ evidence: 'signature-this-round', signatures: 2 }),
			}),
		]);
		// Round 3 of A canceled, callback lost: only signatures older than the last sighting.
		await later(3);
		expect(await p.poll()).toEqual([]);
		await nextRound(a, 'cancel');
		expect(await p.poll()).toEqual([
			expect.objectContaining({
				event: 'document.declined',
				documentId: a,
				recovery: expect.objectContaining({ evidence: 'only-earlier-signatures', signatures: 2 }),
			}),
		]);

		// Round 2 of B canceled after the poll saw B signed: the file is the same as if round 1's own
		// callback had failed after that poll, so the outcome is not read either way.
		await nextRound(b, 'cancel');
		expect(await p.poll()).toEqual([
			expect.objectContaining({
				event: 'document.failed',
				documentId: b,
				recovery: expect.objectContaining({ outcome: 'unknown', evidence: 'seen-signed-before' }),
			}),
		]);
	});

	it('does not report a round twice when its callback fails after the poll saw the outcome', async () => {
		const p = poller(['canceled', 'errorsendinfo']);
		await p.poll();
		const created = await newRequest({ sendInfoURL: hangingUrl });
		await later();
		await signerAction(sandbox, created.result, 'cancel');
		// Still "canceled" while OKdokument waits for the receiver.
		expect(await p.poll()).toEqual([
			expect.objectContaining({ event: 'document.declined', documentId: created.documentId }),
		]);
		expect((await p.poll())[0]).toBeUndefined();
		await untilState(created.documentId, 'errorsendinfo');
		await clearLog(sandbox);
		expect(await p.poll()).toEqual([]);
		// Known from the memory: no download needed.
		expect(await downloads()).toEqual([]);

		const s = poller(['signed']);
		await s.poll();
		const signed = await newRequest({ sendInfoURL: hangingUrl });
		await later();
		await signerAction(sandbox, signed.result, 'submit');
		expect(idsOf(await s.poll())).toEqual([signed.documentId]);
		await untilState(signed.documentId, 'errorsendinfo');
		expect(await s.poll()).toEqual([]);
	});

	it('tries a file that could not be read again on the next poll', async () => {
		const p = poller(['signed']);
		await p.poll();
		const signed = await lostCallback('submit');
		await sandbox.control('okdokument', 'POST', '/__faults', {
			match: { method: 'GET', path: '^/JSON/document/[^/]+$', times: 1 },
			action: { status: 400 },
		});
		expect(await p.poll()).toEqual([]);
		expect(idsOf(await p.poll())).toEqual([signed.documentId]);
		expect(await p.poll()).toEqual([]);
	});

	it('Fetch Test Event shows a recovered outcome and leaves the memory alone', async () => {
		const p = poller(['signed']);
		await p.poll();
		const stored = JSON.stringify(p.stored);
		const signed = await lostCallback('submit');
		const [event] = await p.poll('manual');
		expect(event).toMatchObject({
			event: 'document.completed',
			documentId: signed.documentId,
			recoveredFrom: 'errorsendinfo',
		});
		expect(JSON.stringify(p.stored)).toBe(stored);
	});
});
