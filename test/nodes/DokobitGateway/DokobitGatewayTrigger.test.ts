import { createHash } from 'crypto';
import type { IBinaryData, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { DokobitGatewayTrigger } from '../../../nodes/DokobitGateway/DokobitGatewayTrigger.node';
import { fetchBytes, startSandbox, type Sandbox } from '../../helpers/sandbox';
import {
	type Delivery,
	type WebhookReceiver,
	mockWebhookFunctions,
	startWebhookReceiver,
} from '../shared/webhookMock';
import { GOOD_TOKEN, apiRequests } from './harness';

const URL_CHECK = 'test-callback-check-value';
const ALL_EVENTS = [
	'signer_signed',
	'signing_completed',
	'signing_archived',
	'signing_archive_failed',
];
const node = new DokobitGatewayTrigger();

let sandbox: Sandbox;
let receiver: WebhookReceiver;
let pdf: Buffer;

const dokobit = () => sandbox.url('dokobit');
const credentials = () => ({
	dokobitGatewayApi: { environment: 'custom', baseUrl: dokobit(), accessToken: GOOD_TOKEN },
});
const parameters = (extra: Record<string, unknown> = {}) => ({
	events: ALL_EVENTS,
	verification: 'refetchStatus',
	secret: URL_CHECK,
	options: {},
	...extra,
});

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit']);
	pdf = await fetchBytes(`${dokobit()}/__files/sample.pdf`);
});
afterAll(async () => await sandbox.close());

beforeEach(async () => {
	receiver = await startWebhookReceiver(node, {
		parameters: parameters(),
		credentials: credentials(),
	});
});
afterEach(async () => await receiver.close());

// ----- helpers -----------------------------------------------------------------------------------

