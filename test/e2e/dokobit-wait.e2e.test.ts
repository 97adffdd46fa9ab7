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

const TOKEN = 'example-dokobit-token';
let credential: { id: string; name: string };
const sandbox = () => e2eInfo().sandbox.dokobit;
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
	credential = await createCredential('Dokobit sandbox (wait)', 'dokobitGatewayApi', {
		environment: 'custom',
		baseUrl: sandbox(),
		accessToken: TOKEN,
	});
});

/** Webhook → Send and Wait for Signature → After. Returns the webhook URL and workflow id. */
async function sendAndWaitWorkflow(name: string, waitParameters: Record<string, unknown> = {}) {
	const path = `wait-${randomUUID()}`;
	const workflow = await createWorkflow({
		name,
		nodes: [
			{
				id: randomUUID(),
				name: 'Start',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
			},
			{
				id: randomUUID(),
				name: 'Send and wait',
				type: 'n8n-nodes-esign.dokobitGateway',
				typeVersion: 1,
				position: [220, 0],
				webhookId: randomUUID(),
				parameters: {
					resource: 'signing',
					operation: 'createAndWait',
					name: '={{ $json.body.name }}',
					type: 'pdf',
					filesFrom: 'upload',
					fileSource: 'url',
					fileUrl: `${sandbox()}/__files/sample.pdf`,
					signersInput: 'json',
					signersJson: '={{ JSON.stringify($json.body.signers) }}',
					waitOptions: { binaryPropertyName: 'signed' },
					...waitParameters,
				},
				credentials: { dokobitGatewayApi: { id: credential.id, name: credential.name } },
			},
			{
				id: randomUUID(),
				name: 'After',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [440, 0],
				parameters: {},
			},
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

interface SandboxSigning {
	token: string;
	name: string;
	status: string;
	postbackUrl: string;
}

async function signingNamed(name: string): Promise<SandboxSigning> {
	for (let attempt = 0; attempt < 40; attempt++) {
		const list = (await (await fetch(`${sandbox()}/__signings`)).json()) as SandboxSigning[];
		const found = list.find((signing) => signing.name === name);
		if (found) return found;
		await sleep(250);
	}
	throw new Error(`no signing named ${name}`);
}

const sign = async (token: string, signer: string) =>
	expect(
		(await fetch(`${sandbox()}/__signings/${token}/signers/${signer}/sign`, { method: 'POST' }))
			.status,
	).toBe(200);

describe('Send and Wait for Signature (Dokobit) in a real n8n', () => {
	it('waits through intermediate and forged postbacks, resumes on completion with the signed file', async () => {
		const { workflow, url } = await sendAndWaitWorkflow('e2e dokobit send and wait');
		const name = `Wait contract ${randomUUID()}`;
		expect(
			await start(url, {
				name,
				signers: [
					{ id: 'a', name: 'Ona', surname: 'A', signing_purpose: 'signature' },
					{ id: 'b', name: 'Jonas', surname: 'B', signing_purpose: 'signature' },
				],
			}),
		).toBe(200);
		const waiting = await statusOf(workflow.id, (status) => status === 'waiting');
		expect(waiting.status).toBe('waiting');
		const signing = await signingNamed(name);
		expect(signing.postbackUrl).toMatch(/\/webhook-waiting\/\d+\?signature=[0-9a-f]{64}/);

		// Intermediate event: one of two signers.
		await sign(signing.token, 'a');
		await sleep(1500);
		expect((await statusOf(workflow.id, () => true)).status).toBe('waiting');

		// Forged: a completed event for this signing while it is still pending, and an unknown token.
		const forge = async (body: unknown) =>
			(
				await fetch(signing.postbackUrl, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(body),
				})
			).status;
		expect(await forge({ status: 'ok', token: signing.token, action: 'signing_completed' })).toBe(
			200,
		);
		expect(
			await forge({ status: 'ok', token: 'someone-elses-token', action: 'signing_completed' }),
		).toBe(200);
		await sleep(1000);
		expect((await statusOf(workflow.id, () => true)).status).toBe('waiting');

		// The last signer signs: the postback resumes the execution.
		await sign(signing.token, 'b');
		const done = await statusOf(
			workflow.id,
			(status) => status !== 'waiting' && status !== 'running',
		);
		expect(done.status).toBe('success');
		const resumed = await nodeOutput(done.id, 'After');
		expect(resumed?.json).toMatchObject({
			outcome: 'completed',
			event: 'document.completed',
			vendor: 'dokobit',
			documentId: signing.token,
			verified: true,
		});
		expect((resumed?.json.status as { signedCount: number }).signedCount).toBe(2);
		expect(resumed?.binary?.signed).toMatchObject({
			mimeType: 'application/pdf',
			fileName: `${name.replace(/[^\w.-]+/g, '_')}.pdf`,
		});
		expect(resumed?.binary?.signed.id).toMatch(/^filesystem-v2:/);
		expect(await executionData(done.id)).not.toContain(TOKEN);
	});

	it('resumes at the wait-time limit with the input passed through', async () => {
		const { workflow, url } = await sendAndWaitWorkflow('e2e dokobit wait limit', {
			limitWaitTime: {
				values: { limitType: 'afterTimeInterval', resumeAmount: 0.05, resumeUnit: 'minutes' },
			},
		});
		const name = `Timeout contract ${randomUUID()}`;
		await start(url, {
			name,
			signers: [{ id: 'x', name: 'Ona', surname: 'X', signing_purpose: 'signature' }],
		});
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
		expect((passedThrough?.json.body as { name: string }).name).toBe(name);
		expect((await signingNamed(name)).status).toBe('pending');
	}, 120_000);

	it('lists the signer URLs on the waiting node before the wait starts', async () => {
		const { workflow, url } = await sendAndWaitWorkflow('e2e dokobit wait urls');
		const name = `Url contract ${randomUUID()}`;
		await start(url, {
			name,
			signers: [{ id: 'u', name: 'Ona', surname: 'U', signing_purpose: 'signature' }],
		});
		const waiting = await statusOf(workflow.id, (status) => status === 'waiting');
		const beforeWait = await nodeOutput(waiting.id, 'Send and wait');
		const signers = beforeWait?.json.signers as Array<{ signingUrl: string }>;
		expect(signers[0].signingUrl).toContain(`${sandbox()}/signing/`);
		expect(beforeWait?.json.waitingFor).toBeDefined();
	});
});
