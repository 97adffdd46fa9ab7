import type { IDataObject, INode, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { OkDokumentPollingTrigger } from '../../../nodes/OkDokument/OkDokumentPollingTrigger.node';
import { credentialHttp } from '../../helpers/credentialHttp';
import { fetchBytes, startSandbox, type Sandbox } from '../../helpers/sandbox';
import { API_KEY, apiRequests, clearLog } from './harness';

const trigger = new OkDokumentPollingTrigger();

let sandbox: Sandbox;
let pdf: Buffer;

const base = () => sandbox.url('okdokument');

beforeAll(async () => {
	sandbox = await startSandbox(['okdokument']);
	pdf = await fetchBytes(`${base()}/__files/sample.pdf`);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => {
	await sandbox.control('okdokument', 'POST', '/__reset');
	await clearLog(sandbox);
});

/** A hand-built IPollFunctions: real HTTP to the emulator with the credential's header. */
function pollContext({
	events = ['signed', 'canceled'],
	staticData = {} as IDataObject,
	mode = 'trigger',
}: { events?: string[]; staticData?: IDataObject; mode?: string } = {}): IPollFunctions {
	const node: INode = {
		id: 'poll',
		name: 'OKdokument Polling Trigger',
		type: 'n8n-nodes-esign.okDokumentPollingTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: { events },
	};
	return {
		getNode: () => node,
		getMode: () => mode,
		getNodeParameter: (name: string, fallback?: unknown) => (name === 'events' ? events : fallback),
		getWorkflowStaticData: () => staticData,
		getCredentials: async () => ({ environment: 'custom', baseUrl: base(), apiKey: API_KEY }),
		logger: { warn: () => {}, debug: () => {} },
		helpers: {
			httpRequestWithAuthentication: credentialHttp({
				okDokumentApi: { environment: 'custom', baseUrl: base(), apiKey: API_KEY },
			}),
		},
	} as unknown as IPollFunctions;
}

/** A poller whose static data survives between polls the way n8n stores it (a JSON round trip). */
function poller(events?: string[]) {
	let stored: IDataObject = {};
	return {
		async poll(): Promise<INodeExecutionData[] | null> {
			const staticData = JSON.parse(JSON.stringify(stored)) as IDataObject;
			const result = await trigger.poll.call(pollContext({ events, staticData }));
			stored = JSON.parse(JSON.stringify(staticData)) as IDataObject;
			return result ? result[0] : null;
		},
		get stored() {
			return stored;
		},
		restart(): void {
			stored = JSON.parse(JSON.stringify(stored)) as IDataObject;
		},
	};
}

async function api<T = IDataObject>(body: IDataObject): Promise<T> {
	const response = await fetch(`${base()}/JSON/signatureRequest`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
		body: JSON.stringify(body),
	});
	const json = (await response.json()) as T;
	if (!response.ok) throw new Error(JSON.stringify(json));
	return json;
}

async function newRequest(extra: IDataObject = {}) {
	return await api<{ result: string; documentId: string }>({
		filedata: { filename: 'contract.pdf', content: pdf.toString('base64') },
		...extra,
	});
}

async function act(signatureRequestId: string, action: 'submit' | 'cancel' = 'submit') {
	await sandbox.control(
		'okdokument',
		'POST',
		`/__signature-requests/${signatureRequestId}/${action}`,
	);
}

/** Moves the sandbox clock on, so the next change gets a later `modification`. */
async function later(seconds = 5) {
	await sandbox.control('okdokument', 'POST', '/__clock', { advanceMs: seconds * 1000 });
}

const ids = (items: INodeExecutionData[] | null) =>
	(items ?? []).map((item) => item.json.documentId);

describe('OKdokument Polling Trigger', () => {
	it('describes a polling trigger', () => {
		expect(trigger.description).toMatchObject({
			name: 'okDokumentPollingTrigger',
			displayName: 'OKdokument Polling Trigger',
			polling: true,
			inputs: [],
			group: ['trigger'],
		});
		expect(trigger.description.usableAsTool).toBeUndefined();
	});

	it('reports nothing on the first poll, then each newly signed or canceled document once', async () => {
		const old = await newRequest();
		await act(old.result);
		const p = poller();
		expect(await p.poll()).toBeNull();
		expect(Object.keys(p.stored.seen as IDataObject)).toEqual([old.documentId]);

		await later();
		const signed = await newRequest();
		const canceled = await newRequest();
		const open = await newRequest();
		await act(signed.result);
		await act(canceled.result, 'cancel');
		const items = await p.poll();
		expect(ids(items).sort()).toEqual([signed.documentId, canceled.documentId].sort());
		const byId = Object.fromEntries((items ?? []).map((item) => [item.json.documentId, item.json]));
		expect(byId[signed.documentId]).toMatchObject({
			vendor: 'okdokument',
			event: 'document.completed',
			verified: true,
			files: [{ url: `${base()}/JSON/document/${signed.documentId}`, kind: 'signed' }],
			status: { id: signed.documentId, state: 'signed' },
			raw: expect.objectContaining({ group: 'api_user', state: 'signed' }),
		});
		expect(byId[canceled.documentId]).toMatchObject({ event: 'document.declined' });
		expect(ids(items)).not.toContain(open.documentId);

		expect(await p.poll()).toBeNull();
		const lists = (await apiRequests(sandbox)).filter((r) => r.path === '/JSON/list/flat');
		// errorsendinfo too: outcomes whose callback was lost hide there.
		expect([...new Set(lists.map((r) => r.query.state))].sort()).toEqual([
			'canceled',
			'errorsendinfo',
			'signed',
		]);
	});

	it('survives a restart without re-emitting, and still sees what happens next', async () => {
		const p = poller();
		await p.poll();
		const first = await newRequest();
		await act(first.result);
		expect(ids(await p.poll())).toEqual([first.documentId]);
		p.restart();
		expect(await p.poll()).toBeNull();
		const second = await newRequest();
		await later();
		await act(second.result);
		expect(ids(await p.poll())).toEqual([second.documentId]);
	});

	it('reports a document again when a later round is signed', async () => {
		const p = poller(['signed']);
		await p.poll();
		const round1 = await newRequest();
		await act(round1.result);
		expect(ids(await p.poll())).toEqual([round1.documentId]);
		await later();
		const round2 = await api<{ result: string }>({ id: round1.documentId, changeState: 'tosign' });
		expect(await p.poll()).toBeNull();
		await later();
		await act(round2.result);
		const items = await p.poll();
		expect(ids(items)).toEqual([round1.documentId]);
		expect(await p.poll()).toBeNull();
	});

	it('watches only the chosen events', async () => {
		const p = poller(['canceled']);
		await p.poll();
		const signed = await newRequest();
		const canceled = await newRequest();
		await act(signed.result);
		await act(canceled.result, 'cancel');
		expect(ids(await p.poll())).toEqual([canceled.documentId]);
		const states = (await apiRequests(sandbox))
			.filter((r) => r.path === '/JSON/list/flat')
			.map((r) => r.query.state);
		expect([...new Set(states)]).toEqual(['canceled', 'errorsendinfo']);
	});

	it('reports a document whose callback failed as document.failed when its file does not tell', async () => {
		const p = poller(['errorsendinfo']);
		await p.poll();
		const failing = await newRequest({ sendInfoURL: 'http://127.0.0.1:9/callback' });
		await act(failing.result);
		let items: INodeExecutionData[] | null = null;
		for (let i = 0; i < 300 && !items; i++) {
			items = await p.poll();
			if (!items) await sleep(10);
		}
		expect(ids(items)).toEqual([failing.documentId]);
		// Signed within a minute of the upload: that signature could be OKdokument's own stamp.
		expect(items![0].json).toMatchObject({
			event: 'document.failed',
			recoveredFrom: 'errorsendinfo',
			recovery: { outcome: 'unknown', evidence: 'signature-unplaced' },
		});
	});

	it('in a manual test returns the newest document and leaves the memory alone', async () => {
		const a = await newRequest();
		await act(a.result);
		await later();
		const b = await newRequest();
		await act(b.result, 'cancel');
		const staticData: IDataObject = {};
		const result = await trigger.poll.call(pollContext({ staticData, mode: 'manual' }));
		expect(result).toHaveLength(1);
		expect(ids(result![0])).toEqual([b.documentId]);
		expect(staticData).toEqual({});
	});

	it('refuses to run with no event chosen', async () => {
		await expect(trigger.poll.call(pollContext({ events: [] }))).rejects.toThrow(
			'Choose at least one event',
		);
	});
});