async function gateway<T = IDataObject>(path: string, body: unknown): Promise<T> {
	const response = await fetch(`${dokobit()}${path}?access_token=${GOOD_TOKEN}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const json = (await response.json()) as T;
	if (!response.ok) throw new Error(`${path}: ${JSON.stringify(json)}`);
	return json;
}

const postbackUrl = (query = `secret=${URL_CHECK}&flow=contracts`) =>
	`${receiver.url}/webhook?${query}`;

/** A pdf signing with signers "1" (code 50001018865) and "2" (38912319999); postbacks go to the receiver unless told otherwise. */
async function createSigning(postback: string | null = postbackUrl()): Promise<string> {
	const digest = createHash('sha256').update(pdf).digest('hex');
	const upload = await gateway<{ token: string }>('/api/file/upload.json', {
		file: { name: 'agreement.pdf', digest, content: pdf.toString('base64') },
	});
	const signer = (id: string, name: string, code: string) => ({
		id,
		name,
		surname: 'Jonaitis',
		code,
		signing_purpose: 'signature',
	});
	const created = await gateway<{ token: string }>('/api/signing/create.json', {
		type: 'pdf',
		name: 'Agreement',
		files: [{ token: upload.token }],
		signers: [signer('1', 'Jonas', '50001018865'), signer('2', 'Ona', '38912319999')],
		...(postback ? { postback_url: postback } : {}),
	});
	return created.token;
}

async function sign(token: string, signerId: string): Promise<void> {
	await sandbox.control('dokobit', 'POST', `/__signings/${token}/signers/${signerId}/sign`, {
		signing_option: 'smartid',
	});
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

interface EmulatorDelivery {
	url: string;
	body: IDataObject;
	attempt: number;
	status?: number;
	ok?: boolean;
}

async function emulatorDeliveries(token: string): Promise<EmulatorDelivery[]> {
	const all = await sandbox.control<EmulatorDelivery[]>('dokobit', 'GET', '/__deliveries');
	return all.filter((delivery) => delivery.body.token === token);
}

/**
 * The emulator's attempts for this signing once it has read the answer to `count` of them. It
 * reads an answer after the receiver sends it, so a settled delivery is not yet recorded here.
 */
async function answeredDeliveries(token: string, count: number): Promise<EmulatorDelivery[]> {
	const until = Date.now() + 8_000;
	for (;;) {
		const list = await emulatorDeliveries(token);
		if (list.filter((delivery) => delivery.ok !== undefined).length >= count) return list;
		if (Date.now() > until) throw new Error(`timed out waiting for ${count} answered postbacks`);
		await sleep(20);
	}
}

async function statusCalls(token: string): Promise<number> {
	return (await apiRequests(sandbox)).filter((r) => r.path === `/api/signing/${token}/status.json`)
		.length;
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
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await response.text();
	return {
		status: response.status,
		json: text ? (JSON.parse(text) as unknown) : undefined,
		delivery: receiver.deliveries[before],
	};
}

function onlyItem(delivery: Delivery): INodeExecutionData {
	const data = delivery.result?.workflowData;
	expect(data).toHaveLength(1);
	expect(data![0]).toHaveLength(1);
	return data![0][0];
}

const executionsFor = (token: string, action?: string) =>
	receiver
		.executions()
		.filter(
			(delivery) =>
				(delivery.body as IDataObject).token === token &&
				(action === undefined || (delivery.body as IDataObject).action === action),
		);

// ----- tests -------------------------------------------------------------------------------------

describe('Dokobit Gateway Trigger', () => {
	it('describes a POST webhook trigger with no-op lifecycle methods', async () => {
		const { description } = node;
		expect(description.name).toBe('dokobitGatewayTrigger');
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.webhooks).toEqual([
			expect.objectContaining({
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			}),
		]);
		const names = description.properties.map((property) => property.name);
		expect(names).toEqual(['notice', 'events', 'verification', 'secret', 'options']);
		expect(description.properties.find((p) => p.name === 'verification')?.default).toBe(
			'refetchStatus',
		);
		const lifecycle = node.webhookMethods.default;
		const hook = {} as never;
		expect(await lifecycle.checkExists.call(hook)).toBe(true);
		expect(await lifecycle.create.call(hook)).toBe(true);
		expect(await lifecycle.delete.call(hook)).toBe(true);
	});

	it('turns a real signer_signed postback into one verified, normalized item', async () => {
		const token = await createSigning();
		await sign(token, '1');
		const [delivery] = await waitFor(
			() => executionsFor(token).length === 1 && executionsFor(token),
			'execution',
		);
		// No file to fetch: the node leaves the answer to n8n, which sends it once the run is queued.
		expect(delivery.response).toMatchObject({ statusCode: 200 });
		expect(delivery.response?.body).toBeUndefined();

		const item = onlyItem(delivery);
		expect(item.binary).toBeUndefined();
		const json = item.json as IDataObject & { status: IDataObject; raw: IDataObject };
		const g9 = await fetch(
			`${dokobit()}/api/signing/${token}/status.json?access_token=${GOOD_TOKEN}`,
		);
		const signingTime = ((await g9.json()) as { signers: Record<string, { signing_time: string }> })
			.signers['1'].signing_time;
		expect(json).toMatchObject({
			vendor: 'dokobit',
			event: 'signer.signed',
			documentId: token,
			signer: { id: '1', identifier: '50001018865', method: 'smartid', level: 'qes' },
			occurredAt: `${signingTime.replace(' ', 'T')}.000Z`,
			verified: true,
			dedupeKey: `dokobit:${token}:signer.signed:1`,
		});
		expect(json.files).toBeUndefined();
		expect(json.status).toMatchObject({
			token,
			status: 'pending',
			completed: false,
			signedCount: 1,
		});
		expect(json.status.signers).toEqual(
			expect.arrayContaining([expect.objectContaining({ id: '1', status: 'signed' })]),
		);
		expect(json.raw).toEqual({
			body: {
				status: 'ok',
				token,
				action: 'signer_signed',
				signer: '1',
				signer_info: {
					code: '50001018865',
					phone: '+37060000666',
					country_code: 'lt',
					signing_option: 'smartid',
					type: 'qes',
				},
			},
			headers: expect.objectContaining({
				'user-agent': 'dokobit-emulator',
				'content-type': 'application/json',
			}),
			query: { flow: 'contracts' },
		});
		const text = JSON.stringify(item);
		expect(text).not.toContain(GOOD_TOKEN);
		expect(text).not.toContain(URL_CHECK);
		expect(Object.keys(receiver.staticData.seen as IDataObject)).toEqual([
			`dokobit:${token}:signer.signed:1`,
		]);
		expect((await answeredDeliveries(token, 1)).map((d) => d.ok)).toEqual([true]);
	});

	it('emits signing_completed with the signed file when Download Signed File is on', async () => {
		receiver.configure({
			parameters: parameters({
				options: { downloadSignedFile: true, binaryPropertyName: 'signed' },
			}),
		});
		const token = await createSigning();
		await sign(token, '1');
		await sign(token, '2');
		const [delivery] = await waitFor(
			() =>
				executionsFor(token, 'signing_completed').length === 1 &&
				executionsFor(token, 'signing_completed'),
			'completion',
		);
		await waitFor(() => executionsFor(token).length === 3, 'all three events');
		const item = onlyItem(delivery);
		const json = item.json as IDataObject & { status: IDataObject; files: IDataObject[] };
		expect(json).toMatchObject({
			event: 'document.completed',
			documentId: token,
			files: [
				{
					url: `${dokobit()}/api/signing/${token}/download`,
					kind: 'signed',
					name: 'Agreement.pdf',
				},
			],
			status: { status: 'completed', completed: true, signedCount: 2 },
			dedupeKey: `dokobit:${token}:document.completed:`,
		});
		expect(json.signer).toBeUndefined();
		expect(json.downloadError).toBeUndefined();
		const binary = item.binary?.signed as IBinaryData;
		expect(binary).toMatchObject({ fileName: 'Agreement.pdf', mimeType: 'application/pdf' });
		const expected = await fetchBytes(
			`${dokobit()}/api/signing/${token}/download?access_token=${GOOD_TOKEN}`,
		);
		expect(Buffer.from(binary.data, 'base64').equals(expected)).toBe(true);
		const signed = (json.status.signers as Array<{ signing_time: string }>)
			.map((s) => s.signing_time)
			.sort();
		expect(json.occurredAt).toBe(`${signed[1].replace(' ', 'T')}.000Z`);
		expect(JSON.stringify(item.json)).not.toContain(GOOD_TOKEN);
		// signer_signed events carry no file, even with the option on.
		const signerItems = executionsFor(token, 'signer_signed').map(onlyItem);
		expect(signerItems.map((i) => i.binary)).toEqual([undefined, undefined]);
	});

	it('starts nothing for a replay of a processed postback, without asking the Gateway again', async () => {
		const token = await createSigning();
		await sign(token, '1');
		const [first] = await waitFor(
			() => executionsFor(token).length === 1 && executionsFor(token),
			'execution',
		);
		const callsBefore = await statusCalls(token);
		for (let i = 0; i < 3; i++) {
			const replay = await post(first.body, { query: `secret=${URL_CHECK}&flow=contracts` });
			expect(replay.status).toBe(200);
			expect(replay.json).toEqual({ received: true });
			expect(replay.delivery.result).toEqual({ noWebhookResponse: true });
		}
		expect(executionsFor(token)).toHaveLength(1);
		expect(await statusCalls(token)).toBe(callsBefore);
	});

	it('keeps both keys when the last signature posts two events at once', async () => {
		receiver.configure({ parameters: parameters({ options: { downloadSignedFile: true } }) });
		const token = await createSigning();
		await sign(token, '1');
		await waitFor(() => executionsFor(token).length === 1, 'first signature');
		await sign(token, '2');
		await waitFor(() => executionsFor(token).length === 3, 'signer 2 and completion');
		const seen = Object.keys(receiver.staticData.seen as IDataObject).sort();
		expect(seen).toEqual(
			[
				`dokobit:${token}:document.completed:`,
				`dokobit:${token}:signer.signed:1`,
				`dokobit:${token}:signer.signed:2`,
			].sort(),
		);
		for (const delivery of receiver.deliveries.slice()) {
			const replay = await post(delivery.body, { query: `secret=${URL_CHECK}&flow=contracts` });
			expect(replay.delivery.result).toEqual({ noWebhookResponse: true });
		}
		expect(executionsFor(token)).toHaveLength(3);
	});

	it('does not rerun an event whose key a concurrent save overwrote', async () => {
		const token = await createSigning(null);
		await sign(token, '1');
		await sign(token, '2');
		const run = (body: IDataObject, staticData: IDataObject) =>
			node.webhook.call(
				mockWebhookFunctions({
					workflowId: 'wf-concurrent',
					parameters: parameters(),
					query: { secret: URL_CHECK },
					body: { status: 'ok', token, ...body },
					credentials: credentials(),
					staticData,
				}).ctx,
			);
		// Both requests load the same (empty) static data; the second to finish saves last.
		const signerCopy: IDataObject = {};
		const completedCopy: IDataObject = {};
		const [signer, completed] = await Promise.all([
			run({ action: 'signer_signed', signer: '2' }, signerCopy),
			run({ action: 'signing_completed' }, completedCopy),
		]);
		expect(signer.workflowData).toBeDefined();
		expect(completed.workflowData).toBeDefined();
		// Whichever saved last, a replay of either is caught (static data or the process copy).
		for (const saved of [signerCopy, completedCopy]) {
			const db = JSON.parse(JSON.stringify(saved)) as IDataObject;
			expect(
				(await run({ action: 'signer_signed', signer: '2' }, db)).workflowData,
			).toBeUndefined();
			expect((await run({ action: 'signing_completed' }, db)).workflowData).toBeUndefined();
		}
	});

	it("starts one execution when Dokobit retries after losing the trigger's answer", async () => {
		const token = await createSigning();
		receiver.dropResponses(1);
		await sign(token, '1');
		// +5 min at the sandbox's 1/1000 time scale: the retry comes 0.3 s later.
		await receiver.settled(2);
		const deliveries = await answeredDeliveries(token, 2);
		expect(deliveries.map((d) => [d.attempt, d.ok])).toEqual([
			[1, false],
			[2, true],
		]);
		expect(executionsFor(token)).toHaveLength(1);
		expect(receiver.deliveries[1].result).toEqual({ noWebhookResponse: true });
	});

	it('answers 503 when the status cannot be fetched, so the retry can succeed', async () => {
		const token = await createSigning();
		await sandbox.control('dokobit', 'POST', '/__faults', {
			match: { method: 'GET', path: `/api/signing/${token}/status\\.json$`, times: 1 },
			action: { status: 403 },
		});
		await sign(token, '1');
		await waitFor(() => executionsFor(token).length === 1, 'the retried execution');
		const [failed, retried] = receiver.deliveries;
		expect(failed.response).toMatchObject({
			statusCode: 503,
			body: { message: 'Could not verify the event; try again later' },
		});
		expect(failed.result).toEqual({ noWebhookResponse: true });
		expect(JSON.stringify(failed.logs)).not.toContain(GOOD_TOKEN);
		expect(retried.response.statusCode).toBe(200);
		expect(onlyItem(retried).json.verified).toBe(true);
	});

	it('answers 401 and starts nothing when the secret is missing or wrong', async () => {
		const token = await createSigning(null);
		await sign(token, '1');
		const body = { status: 'ok', token, action: 'signer_signed', signer: '1' };
		for (const query of [
			'',
			'secret=',
			'secret=wrong-secret',
			`secret=${URL_CHECK}x`,
			`secret=${URL_CHECK}&secret=${URL_CHECK}`,
			`Secret=${URL_CHECK}`,
		]) {
			const answer = await post(body, { query });
			expect([query, answer.status, answer.json]).toEqual([
				query,
				401,
				{ message: 'Unauthorized' },
			]);
			expect(answer.delivery.result).toEqual({ noWebhookResponse: true });
		}
		expect(receiver.executions()).toHaveLength(0);
		expect(await statusCalls(token)).toBe(0);
		// The same body with the right secret is accepted.
		expect((await post(body)).delivery.result?.workflowData).toBeDefined();
	});

	it('checks the secret before it reads the body', async () => {
		const answer = await post('not json', { query: 'secret=nope', contentType: 'text/plain' });
		expect(answer.status).toBe(401);
	});

	it('needs no secret when none is configured', async () => {
		receiver.configure({ parameters: parameters({ secret: '' }) });
		const token = await createSigning(null);
		await sign(token, '1');
		const answer = await post(
			{ status: 'ok', token, action: 'signer_signed', signer: '1' },
			{ query: 'x=1' },
		);
		expect(answer.status).toBe(200);
		expect(onlyItem(answer.delivery).json.raw).toMatchObject({ query: { x: '1' } });
	});

	it.each([
		['text that is not JSON', 'text/plain', 'not json', 'Body is not valid JSON'],
		[
			'a JSON array',
			'application/json',
			[{ token: 'abc', action: 'signer_signed' }],
			'Body is not a JSON object',
		],
		['a JSON string', 'text/plain', '"abc"', 'Body is not a JSON object'],
		['an empty body', 'text/plain', '', 'Empty body'],
		['an XML body', 'application/xml', '<a/>', 'Expected a JSON body, got application/xml'],
		[
			'a form body',
			'application/x-www-form-urlencoded',
			'token=abc&action=signer_signed',
			'Expected a JSON body, got application/x-www-form-urlencoded',
		],
		['no token', 'application/json', { action: 'signer_signed' }, 'Missing token'],
		['an empty object', 'application/json', {}, 'Missing token'],
		[
			'a token that is not a token',
			'application/json',
			{ token: '../x/status', action: 'signer_signed' },
			'Malformed token',
		],
		['no action', 'application/json', { token: 'abc' }, 'Missing action'],
		[
			'an unknown action',
			'application/json',
			{ token: 'abc', action: 'signer_declined' },
			'Unknown action "signer_declined"',
		],
		[
			'a file that is not a URL string',
			'application/json',
			{ token: 'abc', action: 'signing_completed', file: 5 },
			'Malformed file',
		],
		[
			'signer_info that is text',
			'application/json',
			{ token: 'abc', action: 'signer_signed', signer_info: 'x' },
			'Malformed signer_info',
		],
	])('answers 400 and starts nothing for %s', async (_label, contentType, body, message) => {
		const answer = await post(body, { contentType });
		expect(answer.status).toBe(400);
		expect(answer.json).toEqual({ message });
		expect(answer.delivery.result).toEqual({ noWebhookResponse: true });
		expect(receiver.executions()).toHaveLength(0);
	});

	it('answers 413 and starts nothing for an oversized body', async () => {
		const body = { token: 'abc', action: 'signer_signed', padding: 'x'.repeat(70_000) };
		const answer = await post(body, { contentType: 'application/json' });
		expect(answer.status).toBe(413);
		expect(answer.json).toEqual({ message: 'Body is larger than 64 KiB' });
		expect(receiver.executions()).toHaveLength(0);
	});

	it('answers 405 to anything but POST', async () => {
		const mock = mockWebhookFunctions({
			method: 'PUT',
			parameters: parameters(),
			query: { secret: URL_CHECK },
		});
		expect(await node.webhook.call(mock.ctx)).toEqual({ noWebhookResponse: true });
		expect(mock.response).toMatchObject({ statusCode: 405, headers: { allow: 'POST' } });
	});

	it('answers 200 and starts nothing when the status contradicts the postback', async () => {
		const token = await createSigning(null);
		await sign(token, '1');
		const forged = [
			{ token, action: 'signer_signed', signer: '2', signer_info: { code: '39001010000' } },
			{ token, action: 'signer_signed', signer_info: { code: '39001010000' } },
			{ token, action: 'signing_completed', file: `${dokobit()}/api/signing/${token}/download` },
			{ token, action: 'signing_archived' },
			{ token, action: 'signing_archive_failed' },
		];
		for (const body of forged) {
			const answer = await post({ status: 'ok', ...body });
			expect([body, answer.status, answer.json]).toEqual([body, 200, { received: true }]);
			expect(answer.delivery.result).toEqual({ noWebhookResponse: true });
			expect(answer.delivery.logs).toEqual([
				expect.objectContaining({ level: 'warn', message: expect.stringContaining('contradicts') }),
			]);
		}
		expect(receiver.executions()).toHaveLength(0);
		expect(receiver.staticData.seen).toBeUndefined();
	});

	it('answers 200 and starts nothing for an unknown signing (404)', async () => {
		const answer = await post({
			status: 'ok',
			token: 'snotarealsigning',
			action: 'signing_completed',
		});
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({ received: true });
		expect(answer.delivery.result).toEqual({ noWebhookResponse: true });
		expect(answer.delivery.logs[0]).toMatchObject({
			level: 'warn',
			message: expect.stringContaining('unknown signing'),
		});
		expect(receiver.executions()).toHaveLength(0);
	});

	it('answers 200 without asking the Gateway for events outside the filter', async () => {
		receiver.configure({ parameters: parameters({ events: ['signing_completed'] }) });
		const token = await createSigning();
		await sign(token, '1');
		const [delivery] = await receiver.settled(1);
		expect(delivery.response).toMatchObject({ statusCode: 200, body: { received: true } });
		expect(delivery.result).toEqual({ noWebhookResponse: true });
		expect(await statusCalls(token)).toBe(0);
		await sign(token, '2');
		await receiver.settled(3);
		expect(receiver.executions()).toHaveLength(1);
		expect(executionsFor(token)[0].body).toMatchObject({ action: 'signing_completed' });
	});

	it('accepts signer_info as a list and finds the signer by code when the id is missing', async () => {
		const token = await createSigning(null);
		await sign(token, '1');
		const info = [
			{ code: '39001010000', signing_option: 'mobile', type: 'aes' },
			{ code: '50001018865', signing_option: 'smartid', type: 'qes' },
		];
		const byCode = await post({
			status: 'ok',
			token,
			action: 'signer_signed',
			signer_info: info.slice(1),
		});
		expect(onlyItem(byCode.delivery).json).toMatchObject({
			signer: { id: '1', identifier: '50001018865', method: 'smartid', level: 'qes' },
			dedupeKey: `dokobit:${token}:signer.signed:50001018865`,
			verified: true,
		});
		// "signer" given as the personal code (as in the vendor guide's example): the list entry with
		// that code wins, the status's signer is found by code, and the key is the same as above: no
		// rerun.
		const byIdAsCode = await post({
			status: 'ok',
			token,
			action: 'signer_signed',
			signer: '50001018865',
			signer_info: info,
		});
		expect(byIdAsCode.status).toBe(200);
		expect(byIdAsCode.delivery.result).toEqual({ noWebhookResponse: true });

		const other = await createSigning(null);
		await sign(other, '1');
		const list = await post({
			status: 'ok',
			token: other,
			action: 'signer_signed',
			signer: '50001018865',
			signer_info: info,
		});
		expect(onlyItem(list.delivery).json).toMatchObject({
			signer: { id: '50001018865', identifier: '50001018865', method: 'smartid', level: 'qes' },
			dedupeKey: `dokobit:${other}:signer.signed:50001018865`,
		});
		const first = await post({
			status: 'ok',
			token: other,
			action: 'signer_signed',
			signer: '1',
			signer_info: [info[0]],
		});
		expect(onlyItem(first.delivery).json).toMatchObject({
			signer: { id: '1', identifier: '39001010000', method: 'mobile', level: 'aes' },
		});
	});

	it('emits archive outcomes that the status bears out', async () => {
		const archived = await createSigning();
		const failed = await createSigning();
		for (const token of [archived, failed]) {
			await sign(token, '1');
			await sign(token, '2');
		}
		await waitFor(() => receiver.executions().length === 6, 'six signing events');
		await sandbox.control('dokobit', 'POST', `/__signings/${archived}/archive?ok=true`);
		await sandbox.control('dokobit', 'POST', `/__signings/${failed}/archive?ok=false`);
		const [archivedRun] = await waitFor(
			() =>
				executionsFor(archived, 'signing_archived').length === 1 &&
				executionsFor(archived, 'signing_archived'),
			'archived',
		);
		const [failedRun] = await waitFor(
			() =>
				executionsFor(failed, 'signing_archive_failed').length === 1 &&
				executionsFor(failed, 'signing_archive_failed'),
			'archive failure',
		);
		expect(onlyItem(archivedRun).json).toMatchObject({
			event: 'document.archived',
			files: [{ url: `${dokobit()}/api/signing/${archived}/download`, kind: 'signed' }],
			status: { status: 'archived', completed: true },
		});
		expect(onlyItem(failedRun).json).toMatchObject({
			event: 'document.failed',
			status: { status: 'failed' },
		});
		expect(onlyItem(failedRun).json.files).toBeUndefined();
	});

	it('with verification off, trusts the body, asks nothing and marks the item unverified', async () => {
		const mock = mockWebhookFunctions({
			parameters: parameters({ verification: 'none' }),
			query: { secret: URL_CHECK },
			body: {
				status: 'ok',
				token: 'sunverified',
				action: 'signing_completed',
				file: 'https://gateway.dokobit.com/api/signing/sunverified/download',
			},
			credentials: credentials(),
		});
		const result = await node.webhook.call(mock.ctx);
		expect(mock.requests).toHaveLength(0);
		// No file to fetch: the node leaves the answer to n8n, which sends it once the run is queued.
		expect(mock.response).toMatchObject({ statusCode: 200 });
		expect(mock.response?.body).toBeUndefined();
		const json = result.workflowData![0][0].json;
		expect(json).toMatchObject({
			event: 'document.completed',
			documentId: 'sunverified',
			verified: false,
		});
		expect(json.status).toBeUndefined();
	});

	it('outputs only body, headers and query with Raw Payload Only', async () => {
		receiver.configure({ parameters: parameters({ options: { rawPayloadOnly: true } }) });
		const token = await createSigning();
		await sign(token, '1');
		const [delivery] = await waitFor(
			() => executionsFor(token).length === 1 && executionsFor(token),
			'execution',
		);
		const json = onlyItem(delivery).json;
		expect(Object.keys(json).sort()).toEqual(['body', 'headers', 'query']);
		expect(json).toMatchObject({
			body: { token, action: 'signer_signed' },
			query: { flow: 'contracts' },
		});
	});

	it('refuses to download from a foreign host but still emits the confirmed event', async () => {
		receiver.configure({ parameters: parameters({ options: { downloadSignedFile: true } }) });
		const token = await createSigning(null);
		await sign(token, '1');
		await sign(token, '2');
		const answer = await post({
			status: 'ok',
			token,
			action: 'signing_completed',
			file: 'https://evil.example/steal',
		});
		expect(answer.status).toBe(200);
		const item = onlyItem(answer.delivery);
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({
			event: 'document.completed',
			files: [{ url: 'https://evil.example/steal', kind: 'signed' }],
			downloadError: expect.stringContaining('Refused to download'),
		});
		const log = (await apiRequests(sandbox)).filter((r) =>
			r.path.startsWith(`/api/signing/${token}/download`),
		);
		expect(log).toHaveLength(0);
	});

	it('never puts the API key in the output, even when the postback carries it', async () => {
		receiver.configure({ parameters: parameters({ options: { downloadSignedFile: true } }) });
		const token = await createSigning(null);
		await sign(token, '1');
		await sign(token, '2');
		const file = `${dokobit()}/api/signing/${token}/download?access_token=${GOOD_TOKEN}`;
		const answer = await post({
			status: 'ok',
			token,
			action: 'signing_completed',
			file,
			note: GOOD_TOKEN,
		});
		const item = onlyItem(answer.delivery);
		expect(item.binary?.data).toBeDefined();
		const json = item.json as IDataObject & { files: IDataObject[]; raw: { body: IDataObject } };
		expect(json.files[0].url).toBe(`${dokobit()}/api/signing/${token}/download`);
		expect(json.raw.body.note).toBe('[redacted]');
		expect(JSON.stringify(json)).not.toContain(GOOD_TOKEN);
	});

	it('does not deduplicate test (manual) runs', async () => {
		const token = await createSigning(null);
		await sign(token, '1');
		const staticData: IDataObject = {};
		for (let i = 0; i < 2; i++) {
			const mock = mockWebhookFunctions({
				mode: 'manual',
				parameters: parameters(),
				query: { secret: URL_CHECK },
				body: { status: 'ok', token, action: 'signer_signed', signer: '1' },
				credentials: credentials(),
				staticData,
			});
			const result = await node.webhook.call(mock.ctx);
			expect(result.workflowData).toHaveLength(1);
		}
		expect(staticData).toEqual({});
	});
});
