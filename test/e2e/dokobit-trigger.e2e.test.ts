/* eslint-disable @n8n/community-nodes/no-restricted-globals */
import { randomUUID } from 'node:crypto';
import {
	activate,
	createCredential,
	createWorkflow,
	e2eInfo,
	executionData,
	executions,
	waitForExecutions,
} from '../helpers/n8n';

// A real n8n process: webhooks register asynchronously and executions run in the background.
jest.setTimeout(60_000);

const TOKEN = 'example-dokobit-token';
const URL_GUARD = 'e2e-url-guard-value';
let credential: { id: string; name: string };
let triggerWorkflowId: string;
let postbackUrl: string;

const sandbox = () => e2eInfo().sandbox.dokobit;

async function dokobit(path: string, body: unknown) {
	const response = await fetch(`${sandbox()}${path}?access_token=${TOKEN}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return (await response.json()) as Record<string, unknown>;
}

/** Uploads the sample PDF and creates a signing whose postbacks go to the trigger. */
async function createSigning(signerIds: string[], postback = postbackUrl) {
	const pdf = Buffer.from(await (await fetch(`${sandbox()}/__files/sample.pdf`)).arrayBuffer());
	const { createHash } = await import('node:crypto');
	const file = await dokobit('/api/file/upload.json', {
		file: {
			name: 'contract.pdf',
			content: pdf.toString('base64'),
			digest: createHash('sha256').update(pdf).digest('hex'),
		},
	});
	const signing = await dokobit('/api/signing/create.json', {
		type: 'pdf',
		name: 'Trigger contract',
		files: [{ token: file.token }],
		postback_url: postback,
		signers: signerIds.map((id) => ({
			id,
			name: 'Ona',
			surname: 'Onaitė',
			signing_purpose: 'signature',
		})),
	});
	return signing.token as string;
}

const sign = async (token: string, signer: string) =>
	await fetch(`${sandbox()}/__signings/${token}/signers/${signer}/sign`, { method: 'POST' });

async function postRaw(body: unknown, url = postbackUrl) {
	return await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
}

beforeAll(async () => {
	credential = await createCredential('Dokobit sandbox (trigger)', 'dokobitGatewayApi', {
		environment: 'custom',
		baseUrl: sandbox(),
		accessToken: TOKEN,
	});
	const webhookId = randomUUID();
	const workflow = await createWorkflow({
		name: 'e2e dokobit trigger',
		nodes: [
			{
				id: randomUUID(),
				name: 'Dokobit Trigger',
				type: 'n8n-nodes-esign.dokobitGatewayTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters: {
					events: ['signer_signed', 'signing_completed'],
					verification: 'refetchStatus',
					secret: URL_GUARD,
					options: { downloadSignedFile: true, binaryPropertyName: 'signed' },
				},
				credentials: { dokobitGatewayApi: { id: credential.id, name: credential.name } },
			},
		],
		connections: {},
	});
	triggerWorkflowId = workflow.id;
	postbackUrl = `${e2eInfo().baseUrl}/webhook/${webhookId}/webhook?secret=${URL_GUARD}`;
	await activate(workflow);
	// Production webhooks register asynchronously: wait until the URL stops answering 404.
	const deadline = Date.now() + 20_000;
	while ((await postRaw({})).status === 404 && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
});

describe('Dokobit Gateway Trigger in a real n8n', () => {
	it('runs once per real postback, verified against the status, with the signed file as binary', async () => {
		const before = (await executions(triggerWorkflowId)).length;
		const token = await createSigning(['a', 'b']);
		expect((await sign(token, 'a')).status).toBe(200);
		expect((await sign(token, 'b')).status).toBe(200);
		// signer_signed ×2 + signing_completed = 3 executions.
		const runs = await waitForExecutions(triggerWorkflowId, before + 3);
		expect(runs.length).toBe(before + 3);
		expect(runs.every((run) => run.status === 'success')).toBe(true);
		const payloads = await Promise.all(
			runs.slice(0, 3).map(async (run) => await executionData(run.id)),
		);
		const completed = payloads.find((data) => data.includes('document.completed'));
		expect(completed).toBeDefined();
		expect(completed).toContain('filesystem-v2:');
		expect(completed).toContain(token);
		for (const data of payloads) {
			expect(data).not.toContain(TOKEN);
			expect(data).not.toContain(URL_GUARD);
		}
	});

	it('starts one execution however often the same postback is delivered', async () => {
		const before = (await executions(triggerWorkflowId)).length;
		const token = await createSigning(['solo']);
		await sign(token, 'solo');
		// signer_signed + signing_completed: the real postbacks, once each.
		const base = (await waitForExecutions(triggerWorkflowId, before + 2)).length;
		expect(base).toBe(before + 2);
		const replay = {
			status: 'ok',
			token,
			action: 'signing_completed',
			file: `${sandbox()}/api/signing/${token}/download`,
		};
		for (let attempt = 0; attempt < 3; attempt++) expect((await postRaw(replay)).status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect((await executions(triggerWorkflowId)).length).toBe(base);
	});

	it('rejects spoofed postbacks: no secret → 401, unknown token or contradicted event → no execution', async () => {
		const base = (await executions(triggerWorkflowId)).length;
		const noSecret = postbackUrl.replace(/\?secret=.*/, '');
		expect(
			(await postRaw({ status: 'ok', token: 'x', action: 'signing_completed' }, noSecret)).status,
		).toBe(401);
		expect(
			(await postRaw({ status: 'ok', token: 'unknown-token', action: 'signing_completed' })).status,
		).toBe(200);
		const pending = await createSigning(['p1']);
		expect(
			(await postRaw({ status: 'ok', token: pending, action: 'signing_completed' })).status,
		).toBe(200);
		expect(
			(await postRaw({ status: 'ok', token: pending, action: 'signer_signed', signer: 'p1' }))
				.status,
		).toBe(200);
		expect((await postRaw('not json at all')).status).toBe(400);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect((await executions(triggerWorkflowId)).length).toBe(base);
	});
});
