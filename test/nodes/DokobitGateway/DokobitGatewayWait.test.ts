// The resume webhook of Dokobit's Send and Wait for Signature / Wait for Signature, attacked:
// hand-built IWebhookFunctions (test/nodes/shared/webhookMock.ts) with the waiting execution's
// custom data, against the Dokobit emulator over real HTTP. Nothing resumes unless the re-fetched
// status of the awaited signing is terminal; a retry-pointless call is answered 2xx, a malformed
// one 400, and neither asks the Gateway anything it need not.
import type { IWebhookResponseData } from 'n8n-workflow';
import { DokobitGateway } from '../../../nodes/DokobitGateway/DokobitGateway.node';
import { WAITING_FOR } from '../../../nodes/DokobitGateway/helpers/wait';
import { RESUME_PROOF_PARAMETER, legacyResumeProof } from '../../../nodes/shared/resume';
import { startSandbox, type Sandbox } from '../../helpers/sandbox';
import { type MockExecution, mockWebhookFunctions } from '../shared/webhookMock';
import {
	GOOD_TOKEN,
	JONAS,
	ONA,
	SIGNED_MARK,
	apiRequests,
	clearLog,
	createSigning,
	samplePdf,
	signAs,
} from './harness';

const node = new DokobitGateway();

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit']);
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

interface Call {
	body?: unknown;
	rawBody?: Buffer;
	headers?: Record<string, string>;
	method?: string;
	/** The resume URL's query; by default the one the node gave Dokobit (with its proof). */
	query?: Record<string, unknown>;
	execution?: MockExecution;
}

const EXECUTION_ID = 'exec-1';
const PROOF = { [RESUME_PROOF_PARAMETER]: legacyResumeProof(GOOD_TOKEN, 'dokobit', EXECUTION_ID) };

/** One resume call for an execution waiting for `awaited` (undefined: it recorded nothing). */
async function resume(awaited: string | undefined, call: Call) {
	const mock = mockWebhookFunctions({
		method: call.method,
		body: call.body,
		rawBody: call.rawBody,
		headers: call.headers,
		query: call.query ?? PROOF,
		execution: {
			id: EXECUTION_ID,
			customData: awaited ? { [WAITING_FOR]: awaited } : {},
			...call.execution,
		},
		parameters: { resource: 'signing', operation: 'createAndWait', waitOptions: {} },
		credentials: {
			dokobitGatewayApi: {
				environment: 'custom',
				baseUrl: sandbox.url('dokobit'),
				accessToken: GOOD_TOKEN,
			},
		},
		node: { name: 'Send and wait', type: 'n8n-nodes-esign.dokobitGateway' },
	});
	const result = (await node.webhook!.call(mock.ctx)) as IWebhookResponseData;
	return { result, response: mock.response, requests: mock.requests };
}

const postback = (token: string, action: string, extra: Record<string, unknown> = {}) => ({
	body: { status: 'ok', token, action, ...extra },
});

async function pendingSigning(signers = [JONAS]): Promise<string> {
	return (await createSigning(sandbox, pdf, signers)).token;
}

