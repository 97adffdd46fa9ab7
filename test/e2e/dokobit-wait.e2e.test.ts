import { randomUUID } from 'node:crypto';
import {
	afterNode,
	callWebhook,
	createCredential,
	e2eInfo,
	executionData,
	latestExecution,
	logErrorsAbout,
	n8nLog,
	nodeOutput,
	postJson,
	settled,
	sleep,
	webhookChainWorkflow,
} from '../helpers/n8n';
import { allRefused, expectProvenResumeUrl, forgeResumeCalls } from '../helpers/resume';

// A real n8n process: webhooks register asynchronously and executions run in the background.
jest.setTimeout(60_000);

const TOKEN = 'example-dokobit-token';
let credential: { id: string; name: string };
const sandbox = () => e2eInfo().sandbox.dokobit;

beforeAll(async () => {
	credential = await createCredential('Dokobit sandbox (wait)', 'dokobitGatewayApi', {
		environment: 'custom',
		baseUrl: sandbox(),
		accessToken: TOKEN,
	});
});

/** Webhook → Send and Wait for Signature → After. Returns the webhook URL and workflow id. */
async function sendAndWaitWorkflow(name: string, waitParameters: Record<string, unknown> = {}) {
	return await webhookChainWorkflow(
		name,
		[
			{
				name: 'Send and wait',
				type: 'n8n-nodes-esign.dokobitGateway',
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
			afterNode,
		],
		'onReceived',
	);
}

const start = async (url: string, body: unknown) => (await callWebhook(url, body)).status;

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

/** What n8n answered the emulator's postbacks to one URL, in order, once `count` are answered. */
async function deliveryStatuses(url: string, count: number): Promise<Array<number | undefined>> {
	const deadline = Date.now() + 20_000;
	for (;;) {
		const all = (await (await fetch(`${sandbox()}/__deliveries`)).json()) as Array<{
			url: string;
			status?: number;
		}>;
		const statuses = all.filter((delivery) => delivery.url === url).map((d) => d.status);
		const answered = statuses.filter((status) => status !== undefined).length;
		if ((answered >= count && answered === statuses.length) || Date.now() > deadline) {
			return statuses;
		}
		await sleep(200);
	}
}

const sign = async (token: string, signer: string) =>
	expect(
		(await fetch(`${sandbox()}/__signings/${token}/signers/${signer}/sign`, { method: 'POST' }))
			.status,
	).toBe(200);

describe('Send and Wait for Signature (Dokobit) in a real n8n', () => {
	it('waits through intermediate and forged postbacks, resumes on completion with the signed file', async () => {
		const { workflow, url } = await sendAndWaitWorkflow('e2e dokobit send and wait');
		const logStart = n8nLog().length;
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
		const waiting = await latestExecution(workflow.id, (status) => status === 'waiting');
		expect(waiting.status).toBe('waiting');
		const signing = await signingNamed(name);
		expectProvenResumeUrl(signing.postbackUrl, waiting.id, TOKEN, 'dokobit');

		// Intermediate event: one of two signers. Once n8n has answered the postback, the node has
		// decided; the execution is still waiting.
		await sign(signing.token, 'a');
		expect(await deliveryStatuses(signing.postbackUrl, 1)).toEqual([200]);
		expect((await latestExecution(workflow.id, () => true)).status).toBe('waiting');

		// Forged: the execution id alone, a missing or wrong proof: 401 on every n8n version, even
		// for a completion that has really happened (the second signer signs below, first forged).
		const completed = { status: 'ok', token: signing.token, action: 'signing_completed' };
		const forged = await forgeResumeCalls(
			signing.postbackUrl,
			waiting.id,
			TOKEN,
			'dokobit',
			completed,
		);
		expect(forged).toEqual(allRefused(forged));
		// Proven but false: a completion of this still-pending signing, and an unknown token.
		const forge = async (body: unknown) => (await postJson(signing.postbackUrl, body)).status;
		expect(await forge(completed)).toBe(200);
		expect(
			await forge({ status: 'ok', token: 'someone-elses-token', action: 'signing_completed' }),
		).toBe(200);
		expect((await latestExecution(workflow.id, () => true)).status).toBe('waiting');

		// The last signer signs: the postback resumes the execution.
		await sign(signing.token, 'b');
		const done = await latestExecution(workflow.id, settled);
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
		// The last signer_signed and signing_completed come together; both are answered 200 (the
		// Gateway retries anything else) and n8n logs no error: only the completion resumes.
		expect(await deliveryStatuses(signing.postbackUrl, 3)).toEqual([200, 200, 200]);
		expect(logErrorsAbout(waiting.id, logStart)).toEqual([]);
	});

	it('lists the signer URLs on the waiting node before the wait starts', async () => {
		const { workflow, url } = await sendAndWaitWorkflow('e2e dokobit wait urls');
		const name = `Url contract ${randomUUID()}`;
		await start(url, {
			name,
			signers: [{ id: 'u', name: 'Ona', surname: 'U', signing_purpose: 'signature' }],
		});
		const waiting = await latestExecution(workflow.id, (status) => status === 'waiting');
		const beforeWait = await nodeOutput(waiting.id, 'Send and wait');
		const signers = beforeWait?.json.signers as Array<{ signingUrl: string }>;
		expect(signers[0].signingUrl).toContain(`${sandbox()}/signing/`);
		expect(beforeWait?.json.waitingFor).toBeDefined();
	});
});
