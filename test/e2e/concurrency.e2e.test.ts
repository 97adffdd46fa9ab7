// "Request Concurrency: Auto" in a real n8n: a node saved without the parameter (as every node
// left at the old default was) runs with Auto against a Gateway that serves 3 requests at once and
// answers 429 + Retry-After beyond; a node saved with a number keeps that fixed number (one above
// the vendor's limit would fail there after MAX_RETRIES, as it always did: that is what Auto is for).
import { createHash } from 'node:crypto';
import { callWebhook, createCredential, e2eInfo, webhookChainWorkflow } from '../helpers/n8n';

jest.setTimeout(120_000);

const TOKEN = 'example-dokobit-token';
const ITEMS = 24;
const VENDOR_LIMIT = 3;
let credential: { id: string; name: string };
let signingToken: string;

const sandbox = () => e2eInfo().sandbox.dokobit;
const statusPath = () => `/api/signing/${signingToken}/status.json`;

async function gateway(method: string, path: string, body?: unknown) {
	const response = await fetch(`${sandbox()}${path}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return text ? JSON.parse(text) : undefined;
}

beforeAll(async () => {
	credential = await createCredential('Dokobit sandbox (concurrency)', 'dokobitGatewayApi', {
		environment: 'custom',
		baseUrl: sandbox(),
		accessToken: TOKEN,
	});
	const pdf = Buffer.from(await (await fetch(`${sandbox()}/__files/sample.pdf`)).arrayBuffer());
	const file = await gateway('POST', `/api/file/upload.json?access_token=${TOKEN}`, {
		file: {
			name: 'contract.pdf',
			content: pdf.toString('base64'),
			digest: createHash('sha256').update(pdf).digest('hex'),
		},
	});
	const signing = await gateway('POST', `/api/signing/create.json?access_token=${TOKEN}`, {
		type: 'pdf',
		name: 'Concurrency e2e',
		files: [{ token: file.token }],
		signers: [
			{ id: '50001018865', name: 'Jonas', surname: 'Jonaitis', signing_purpose: 'signature' },
		],
	});
	signingToken = signing.token;
	expect(signingToken).toBeTruthy();
});

afterEach(async () => await gateway('DELETE', '/__limits'));

/** Webhook → Code (ITEMS items) → Dokobit Get Status of the signing → a summary item. */
async function statusWorkflow(name: string, concurrency?: number) {
	return await webhookChainWorkflow(name, [
		{
			name: 'Items',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			parameters: {
				jsCode: `return Array.from({ length: ${ITEMS} }, (_, n) => ({ json: { n, token: ${JSON.stringify(signingToken)} } }));`,
			},
		},
		{
			name: 'Dokobit',
			type: 'n8n-nodes-esign.dokobitGateway',
			parameters: {
				resource: 'signing',
				operation: 'getStatus',
				signingToken: '={{ $json.token }}',
				...(concurrency === undefined ? {} : { requestConcurrency: concurrency }),
			},
			credentials: { dokobitGatewayApi: { id: credential.id, name: credential.name } },
		},
		{
			name: 'Summary',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			parameters: {
				jsCode:
					"const items = $input.all();\nreturn [{ json: { count: items.length, pending: items.filter((item) => item.json.status === 'pending').length, paired: items.map((item, n) => item.pairedItem?.item === n).every(Boolean) } }];",
			},
		},
	]);
}

/** Only this test's status path is limited, so other e2e files sharing the sandbox are not. */
async function limitTheGateway() {
	await gateway('POST', '/__limits', {
		maxInFlight: VENDOR_LIMIT,
		retryAfter: 1,
		path: `^${statusPath()}$`,
	});
	await gateway('POST', '/__faults', {
		match: { path: `^${statusPath()}$` },
		action: { latencyMs: 150 },
	});
}

async function statusRequests() {
	const log = (await gateway('GET', '/__requests')) as Array<{ path: string; limited?: boolean }>;
	const mine = log.filter((request) => request.path === statusPath());
	return {
		served: mine.filter((r) => !r.limited).length,
		refused: mine.filter((r) => r.limited).length,
	};
}

describe('Request Concurrency in a real n8n', () => {
	it('a node saved without the parameter runs with Auto: every item succeeds, in order, after a few retried 429s', async () => {
		const flow = await statusWorkflow('e2e concurrency: auto');
		const before = await statusRequests();
		await limitTheGateway();
		const result = await callWebhook(flow.url, {});
		expect(result.status).toBe(200);
		expect(result.json).toEqual({ count: ITEMS, pending: ITEMS, paired: true });
		const after = await statusRequests();
		expect(after.served - before.served).toBe(ITEMS);
		const refused = after.refused - before.refused;
		// Auto starts with 4 against a limit of 3: refused at least once, then held below the limit.
		expect(refused).toBeGreaterThanOrEqual(1);
		expect(refused).toBeLessThanOrEqual(4);
	});

	it('a node saved with a number keeps that fixed number (2, below the limit: never refused, where Auto was)', async () => {
		const flow = await statusWorkflow('e2e concurrency: fixed 2', 2);
		const before = await statusRequests();
		await limitTheGateway();
		const result = await callWebhook(flow.url, {});
		expect(result.status).toBe(200);
		expect(result.json).toEqual({ count: ITEMS, pending: ITEMS, paired: true });
		const after = await statusRequests();
		expect(after.served - before.served).toBe(ITEMS);
		expect(after.refused - before.refused).toBe(0);
	});
});