describe('Dokobit wait: the resume webhook', () => {
	it('registers the resume call for POST only (n8n answers other methods itself)', () => {
		expect(node.description.webhooks?.map((webhook) => webhook.httpMethod)).toEqual(['POST']);
	});

	it('resumes on a completion the status bears out, with the signed file (the control case)', async () => {
		const token = await pendingSigning();
		await signAs(sandbox, token, JONAS.id);
		const { result, response } = await resume(token, postback(token, 'signing_completed'));
		expect(response.statusCode).toBe(200);
		const item = result.workflowData?.[0]?.[0];
		expect(item?.json).toMatchObject({ outcome: 'completed', documentId: token });
		const file = Buffer.from(item!.binary!.data.data, 'base64');
		expect(file.toString('latin1')).toContain(SIGNED_MARK);
	});

	it('resumes on n8n before 2.16, reading the awaited signing through $execution.customData', async () => {
		const token = await pendingSigning();
		await signAs(sandbox, token, JONAS.id);
		const { result } = await resume(token, {
			...postback(token, 'signing_completed'),
			execution: { customDataApi: 'additionalKeys' },
		});
		expect(result.workflowData?.[0]?.[0]?.json).toMatchObject({ outcome: 'completed' });
	});

	it.each([
		['no proof', {}],
		['a wrong proof', { [RESUME_PROOF_PARAMETER]: 'f'.repeat(64) }],
		['the proof given twice', { [RESUME_PROOF_PARAMETER]: [PROOF.esignProof, PROOF.esignProof] }],
		[
			'the proof of another execution',
			{ [RESUME_PROOF_PARAMETER]: legacyResumeProof(GOOD_TOKEN, 'dokobit', 'exec-2') },
		],
		[
			'a proof made with another key',
			{ [RESUME_PROOF_PARAMETER]: legacyResumeProof('another-key', 'dokobit', EXECUTION_ID) },
		],
		// n8n before 2.14 ignores its own signature on our resume URLs: it proves nothing.
		['only an n8n signature', { signature: 'anything' }],
	])(
		'refuses (401, nothing asked, still waiting) a real completion sent with %s',
		async (_, query) => {
			const token = await pendingSigning();
			await signAs(sandbox, token, JONAS.id);
			await clearLog(sandbox);
			const { result, response } = await resume(token, {
				...postback(token, 'signing_completed'),
				query,
			});
			expect(response.statusCode).toBe(401);
			expect(result.workflowData).toBeUndefined();
			expect(await apiRequests(sandbox)).toEqual([]);
		},
	);

	it('keeps waiting (200) for a forged completion of a signing that is still pending', async () => {
		const token = await pendingSigning();
		await clearLog(sandbox);
		const { result, response } = await resume(token, postback(token, 'signing_completed'));
		expect(response).toMatchObject({ statusCode: 200, body: { received: true } });
		expect(result.workflowData).toBeUndefined();
		// It did check: one status read, no download.
		expect((await apiRequests(sandbox)).map((r) => r.path)).toEqual([
			`/api/signing/${token}/status.json`,
		]);
	});

	it('keeps waiting when the event contradicts the status (a signer_signed for a signer who has not)', async () => {
		const token = await pendingSigning([JONAS, ONA]);
		await signAs(sandbox, token, JONAS.id);
		const { result, response } = await resume(
			token,
			postback(token, 'signer_signed', { signer: ONA.id }),
		);
		expect(response.statusCode).toBe(200);
		expect(result.workflowData).toBeUndefined();
	});

	it('keeps waiting (200, nothing asked) on the last signer_signed: only signing_completed resumes', async () => {
		// The Gateway sends both when the last signer signs; a second resume would fail in n8n.
		const token = await pendingSigning([JONAS, ONA]);
		await signAs(sandbox, token, JONAS.id);
		await signAs(sandbox, token, ONA.id);
		await clearLog(sandbox);
		const { result, response } = await resume(
			token,
			postback(token, 'signer_signed', { signer: ONA.id }),
		);
		expect(response).toMatchObject({ statusCode: 200, body: { received: true } });
		expect(result.workflowData).toBeUndefined();
		expect(await apiRequests(sandbox)).toEqual([]);
		const completed = await resume(token, postback(token, 'signing_completed'));
		expect(completed.result.workflowData?.[0]?.[0]?.json).toMatchObject({ outcome: 'completed' });
	});

	it('keeps waiting through a replayed intermediate event, however often it arrives', async () => {
		const token = await pendingSigning([JONAS, ONA]);
		await signAs(sandbox, token, JONAS.id);
		for (let attempt = 0; attempt < 3; attempt++) {
			const { result, response } = await resume(
				token,
				postback(token, 'signer_signed', { signer: JONAS.id }),
			);
			expect(response.statusCode).toBe(200);
			expect(result.workflowData).toBeUndefined();
		}
	});

	it('ignores (200, nothing asked) an event for another signing, and any event when nothing is awaited', async () => {
		const mine = await pendingSigning();
		const other = await pendingSigning();
		await signAs(sandbox, other, JONAS.id);
		await clearLog(sandbox);
		for (const awaited of [mine, undefined]) {
			const { result, response, requests } = await resume(
				awaited,
				postback(other, 'signing_completed'),
			);
			expect(response).toMatchObject({ statusCode: 200, body: { received: true } });
			expect(result.workflowData).toBeUndefined();
			expect(requests).toHaveLength(0);
		}
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it('acknowledges (200) an event for a signing the Gateway does not know', async () => {
		const { result, response } = await resume(
			's-unknown-signing',
			postback('s-unknown-signing', 'signing_completed'),
		);
		expect(response.statusCode).toBe(200);
		expect(result.workflowData).toBeUndefined();
	});

	it('answers first and resumes with downloadError when the signed file cannot be fetched', async () => {
		const token = await pendingSigning();
		await signAs(sandbox, token, JONAS.id);
		await sandbox.control('dokobit', 'POST', '/__faults', {
			// Refused outright (a 5xx would be retried with backoff first).
			match: { method: 'GET', path: '/download' },
			action: { status: 403 },
		});
		const { result, response } = await resume(token, postback(token, 'signing_completed'));
		// The verified completion is not lost to a failed file: 200, and the wait ends with it.
		expect(response).toMatchObject({ statusCode: 200, body: { received: true } });
		const [[item]] = result.workflowData!;
		expect(item.json).toMatchObject({ outcome: 'completed', event: 'document.completed' });
		expect(String(item.json.downloadError)).toMatch(/HTTP 403/);
		expect(item.binary).toBeUndefined();
		expect(JSON.stringify(item.json)).not.toContain(GOOD_TOKEN);
	});

	it('answers 503 when the status cannot be read, so the Gateway retries, and keeps waiting', async () => {
		const token = await pendingSigning();
		await signAs(sandbox, token, JONAS.id);
		await sandbox.control('dokobit', 'POST', '/__faults', {
			match: { method: 'GET', path: '/status\\.json$' },
			action: { status: 403 },
		});
		const { result, response } = await resume(token, postback(token, 'signing_completed'));
		expect(response.statusCode).toBe(503);
		expect(result.workflowData).toBeUndefined();
	});

	const big = JSON.stringify({
		status: 'ok',
		token: 'abc',
		action: 'signing_completed',
		padding: 'x'.repeat(70_000),
	});
	it.each<[string, Call, string]>([
		[
			'text that is not JSON',
			{ headers: { 'content-type': 'text/plain' }, body: 'not json' },
			'Body is not valid JSON',
		],
		['a JSON array', { body: [{ token: 'abc' }] }, 'Body is not a JSON object'],
		['an empty body', { headers: { 'content-type': 'text/plain' }, body: '' }, 'Empty body'],
		[
			'a form body',
			{
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: { token: 'abc', action: 'signing_completed' },
			},
			'Expected a JSON body, got application/x-www-form-urlencoded',
		],
		['no token', { body: { action: 'signing_completed' } }, 'Missing token'],
		[
			'a malformed token',
			{ body: { token: '../x', action: 'signing_completed' } },
			'Malformed token',
		],
		[
			'an unknown action',
			{ body: { token: 'abc', action: 'signer_declined' } },
			'Unknown action "signer_declined"',
		],
	])('answers 400 to %s, asks nothing and keeps waiting', async (_label, call, message) => {
		const { result, response, requests } = await resume('abc', call);
		expect(response).toMatchObject({ statusCode: 400, body: { message } });
		expect(result.workflowData).toBeUndefined();
		expect(requests).toHaveLength(0);
	});

	it('answers 413 to an oversized body, asks nothing and keeps waiting', async () => {
		const { result, response, requests } = await resume('abc', {
			body: JSON.parse(big),
			rawBody: Buffer.from(big),
		});
		expect(response).toMatchObject({
			statusCode: 413,
			body: { message: 'Body is larger than 64 KiB' },
		});
		expect(result.workflowData).toBeUndefined();
		expect(requests).toHaveLength(0);
	});
});
