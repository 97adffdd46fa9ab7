/* eslint-disable @n8n/community-nodes/no-restricted-globals */
import { randomUUID } from 'node:crypto';
import {
	activate,
	createCredential,
	createWorkflow,
	e2eInfo,
	executionData,
	executions,
	nodeOutput,
} from '../helpers/n8n';

// A real n8n process: webhooks register asynchronously and executions run in the background.
jest.setTimeout(60_000);

const API_KEY = 'example-okdokument-key';
let credential: { id: string; name: string };
const sandbox = () => e2eInfo().sandbox.okdokument;
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
	credential = await createCredential('OKdokument sandbox (wait)', 'okDokumentApi', {
		environment: 'custom',
		baseUrl: sandbox(),
		apiKey: API_KEY,
	});
});

const startNode = (path: string) => ({
	id: randomUUID(),
	name: 'Start',
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	position: [0, 0],
	webhookId: randomUUID(),
	parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
});

const okNode = (name: string, position: number, parameters: Record<string, unknown>) => ({
	id: randomUUID(),
	name,
	type: 'n8n-nodes-esign.okDokument',
	typeVersion: 1,
	position: [position, 0],
	webhookId: randomUUID(),
	parameters,
	credentials: { okDokumentApi: { id: credential.id, name: credential.name } },
});

const afterNode = (position: number) => ({
	id: randomUUID(),
	name: 'After',
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position: [position, 0],
	parameters: {},
});

/** The fields of a first-round request from the sandbox's sample PDF; the round id from the body. */
const createFields = {
	resource: 'signatureRequest',
	documentSource: 'upload',
	fileSource: 'url',
	fileUrl: 'SANDBOX/__files/sample.pdf',
	fileName: 'Wait contract.pdf',
};

function withSandbox(parameters: Record<string, unknown>) {
	return JSON.parse(JSON.stringify(parameters).split('SANDBOX').join(sandbox())) as Record<
		string,
		unknown
	>;
}

/** Webhook → Send and Wait for Signature → After. Returns the webhook URL and workflow id. */
async function sendAndWaitWorkflow(name: string, waitParameters: Record<string, unknown> = {}) {
	const path = `ok-wait-${randomUUID()}`;
	const workflow = await createWorkflow({
		name,
		nodes: [
			startNode(path),
			okNode(
				'Send and wait',
				220,
				withSandbox({
					...createFields,
					operation: 'createAndWait',
					options: { signatureRequestId: '={{ $json.body.round }}' },
					waitOptions: { binaryPropertyName: 'signed' },
					...waitParameters,
				}),
			),
			afterNode(440),
		],
		connections: {
			Start: { main: [[{ node: 'Send and wait', type: 'main', index: 0 }]] },
			'Send and wait': { main: [[{ node: 'After', type: 'main', index: 0 }]] },
		},
	});
	await activate(workflow);
	return { workflow, url: `${e2eInfo().baseUrl}/webhook/${path}` };
}

async function start(url: string, body: unknown) {
	for (let attempt = 0; attempt < 80; attempt++) {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		if (response.status !== 404) return response.status;
		await sleep(250);
	}
	throw new Error('webhook never registered');
}

async function statusOf(
	workflowId: string,
	until: (status: string) => boolean,
	timeoutMs = 20_000,
) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const [latest] = await executions(workflowId);
		if (latest && until(latest.status)) return latest;
		if (Date.now() > deadline) return latest;
		await sleep(300);
	}
}

interface SandboxRequest {
	id: string;
	documentId: string;
	state: string;
	sendInfoURL?: string;
	callback?: { attempts: number; ok?: boolean; lastStatus?: number };
}

async function sandboxRequest(id: string): Promise<SandboxRequest> {
	for (let attempt = 0; attempt < 40; attempt++) {
		const list = (await (
			await fetch(`${sandbox()}/__signature-requests`)
		).json()) as SandboxRequest[];
		const found = list.find((request) => request.id === id);
		if (found) return found;
		await sleep(250);
	}
	throw new Error(`no signature request ${id}`);
}

async function documentState(documentId: string): Promise<string> {
	const response = await fetch(`${sandbox()}/JSON/document/metadata/${documentId}`, {
		headers: { 'x-api-key': API_KEY },
	});
	return ((await response.json()) as { state: string }).state;
}

