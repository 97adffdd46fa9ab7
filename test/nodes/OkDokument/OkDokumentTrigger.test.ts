import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { OkDokumentTrigger } from '../../../nodes/OkDokument/OkDokumentTrigger.node';
import { fetchBytes, startSandbox, type Sandbox } from '../../helpers/sandbox';
import {
	type Delivery,
	type WebhookReceiver,
	mockWebhookFunctions,
	startWebhookReceiver,
} from '../shared/webhookMock';
import { API_KEY, answeredCallback, apiRequests, clearLog, expectSignedOnce } from './harness';

const URL_CHECK = 'example-callback-check-value';
const node = new OkDokumentTrigger();

let sandbox: Sandbox;
let receiver: WebhookReceiver;
let pdf: Buffer;

const base = () => sandbox.url('okdokument');
const credentials = () => ({
	okDokumentApi: { environment: 'custom', baseUrl: base(), apiKey: API_KEY },
});
const parameters = (extra: Record<string, unknown> = {}) => ({
	events: ['signed', 'canceled'],
	verification: 'refetchMetadata',
	secret: URL_CHECK,
	options: {},
	...extra,
});

beforeAll(async () => {
	sandbox = await startSandbox(['okdokument']);
	pdf = await fetchBytes(`${base()}/__files/sample.pdf`);
});
afterAll(async () => await sandbox.close());

beforeEach(async () => {
	await clearLog(sandbox);
	receiver = await startWebhookReceiver(node, {
		parameters: parameters(),
		credentials: credentials(),
	});
});
afterEach(async () => await receiver.close());

// ----- helpers -----------------------------------------------------------------------------------

const callbackUrl = (query = `secret=${URL_CHECK}&flow=hr`) => `${receiver.url}/webhook?${query}`;

interface Created {
	result: string;
	documentId: string;
}

/** A first-round request whose callback goes to the receiver unless told otherwise. */
async function createRequest(
	callback: string | null = callbackUrl(),
	extra: IDataObject = {},
): Promise<Created> {
	const response = await fetch(`${base()}/JSON/signatureRequest`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
		body: JSON.stringify({
			filedata: { filename: 'contract.pdf', content: pdf.toString('base64') },
			...(callback ? { sendInfoURL: callback } : {}),
			...extra,
		}),
	});
	const json = (await response.json()) as Created;
	if (!response.ok) throw new Error(JSON.stringify(json));
	return json;
}

async function act(signatureRequestId: string, action: 'submit' | 'cancel' = 'submit') {
	await sandbox.control(
		'okdokument',
		'POST',
		`/__signature-requests/${signatureRequestId}/${action}`,
		{
			signerName: 'Ján Novák',
		},
	);
}

async function waitFor<T>(
	probe: () => T | undefined | false,
	what: string,
	ms = 8_000,
): Promise<T> {
	const until = Date.now() + ms;
	for (;;) {
		const value = probe();
		if (value) return value;
		if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
		await sleep(20);
	}
}

const executionsFor = (documentId: string) =>
	receiver.executions().filter((delivery) => (delivery.body as IDataObject).id === documentId);

function onlyItem(delivery: Delivery): INodeExecutionData {
	const data = delivery.result?.workflowData;
	expect(data).toHaveLength(1);
	expect(data![0]).toHaveLength(1);
	return data![0][0];
}

async function metadataCalls(documentId: string): Promise<number> {
	return (await apiRequests(sandbox)).filter(
		(r) => r.path === `/JSON/document/metadata/${documentId}`,
	).length;
}

async function documentState(documentId: string): Promise<string> {
	const docs = await sandbox.control<Array<{ id: string; state: string }>>(
		'okdokument',
		'GET',
		'/__documents',
	);
	return docs.find((d) => d.id === documentId)!.state;
}

