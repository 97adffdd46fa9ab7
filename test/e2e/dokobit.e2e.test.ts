import { randomUUID } from 'node:crypto';
import {
	callWebhook,
	createCredential,
	e2eInfo,
	executionData,
	latestExecution,
	n8nLog,
	rest,
	sleep,
	waitForExecutions,
	webhookChainWorkflow,
	refusalMessage,
} from '../helpers/n8n';

// A real n8n process: webhooks register asynchronously and executions run in the background.
jest.setTimeout(60_000);

const TOKEN = 'example-dokobit-token';
let credential: { id: string; name: string };

beforeAll(async () => {
	credential = await createCredential('Dokobit sandbox', 'dokobitGatewayApi', {
		environment: 'custom',
		baseUrl: e2eInfo().sandbox.dokobit,
		accessToken: TOKEN,
	});
});

/** Webhook (responds with the last node's first item) → one Dokobit node. */
async function webhookWorkflow(name: string, parameters: Record<string, unknown>) {
	return await webhookChainWorkflow(name, [
		{
			name: 'Dokobit',
			type: 'n8n-nodes-esign.dokobitGateway',
			parameters,
			credentials: { dokobitGatewayApi: { id: credential.id, name: credential.name } },
		},
	]);
}

describe('Dokobit Gateway in a real n8n', () => {
	it('loads the package from its tarball: nodes.json lists the node and its AI-tool variant', async () => {
		const types = await rest<Array<{ name: string }>>('GET', '/types/nodes.json');
		const names = types.map((type) => type.name);
		expect(names).toEqual(
			expect.arrayContaining([
				'n8n-nodes-esign.dokobitGateway',
				'n8n-nodes-esign.dokobitGatewayTool',
			]),
		);
	});

	it('credential test: a good token passes, a wrong one fails', async () => {
		const test = async (accessToken: string) =>
			await rest<{ status: string; message: string }>('POST', '/rest/credentials/test', {
				credentials: {
					id: credential.id,
					name: 'probe',
					type: 'dokobitGatewayApi',
					data: { environment: 'custom', baseUrl: e2eInfo().sandbox.dokobit, accessToken },
				},
			});
		expect((await test(TOKEN)).status).toBe('OK');
		const bad = await test('wrong-token');
		expect(bad).toEqual({
			status: 'Error',
			message: refusalMessage('Invalid Dokobit access token for this environment'),
		});
	});

	it('creates a signing from a URL, the signer signs, the signed PDF downloads as binary', async () => {
		const sandbox = e2eInfo().sandbox.dokobit;
		const create = await webhookWorkflow('e2e dokobit create', {
			resource: 'signing',
			operation: 'create',
			name: '={{ $json.body.name }}',
			type: 'pdf',
			filesFrom: 'upload',
			fileSource: 'url',
			fileUrl: `${sandbox}/__files/sample.pdf`,
			signersInput: 'json',
			signersJson: '={{ JSON.stringify($json.body.signers) }}',
		});
		const created = await callWebhook(create.url, {
			name: 'E2E agreement',
			signers: [
				{ id: 'signer-1', name: 'Jonas', surname: 'Jonaitis', signing_purpose: 'signature' },
			],
		});
		expect(created.status).toBe(200);
		const token = created.json.token as string;
		const signers = created.json.signers as Array<{ id: string; signingUrl: string }>;
		expect(signers[0].signingUrl).toContain(`${sandbox}/signing/${token}?access_token=`);

		const signed = await fetch(`${sandbox}/__signings/${token}/signers/signer-1/sign`, {
			method: 'POST',
		});
		expect(signed.status).toBe(200);

		const download = await webhookWorkflow('e2e dokobit download', {
			resource: 'signing',
			operation: 'download',
			signingToken: '={{ $json.body.token }}',
			binaryPropertyName: 'signed',
		});
		const downloaded = await callWebhook(download.url, { token });
		expect(downloaded.json).toMatchObject({
			token,
			fileName: 'E2E_agreement.pdf',
			mimeType: 'application/pdf',
		});
		const [execution] = await waitForExecutions(download.workflow.id, 1);
		expect(execution.status).toBe('success');
		const data = await executionData(execution.id);
		// Filesystem binary mode: the file is in n8n's binary store, referenced by id.
		expect(data).toContain('filesystem-v2:');
	});

	it('never shows the access token in execution data or in n8n’s log', async () => {
		const failing = await webhookWorkflow('e2e dokobit leak probe', {
			resource: 'signing',
			operation: 'getStatus',
			signingToken: 'does-not-exist',
		});
		await callWebhook(failing.url, {});
		const [execution] = await waitForExecutions(failing.workflow.id, 1);
		expect(execution.status).toBe('error');
		const data = await executionData(execution.id);
		expect(data).toContain('could not find');
		expect(data).not.toContain(TOKEN);
		expect(n8nLog()).not.toContain(TOKEN);
	});

	describe('stopping an execution ends its waits at once, on every n8n version', () => {
		const sandbox = () => e2eInfo().sandbox.dokobit;
		const control = async (method: string, path: string, body?: unknown) =>
			await fetch(`${sandbox()}${path}`, {
				method,
				headers: { 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		afterEach(async () => await control('DELETE', '/__faults'));

		/** Number of requests the sandbox has logged for paths matching `pattern`. */
		const requestsTo = async (pattern: RegExp) =>
			((await (await control('GET', '/__requests')).json()) as Array<{ path: string }>).filter(
				(request) => pattern.test(request.path),
			).length;

		/**
		 * Starts the workflow, waits until the node is in its pause (the sandbox has answered the
		 * request that causes it), stops the execution and returns its state once it has ended. The
		 * pause would last 30 s; the deadline given to `latestExecution` is far shorter.
		 */
		async function stopDuringPause(
			name: string,
			parameters: Record<string, unknown>,
			pausedBy: RegExp,
		) {
			const { workflow, url } = await webhookChainWorkflow(
				name,
				[
					{
						name: 'Dokobit',
						type: 'n8n-nodes-esign.dokobitGateway',
						parameters,
						credentials: { dokobitGatewayApi: { id: credential.id, name: credential.name } },
					},
				],
				'onReceived',
			);
			await callWebhook(url, {});
			const running = await latestExecution(workflow.id, (status) => status === 'running');
			expect(running.status).toBe('running');
			const deadline = Date.now() + 20_000;
			while ((await requestsTo(pausedBy)) === 0 && Date.now() < deadline) await sleep(100);
			const before = await requestsTo(pausedBy);
			expect(before).toBeGreaterThan(0);
			await rest('POST', `/rest/executions/${running.id}/stop`, {});
			const ended = await latestExecution(workflow.id, (status) => status !== 'running', 8_000);
			return { ended, before, after: await requestsTo(pausedBy) };
		}

		it('during a Retry-After pause of a read (429, Retry-After: 60)', async () => {
			const token = `cancel-${randomUUID()}`;
			const path = `/api/signing/${token}/status\\.json`;
			await control('POST', '/__faults', {
				match: { path },
				action: { status: 429, retryAfter: 60 },
			});
			const { ended, before, after } = await stopDuringPause(
				'e2e dokobit stop during retry-after',
				{ resource: 'signing', operation: 'getStatus', signingToken: token },
				new RegExp(path),
			);
			expect(ended.status).not.toBe('running');
			expect(ended.status).not.toBe('success');
			// Nothing more was asked once the execution was stopped.
			expect(after).toBe(before);
		});

		it('while an upload is polled for its status', async () => {
			await control('POST', '/__faults', {
				match: { path: '^/api/file/upload/[^/]+/status\\.json$' },
				action: { status: 200, body: { status: 'pending' } },
			});
			const { ended } = await stopDuringPause(
				'e2e dokobit stop during upload polling',
				{
					resource: 'file',
					operation: 'upload',
					fileSource: 'url',
					fileUrl: `${sandbox()}/__files/sample.pdf`,
					options: { maxWaitSeconds: 600 },
				},
				/^\/api\/file\/upload\/[^/]+\/status\.json$/,
			);
			expect(ended.status).not.toBe('running');
			expect(ended.status).not.toBe('success');
		});
	});
});
