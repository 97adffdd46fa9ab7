/* eslint-disable @n8n/community-nodes/no-restricted-globals */
import { randomUUID } from 'node:crypto';
import {
	activate,
	callWebhook,
	createCredential,
	createWorkflow,
	e2eInfo,
	executionData,
	executions,
	n8nLog,
	rest,
	waitForExecutions,
	webhookChainWorkflow,
	webhookUrl,
	refusalMessage,
} from '../helpers/n8n';
import twoRounds from '../../examples/okdokument-two-round-signing.json';

// A real n8n process: webhooks register asynchronously and executions run in the background.
jest.setTimeout(60_000);

const API_KEY = 'example-okdokument-key';
const URL_CHECK = 'example-e2e-callback-check';
let credential: { id: string; name: string };
let triggerWorkflowId: string;
let callbackUrl: string;

const sandbox = () => e2eInfo().sandbox.okdokument;
const pause = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

async function okdokument(method: string, path: string, body?: unknown) {
	const response = await fetch(`${sandbox()}${path}`, {
		method,
		headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return (await response.json()) as Record<string, string>;
}

async function samplePdf(): Promise<Buffer> {
	return Buffer.from(await (await fetch(`${sandbox()}/__files/sample.pdf`)).arrayBuffer());
}

/** A signature request made straight against the sandbox; the callback goes to the trigger. */
async function createRequest(callback: string | null = callbackUrl) {
	return await okdokument('POST', '/JSON/signatureRequest', {
		filedata: { filename: 'e2e-contract.pdf', content: (await samplePdf()).toString('base64') },
		...(callback ? { sendInfoURL: callback } : {}),
	});
}

const submit = async (signatureRequestId: string, action = 'submit') =>
	await fetch(`${sandbox()}/__signature-requests/${signatureRequestId}/${action}`, {
		method: 'POST',
	});

async function postCallback(body: unknown, url = callbackUrl) {
	return await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
}

/** Webhook (responds with the last node's first item) → one OKdokument node. */
async function webhookWorkflow(name: string, parameters: Record<string, unknown>) {
	return await webhookChainWorkflow(name, [
		{
			name: 'OKdokument',
			type: 'n8n-nodes-esign.okDokument',
			parameters,
			credentials: { okDokumentApi: { id: credential.id, name: credential.name } },
		},
	]);
}

beforeAll(async () => {
	credential = await createCredential('OKdokument sandbox (e2e)', 'okDokumentApi', {
		environment: 'custom',
		baseUrl: sandbox(),
		apiKey: API_KEY,
	});
	const webhookId = randomUUID();
	const workflow = await createWorkflow({
		name: 'e2e okdokument trigger',
		nodes: [
			{
				id: randomUUID(),
				name: 'OKdokument Trigger',
				type: 'n8n-nodes-esign.okDokumentTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters: {
					events: ['signed', 'canceled'],
					verification: 'refetchMetadata',
					secret: URL_CHECK,
					options: { downloadSignedFile: true, binaryPropertyName: 'signed' },
				},
				credentials: { okDokumentApi: { id: credential.id, name: credential.name } },
			},
		],
		connections: {},
	});
	triggerWorkflowId = workflow.id;
	callbackUrl = `${e2eInfo().baseUrl}/webhook/${webhookId}/webhook?secret=${URL_CHECK}`;
	await activate(workflow);
	const deadline = Date.now() + 20_000;
	while ((await postCallback({})).status === 404 && Date.now() < deadline) await pause(250);
});

describe('OKdokument in a real n8n', () => {
	it('loads all three nodes and the AI-tool variant of the action node', async () => {
		const types = await rest<Array<{ name: string }>>('GET', '/types/nodes.json');
		expect(types.map((type) => type.name)).toEqual(
			expect.arrayContaining([
				'n8n-nodes-esign.okDokument',
				'n8n-nodes-esign.okDokumentTool',
				'n8n-nodes-esign.okDokumentTrigger',
				'n8n-nodes-esign.okDokumentPollingTrigger',
			]),
		);
	});

	it('credential test: a good key passes, a wrong one and a restricted one fail with a reason', async () => {
		const test = async (apiKey: string) =>
			await rest<{ status: string; message: string }>('POST', '/rest/credentials/test', {
				credentials: {
					id: credential.id,
					name: 'probe',
					type: 'okDokumentApi',
					data: { environment: 'custom', baseUrl: sandbox(), apiKey },
				},
			});
		expect((await test(API_KEY)).status).toBe('OK');
		const wrong = await test('example-wrong-key');
		expect(wrong).toEqual({
			status: 'Error',
			message: refusalMessage('Invalid OKdokument API key for this environment'),
		});
		const restricted = await test('example-okdokument-restricted-key');
		expect(restricted).toEqual({ status: 'Error', message: refusalMessage('lacks permissions') });
	});

	it('runs the trigger once per real callback, verified, with the signed PDF as binary', async () => {
		const before = (await executions(triggerWorkflowId)).length;
		const request = await createRequest();
		expect((await submit(request.result)).status).toBe(200);
		const runs = await waitForExecutions(triggerWorkflowId, before + 1);
		expect(runs).toHaveLength(before + 1);
		expect(runs[0].status).toBe('success');
		const data = await executionData(runs[0].id);
		expect(data).toContain('document.completed');
		expect(data).toContain(request.documentId);
		expect(data).toContain('filesystem-v2:');
		expect(data).not.toContain(API_KEY);
		expect(data).not.toContain(URL_CHECK);
		// The callback got its 200, so the document stays "signed" (not "errorsendinfo").
		const meta = await okdokument('GET', `/JSON/document/metadata/${request.documentId}`);
		expect(meta.state).toBe('signed');
	});

	it('starts one execution however often the same callback is delivered', async () => {
		const request = await createRequest(null);
		await submit(request.result);
		const base = (await executions(triggerWorkflowId)).length;
		const body = { state: 'signed', id: request.documentId, signatureRequestId: request.result };
		for (let attempt = 0; attempt < 3; attempt++) {
			expect((await postCallback(body)).status).toBe(200);
		}
		const runs = await waitForExecutions(triggerWorkflowId, base + 1);
		expect(runs).toHaveLength(base + 1);
		// Give a wrongly started second execution time to show up.
		await pause(1500);
		expect(await executions(triggerWorkflowId)).toHaveLength(base + 1);
	});

	it('starts nothing for forged callbacks', async () => {
		const base = (await executions(triggerWorkflowId)).length;
		const pending = await createRequest(null);
		const noSecret = callbackUrl.replace(/\?secret=.*/, '');
		expect((await postCallback({ state: 'signed', id: pending.documentId }, noSecret)).status).toBe(
			401,
		);
		expect((await postCallback({ state: 'signed', id: pending.documentId })).status).toBe(200);
		expect((await postCallback({ state: 'canceled', id: 'no-such-document' })).status).toBe(200);
		expect((await postCallback({ state: 'tosign', id: pending.documentId })).status).toBe(400);
		await pause(1500);
		expect(await executions(triggerWorkflowId)).toHaveLength(base);
	});

	it('round trip: create from a URL, the signer signs, the signed PDF downloads as binary', async () => {
		const create = await webhookWorkflow('e2e okdokument create', {
			resource: 'signatureRequest',
			operation: 'create',
			documentSource: 'upload',
			fileSource: 'url',
			fileUrl: `${sandbox()}/__files/sample.pdf`,
			fileName: '={{ $json.body.fileName }}',
			rules: { signerName: '={{ $json.body.signer }}' },
		});
		const created = await callWebhook(create.url, {
			fileName: 'E2E agreement.pdf',
			signer: 'Ján Novák',
		});
		expect(created.status).toBe(200);
		expect(created.json.signingUrl).toBe(
			`${sandbox()}/openDocument/${created.json.signatureRequestId}`,
		);
		expect((await submit(created.json.signatureRequestId as string)).status).toBe(200);

		const download = await webhookWorkflow('e2e okdokument download', {
			resource: 'document',
			operation: 'download',
			documentId: '={{ $json.body.documentId }}',
			binaryPropertyName: 'signed',
		});
		const downloaded = await callWebhook(download.url, { documentId: created.json.documentId });
		expect(downloaded.json).toMatchObject({
			documentId: created.json.documentId,
			state: 'signed',
			fileName: 'E2E agreement.pdf',
			mimeType: 'application/pdf',
		});
		const [execution] = await waitForExecutions(download.workflow.id, 1);
		expect(execution.status).toBe('success');
		expect(await executionData(execution.id)).toContain('filesystem-v2:');
		expect(n8nLog()).not.toContain(API_KEY);
	});

	it('the two-round example signs in two rounds and then downloads the result', async () => {
		// The example is written for `./dev start`; point it at this n8n and sandbox, under webhook
		// paths of its own.
		const unique = `okdokument-two-rounds-${randomUUID()}`;
		const text = JSON.stringify(twoRounds)
			.split('http://127.0.0.1:4102')
			.join(sandbox())
			.split('http://127.0.0.1:5678')
			.join(e2eInfo().baseUrl)
			.split('okdokument-two-rounds')
			.join(unique);
		const example = JSON.parse(text) as typeof twoRounds;
		for (const node of example.nodes as Array<{ credentials?: Record<string, unknown> }>) {
			if (node.credentials) node.credentials = { okDokumentApi: credential };
		}
		const workflow = await createWorkflow({
			name: `${example.name} (e2e)`,
			nodes: example.nodes,
			connections: example.connections,
		});
		await activate(workflow);
		expect((await callWebhook(webhookUrl(`${unique}-start`), {})).status).toBe(200);

		const requestsFor = async () =>
			(
				(await (await fetch(`${sandbox()}/__signature-requests`)).json()) as Array<{
					id: string;
					documentId: string;
					round: number;
					state: string;
					sendInfoURL?: string;
				}>
			).filter((request) => request.sendInfoURL?.includes(unique));
		const until = async (probe: (list: Awaited<ReturnType<typeof requestsFor>>) => boolean) => {
			const deadline = Date.now() + 20_000;
			let list = await requestsFor();
			while (!probe(list) && Date.now() < deadline) {
				await pause(200);
				list = await requestsFor();
			}
			return list;
		};
		const [round1] = await until((list) => list.length === 1);
		expect(round1).toMatchObject({ round: 1, state: 'open' });
		await submit(round1.id);
		const rounds = await until((list) => list.length === 2);
		const round2 = rounds.find((request) => request.round === 2)!;
		expect(round2).toMatchObject({ documentId: round1.documentId, state: 'open' });
		expect(round2.sendInfoURL).toContain('round=2');
		// A person signs each round: rounds are seconds apart, and OKdokument's modification times
		// (part of the trigger's round key) have one-second resolution.
		await fetch(`${sandbox()}/__clock`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ advanceMs: 5000 }),
		});
		await submit(round2.id);

		// Start + the two signed callbacks.
		const runs = await waitForExecutions(workflow.id, 3);
		expect(runs.map((run) => run.status)).toEqual(['success', 'success', 'success']);
		const texts = await Promise.all(runs.map(async (run) => await executionData(run.id)));
		const last = texts.find((data) => data.includes('Both signed: download'));
		expect(last).toBeDefined();
		expect(last).toContain('filesystem-v2:');
		expect(texts.filter((data) => data.includes('Round 2: employer signs'))).toHaveLength(1);
	});

	it('polling trigger: activation sets the baseline, the next poll reports the new outcomes, a lost callback with its outcome', async () => {
		// Already finished before activation: never reported.
		const old = await createRequest(null);
		await submit(old.result);
		const workflow = await createWorkflow({
			name: 'e2e okdokument polling',
			nodes: [
				{
					id: randomUUID(),
					name: 'OKdokument Polling Trigger',
					type: 'n8n-nodes-esign.okDokumentPollingTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, events: ['signed'] },
					credentials: { okDokumentApi: { id: credential.id, name: credential.name } },
				},
			],
			connections: {},
		});
		// n8n polls once while activating; with nothing remembered yet, that poll only remembers.
		// It may finish after the activate call returns: wait for it before signing anything.
		const lists = async () =>
			((await (await fetch(`${sandbox()}/__requests`)).json()) as Array<{ path: string }>).filter(
				(request) => request.path === '/JSON/list/flat',
			).length;
		const before = await lists();
		await activate(workflow);
		for (let i = 0; i < 100 && (await lists()) === before; i++) await pause(100);
		expect(await lists()).toBeGreaterThan(before);
		// Signed while nobody could take its callback (n8n down): OKdokument shows "errorsendinfo".
		// Uploaded two minutes "ago" on OKdokument's clock, as a signer does not sign within the
		// first minute (a signature that early could be the service's own stamp).
		const clock = async (advanceMs: number) =>
			await fetch(`${sandbox()}/__clock`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ advanceMs }),
			});
		await clock(-120_000);
		const lost = await createRequest('http://127.0.0.1:9/sendinfo');
		await clock(120_000);
		await submit(lost.result);
		const fresh = await createRequest(null);
		await submit(fresh.result);
		// The first scheduled poll comes within a minute (both documents, in one run or two).
		const deadline = Date.now() + 90_000;
		let data = '';
		while (
			Date.now() < deadline &&
			!(data.includes(fresh.documentId) && data.includes(lost.documentId))
		) {
			const runs = await waitForExecutions(workflow.id, 1, deadline - Date.now());
			expect(runs.map((run) => run.status)).not.toContain('error');
			data = (await Promise.all(runs.map(async (run) => await executionData(run.id)))).join('\n');
			await pause(500);
		}
		expect(data).toContain(fresh.documentId);
		expect(data).toContain(lost.documentId);
		expect(data).toContain('recoveredFrom');
		expect(data).toContain('signature-this-round');
		expect(data).not.toContain('document.failed');
		expect(data).not.toContain(old.documentId);
		expect(data).toContain('document.completed');
		expect(data).not.toContain(API_KEY);
		await rest('POST', `/rest/workflows/${workflow.id}/deactivate`);
	}, 120_000);
});