const act = async (signatureRequestId: string, action: 'submit' | 'cancel' = 'submit') =>
	expect(
		(
			await fetch(`${sandbox()}/__signature-requests/${signatureRequestId}/${action}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ signerName: 'Ján Novák' }),
			})
		).status,
	).toBe(200);

/** A request made straight against the sandbox, with no callback: someone else's document. */
async function otherDocument(): Promise<{ result: string; documentId: string }> {
	const pdf = Buffer.from(await (await fetch(`${sandbox()}/__files/sample.pdf`)).arrayBuffer());
	const response = await fetch(`${sandbox()}/JSON/signatureRequest`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
		body: JSON.stringify({
			filedata: { filename: 'other.pdf', content: pdf.toString('base64') },
		}),
	});
	return (await response.json()) as { result: string; documentId: string };
}

const post = async (url: string, body: unknown, contentType = 'application/json') =>
	(
		await fetch(url, {
			method: 'POST',
			headers: { 'content-type': contentType },
			body: typeof body === 'string' ? body : JSON.stringify(body),
		})
	).status;

describe('Send and Wait for Signature (OKdokument) in a real n8n', () => {
	it('waits through forged callbacks, resumes when the signer signs, with the signed PDF', async () => {
		const { workflow, url } = await sendAndWaitWorkflow('e2e okdokument send and wait');
		const round = randomUUID();
		expect(await start(url, { round })).toBe(200);
		const waiting = await statusOf(workflow.id, (status) => status === 'waiting');
		expect(waiting.status).toBe('waiting');
		const request = await sandboxRequest(round);
		expect(request.sendInfoURL).toMatch(/\/webhook-waiting\/\d+\?signature=[0-9a-f]{64}$/);
		const resumeUrl = request.sendInfoURL!;

		// The waiting node shows the signing URL; the resume URL stays out of the data.
		const beforeWait = await nodeOutput(waiting.id, 'Send and wait');
		expect(beforeWait?.json).toMatchObject({
			signatureRequestId: round,
			documentId: request.documentId,
			signingUrl: `${sandbox()}/openDocument/${round}`,
			waitingFor: expect.any(String),
		});
		expect(JSON.stringify(beforeWait?.json)).not.toContain('webhook-waiting');

		// Forged: a malformed body; "signed" for this document while it is still pending; a real
		// signed callback of another document; this document under another round.
		const other = await otherDocument();
		await act(other.result);
		expect(await post(resumeUrl, 'state=signed', 'application/x-www-form-urlencoded')).toBe(400);
		expect(await post(resumeUrl, { id: request.documentId, state: 'exploded' })).toBe(400);
		expect(
			await post(resumeUrl, {
				state: 'signed',
				id: request.documentId,
				signatureRequestId: round,
			}),
		).toBe(200);
		expect(
			await post(resumeUrl, {
				state: 'signed',
				id: other.documentId,
				signatureRequestId: other.result,
			}),
		).toBe(200);
		expect(
			await post(resumeUrl, {
				state: 'signed',
				id: request.documentId,
				signatureRequestId: other.result,
			}),
		).toBe(200);
		// Without the execution's signature n8n itself refuses.
		expect(
			await post(resumeUrl.replace(/signature=[0-9a-f]+/, `signature=${'0'.repeat(64)}`), {
				state: 'signed',
				id: request.documentId,
			}),
		).toBe(401);
		await sleep(1000);
		expect((await statusOf(workflow.id, () => true)).status).toBe('waiting');
		expect(await documentState(request.documentId)).toBe('tosign');

		// The signer signs: OKdokument's one callback resumes the execution.
		await act(round);
		const done = await statusOf(
			workflow.id,
			(status) => status !== 'waiting' && status !== 'running',
		);
		expect(done.status).toBe('success');
		const resumed = await nodeOutput(done.id, 'After');
		expect(resumed?.json).toMatchObject({
			outcome: 'signed',
			event: 'document.completed',
			vendor: 'okdokument',
			documentId: request.documentId,
			signer: { id: round },
			verified: true,
			status: { state: 'signed' },
			raw: { body: { state: 'signed', id: request.documentId, signatureRequestId: round } },
		});
		expect(resumed?.binary?.signed).toMatchObject({
			mimeType: 'application/pdf',
			fileName: 'Wait contract.pdf',
		});
		expect(resumed?.binary?.signed.id).toMatch(/^filesystem-v2:/);
		const saved = await executionData(done.id);
		expect(saved).not.toContain(API_KEY);
		expect(saved).not.toMatch(/signature=[0-9a-f]{64}/);

		// OKdokument got its 200: the document stays "signed", not "errorsendinfo".
		const after = await sandboxRequest(round);
		expect(after.callback).toMatchObject({ attempts: 1, ok: true, lastStatus: 200 });
		expect(await documentState(request.documentId)).toBe('signed');
	});

	it('resumes with outcome "canceled" and no file when the signer cancels', async () => {
		const { workflow, url } = await sendAndWaitWorkflow('e2e okdokument send and wait cancel');
		const round = randomUUID();
		await start(url, { round });
		expect((await statusOf(workflow.id, (status) => status === 'waiting')).status).toBe('waiting');
		await act((await sandboxRequest(round)).id, 'cancel');
		const done = await statusOf(
			workflow.id,
			(status) => status !== 'waiting' && status !== 'running',
		);
		expect(done.status).toBe('success');
		const resumed = await nodeOutput(done.id, 'After');
		expect(resumed?.json).toMatchObject({
			outcome: 'canceled',
			event: 'document.declined',
			verified: true,
		});
		expect(resumed?.binary).toBeUndefined();
	});

	it('resumes at the wait-time limit with the input passed through', async () => {
		const { workflow, url } = await sendAndWaitWorkflow('e2e okdokument wait limit', {
			limitWaitTime: {
				values: { limitType: 'afterTimeInterval', resumeAmount: 0.05, resumeUnit: 'minutes' },
			},
		});
		const round = randomUUID();
		await start(url, { round });
		expect((await statusOf(workflow.id, (status) => status === 'waiting')).status).toBe('waiting');
		const done = await statusOf(
			workflow.id,
			(status) => !['waiting', 'running', 'new'].includes(status),
			90_000,
		);
		expect(done.status).toBe('success');
		// n8n resumes an expired wait with the node disabled: the input item passes through.
		const passedThrough = await nodeOutput(done.id, 'After');
		expect(passedThrough?.json.outcome).toBeUndefined();
		expect((passedThrough?.json.body as { round: string }).round).toBe(round);
		expect((await sandboxRequest(round)).state).toBe('open');
	}, 120_000);
});

describe('Create, then Wait for Signature (OKdokument) in a real n8n', () => {
	/** Webhook → Create (Callback URL = resume URL) → Wait for Signature → After. */
	async function createThenWaitWorkflow(name: string) {
		const path = `ok-create-wait-${randomUUID()}`;
		const workflow = await createWorkflow({
			name,
			nodes: [
				startNode(path),
				okNode(
					'Create',
					220,
					withSandbox({
						...createFields,
						operation: 'create',
						options: {
							signatureRequestId: '={{ $json.body.round }}',
							callbackUrl: '={{ $execution.resumeUrl }}',
						},
					}),
				),
				okNode('Wait', 440, {
					resource: 'signatureRequest',
					operation: 'waitForSignature',
					documentId: "={{ $('Create').first().json.documentId }}",
					waitOptions: {},
				}),
				afterNode(660),
			],
			connections: {
				Start: { main: [[{ node: 'Create', type: 'main', index: 0 }]] },
				Create: { main: [[{ node: 'Wait', type: 'main', index: 0 }]] },
				Wait: { main: [[{ node: 'After', type: 'main', index: 0 }]] },
			},
		});
		await activate(workflow);
		return { workflow, url: `${e2eInfo().baseUrl}/webhook/${path}` };
	}

	it('waits for the request created earlier and resumes on its callback', async () => {
		const { workflow, url } = await createThenWaitWorkflow('e2e okdokument create then wait');
		const round = randomUUID();
		await start(url, { round });
		expect((await statusOf(workflow.id, (status) => status === 'waiting')).status).toBe('waiting');
		const request = await sandboxRequest(round);
		expect(request.sendInfoURL).toMatch(/\/webhook-waiting\/\d+\?signature=[0-9a-f]{64}$/);
		await act(round);
		const done = await statusOf(
			workflow.id,
			(status) => status !== 'waiting' && status !== 'running',
		);
		expect(done.status).toBe('success');
		const resumed = await nodeOutput(done.id, 'After');
		expect(resumed?.json).toMatchObject({
			outcome: 'signed',
			documentId: request.documentId,
			signer: { id: round },
		});
		expect(resumed?.binary?.data).toMatchObject({ mimeType: 'application/pdf' });
	});
});