/** POSTs to the receiver the way a caller would. */
async function post(
	body: unknown,
	{ query = `secret=${URL_CHECK}`, contentType = 'application/json', method = 'POST' } = {},
): Promise<{ status: number; json: unknown; delivery: Delivery }> {
	const before = receiver.deliveries.length;
	const response = await fetch(`${receiver.url}/webhook?${query}`, {
		method,
		headers: { 'content-type': contentType },
		body: method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await response.text();
	return {
		status: response.status,
		json: text ? (JSON.parse(text) as unknown) : undefined,
		delivery: receiver.deliveries[before],
	};
}

// ----- tests -------------------------------------------------------------------------------------

describe('OKdokument Trigger', () => {
	it('describes a POST webhook trigger with a notice and no-op lifecycle methods', async () => {
		const { description } = node;
		expect(description.name).toBe('okDokumentTrigger');
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.usableAsTool).toBeUndefined();
		expect(description.webhooks).toEqual([
			expect.objectContaining({ name: 'default', httpMethod: 'POST', path: 'webhook' }),
		]);
		expect(description.properties.map((p) => p.name)).toEqual([
			'notice',
			'events',
			'verification',
			'secret',
			'options',
		]);
		const lifecycle = node.webhookMethods.default;
		const hook = {} as never;
		expect(await lifecycle.checkExists.call(hook)).toBe(true);
		expect(await lifecycle.create.call(hook)).toBe(true);
		expect(await lifecycle.delete.call(hook)).toBe(true);
	});

	it('turns a real signed callback into one verified, normalized item', async () => {
		const created = await createRequest();
		await act(created.result);
		const [delivery] = await waitFor(
			() => executionsFor(created.documentId).length === 1 && executionsFor(created.documentId),
			'execution',
		);
		expect(delivery.query).toEqual({ secret: URL_CHECK, flow: 'hr' });
		// No file to fetch: the node leaves the answer to n8n, which sends it once the run is queued.
		expect(delivery.response).toMatchObject({ statusCode: 200 });
		expect(delivery.response?.body).toBeUndefined();
		const item = onlyItem(delivery);
		expect(item.binary).toBeUndefined();
		const json = item.json as IDataObject & { status: IDataObject };
		expect(json).toMatchObject({
			vendor: 'okdokument',
			event: 'document.completed',
			documentId: created.documentId,
			signer: { id: created.result },
			files: [
				{
					url: `${base()}/JSON/document/${created.documentId}`,
					kind: 'signed',
					name: 'contract.pdf',
				},
			],
			verified: true,
			dedupeKey: `okdokument:${created.documentId}:document.completed:${created.result}`,
		});
		expect(json.status).toMatchObject({
			id: created.documentId,
			state: 'signed',
			filename: 'contract.pdf',
		});
		expect(json.raw).toEqual({
			body: { state: 'signed', id: created.documentId, signatureRequestId: created.result },
			headers: expect.objectContaining({
				'content-type': 'application/json',
				'user-agent': 'okdokument-emulator',
			}),
			query: { flow: 'hr' },
		});
		const text = JSON.stringify(item);
		expect(text).not.toContain(API_KEY);
		expect(text).not.toContain(URL_CHECK);
		expect(await metadataCalls(created.documentId)).toBe(1);
		const meta = json.status as IDataObject;
		const keys = Object.keys(receiver.staticData.seen as IDataObject);
		expect(keys).toHaveLength(2);
		expect(keys).toEqual(
			expect.arrayContaining([
				`okdokument:${created.documentId}:document.completed:${created.result}`,
				`okdokument:${created.documentId}:document.completed:@${meta.modification}`,
			]),
		);
		// Still "signed" once OKdokument has read the answer (a failed answer would flip it).
		expect(await answeredCallback(sandbox, created.result)).toMatchObject({ ok: true });
		expect(await documentState(created.documentId)).toBe('signed');
	});

	it('emits a cancel as document.declined, with no file', async () => {
		const created = await createRequest();
		await act(created.result, 'cancel');
		const [delivery] = await waitFor(
			() => executionsFor(created.documentId).length === 1 && executionsFor(created.documentId),
			'execution',
		);
		const json = onlyItem(delivery).json;
		expect(json).toMatchObject({ event: 'document.declined', verified: true });
		expect(json.files).toBeUndefined();
	});

	it('attaches the signed PDF with its name and MIME type when asked to', async () => {
		receiver.configure({
			parameters: parameters({
				options: { downloadSignedFile: true, binaryPropertyName: 'signed' },
			}),
		});
		const created = await createRequest();
		await act(created.result);
		const [delivery] = await waitFor(
			() => executionsFor(created.documentId).length === 1 && executionsFor(created.documentId),
			'execution',
		);
		const item = onlyItem(delivery);
		const binary = item.binary?.signed as IBinaryData;
		expect(binary).toMatchObject({ fileName: 'contract.pdf', mimeType: 'application/pdf' });
		const bytes = Buffer.from(binary.data, 'base64');
		expectSignedOnce(bytes, pdf, 'Ján Novák');
		expect(item.json.downloadError).toBeUndefined();
	});

	it('starts one execution however often the same callback arrives', async () => {
		const created = await createRequest();
		await act(created.result);
		const [first] = await waitFor(
			() => executionsFor(created.documentId).length === 1 && executionsFor(created.documentId),
			'execution',
		);
		const callsBefore = await metadataCalls(created.documentId);
		for (let i = 0; i < 3; i++) {
			const replay = await post(first.body, { query: `secret=${URL_CHECK}&flow=hr` });
			expect(replay.status).toBe(200);
			expect(replay.json).toEqual({ received: true });
		}
		expect(executionsFor(created.documentId)).toHaveLength(1);
		// A known key is answered from static data without asking OKdokument again.
		expect(await metadataCalls(created.documentId)).toBe(callsBefore);
	});

	it('starts nothing for a replay that makes up another signatureRequestId', async () => {
		const created = await createRequest();
		await act(created.result);
		await waitFor(() => executionsFor(created.documentId).length === 1, 'execution');
		const replay = await post({
			state: 'signed',
			id: created.documentId,
			signatureRequestId: 'made-up-round',
		});
		expect(replay.status).toBe(200);
		expect(replay.delivery.result).toEqual({ noWebhookResponse: true });
		expect(executionsFor(created.documentId)).toHaveLength(1);
	});

	it('runs once per round of a multi-round document', async () => {
		const created = await createRequest();
		await act(created.result);
		await waitFor(() => executionsFor(created.documentId).length === 1, 'round 1');
		// A person signs each round: rounds are seconds apart, and the vendor's times have seconds.
		await sandbox.control('okdokument', 'POST', '/__clock', { advanceMs: 5000 });
		const response = await fetch(`${base()}/JSON/signatureRequest`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
			body: JSON.stringify({
				id: created.documentId,
				changeState: 'tosign',
				sendInfoURL: callbackUrl(),
			}),
		});
		const round2 = (await response.json()) as Created;
		await act(round2.result);
		const runs = await waitFor(
			() => executionsFor(created.documentId).length === 2 && executionsFor(created.documentId),
			'round 2',
		);
		expect(runs.map((d) => (onlyItem(d).json.signer as IDataObject).id)).toEqual([
			created.result,
			round2.result,
		]);
	});

	it('answers 200 and starts nothing for a forged outcome the document does not show', async () => {
		const created = await createRequest(null);
		const forged = await post({
			state: 'signed',
			id: created.documentId,
			signatureRequestId: created.result,
		});
		expect(forged.status).toBe(200);
		expect(forged.delivery.result).toEqual({ noWebhookResponse: true });
		expect(receiver.executions()).toHaveLength(0);
		expect(forged.delivery.logs.map((l) => l.message)).toContain(
			'OKdokument event dropped: contradicts the state tosign',
		);
		// Cancel it for real: a forged "signed" still does not match.
		await act(created.result, 'cancel');
		expect((await post({ state: 'signed', id: created.documentId })).status).toBe(200);
		expect(receiver.executions()).toHaveLength(0);
	});

	it('answers 200 and starts nothing for an unknown document', async () => {
		const reply = await post({ state: 'signed', id: 'no-such-document', signatureRequestId: 'r1' });
		expect(reply.status).toBe(200);
		expect(receiver.executions()).toHaveLength(0);
	});

	it('answers 401 and starts nothing when the secret is missing or wrong', async () => {
		const created = await createRequest(null);
		await act(created.result);
		for (const query of ['', 'secret=wrong', `secret=${URL_CHECK}&secret=${URL_CHECK}`]) {
			const reply = await post({ state: 'signed', id: created.documentId }, { query });
			expect(reply.status).toBe(401);
		}
		expect(receiver.executions()).toHaveLength(0);
		expect(await metadataCalls(created.documentId)).toBe(0);
	});

	it('answers 400 to bodies that are not a callback', async () => {
		const cases: Array<[unknown, string, string]> = [
			['not json', 'text/plain', 'Body is not valid JSON'],
			[{ state: 'signed' }, 'application/json', 'Missing id'],
			[{ state: 'tosign', id: 'abc' }, 'application/json', 'Unknown state "tosign"'],
			[{ state: 'signed', id: 'a b' }, 'application/json', 'Malformed id'],
			['<state>signed</state>', 'text/xml', 'Expected a JSON body, got text/xml'],
		];
		for (const [body, contentType, message] of cases) {
			const reply = await post(body, { contentType });
			expect([reply.status, reply.json]).toEqual([400, { message }]);
		}
		expect(receiver.executions()).toHaveLength(0);
	});

	it('answers 413 to an oversized body and starts nothing', async () => {
		const body = { state: 'signed', id: 'abc', padding: 'x'.repeat(70_000) };
		const reply = await post(body, { contentType: 'application/json' });
		expect([reply.status, reply.json]).toEqual([413, { message: 'Body is larger than 64 KiB' }]);
		expect(receiver.executions()).toHaveLength(0);
	});

	it('answers 405 to anything but POST', async () => {
		const reply = await post(undefined, { method: 'GET' });
		expect(reply.status).toBe(405);
	});

	it('answers 200 without asking OKdokument for outcomes outside the filter', async () => {
		receiver.configure({ parameters: parameters({ events: ['signed'] }) });
		const created = await createRequest();
		await act(created.result, 'cancel');
		const [delivery] = await receiver.settled(1);
		expect(delivery.response).toMatchObject({
			statusCode: 200,
			body: { received: true },
		});
		expect(receiver.executions()).toHaveLength(0);
		expect(await metadataCalls(created.documentId)).toBe(0);
	});

	it('takes the outcome from the document when the body has no state', async () => {
		const created = await createRequest(null);
		await act(created.result, 'cancel');
		const reply = await post({ id: created.documentId, code: 'SUCCESS' });
		expect(reply.status).toBe(200);
		expect(onlyItem(reply.delivery).json).toMatchObject({
			event: 'document.declined',
			documentId: created.documentId,
			verified: true,
		});
	});

	it('answers 503 when it cannot check, and OKdokument then records errorsendinfo', async () => {
		const created = await createRequest();
		await sandbox.control('okdokument', 'POST', '/__faults', {
			match: { method: 'GET', path: '^/JSON/document/metadata/' },
			action: { status: 500 },
		});
		await act(created.result);
		const [delivery] = await receiver.settled(1);
		expect(delivery.response).toMatchObject({
			statusCode: 503,
			body: { message: 'Could not verify the event; try again later' },
		});
		// One attempt only: OKdokument is waiting for the answer.
		expect(await metadataCalls(created.documentId)).toBe(1);
		expect(receiver.executions()).toHaveLength(0);
		// Recording the failed answer and turning the document into errorsendinfo are one step.
		expect(await answeredCallback(sandbox, created.result)).toMatchObject({
			ok: false,
			lastStatus: 503,
		});
		expect(await documentState(created.documentId)).toBe('errorsendinfo');
		await sandbox.control('okdokument', 'DELETE', '/__faults');
	});

	it('with verification off, trusts the body, asks nothing and marks the item unverified', async () => {
		receiver.configure({ parameters: parameters({ verification: 'none' }) });
		const reply = await post({ state: 'signed', id: 'any-document', signatureRequestId: 'r9' });
		expect(reply.status).toBe(200);
		expect(onlyItem(reply.delivery).json).toMatchObject({
			event: 'document.completed',
			documentId: 'any-document',
			verified: false,
		});
		expect(onlyItem(reply.delivery).json.status).toBeUndefined();
		expect((await apiRequests(sandbox)).filter((r) => r.path.startsWith('/JSON/'))).toHaveLength(0);
		expect((await post({ id: 'any-document' })).json).toEqual({ message: 'Missing state' });
	});

	it('outputs only body, headers and query with Raw Payload Only', async () => {
		receiver.configure({
			parameters: parameters({ verification: 'none', options: { rawPayloadOnly: true } }),
		});
		const reply = await post(
			{ state: 'canceled', id: 'doc-x' },
			{ query: `secret=${URL_CHECK}&a=1` },
		);
		const json = onlyItem(reply.delivery).json;
		expect(Object.keys(json).sort()).toEqual(['body', 'headers', 'query']);
		expect(json.query).toEqual({ a: '1' });
	});

	it('does not deduplicate test (manual) runs', async () => {
		const created = await createRequest(null);
		await act(created.result);
		const staticData: IDataObject = {};
		const runs: Array<unknown> = [];
		for (let i = 0; i < 2; i++) {
			const mock = mockWebhookFunctions({
				parameters: parameters({ secret: '' }),
				mode: 'manual',
				body: { state: 'signed', id: created.documentId, signatureRequestId: created.result },
				credentials: credentials(),
				staticData,
			});
			runs.push((await node.webhook.call(mock.ctx)).workflowData);
		}
		expect(runs.every((data) => Array.isArray(data))).toBe(true);
		expect(staticData).toEqual({});
	});
});
