import { createHmac, randomUUID } from 'crypto';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { DocumentologTrigger } from '../../../nodes/Documentolog/DocumentologTrigger.node';
import { startSandbox, type Sandbox } from '../../helpers/sandbox';
import {
	type Delivery,
	type WebhookReceiver,
	mockWebhookFunctions,
	startWebhookReceiver,
} from '../shared/webhookMock';
import { GOOD_KEY, RECIPIENT_IIN, SENDER_IIN, SIGNED_MARK, apiRequests, clearLog } from './harness';

const ALL_EVENTS = ['document_sent', 'signer_signed', 'signer_declined', 'document_completed'];
const node = new DocumentologTrigger();

let sandbox: Sandbox;
let receiver: WebhookReceiver;
let webhookId: string;

const base = () => sandbox.url('documentolog');
const credentials = () => ({
	documentologApi: { host: 'custom', baseUrl: base(), apiKey: GOOD_KEY },
});
/** The secret, computed here independently of the node. */
const secretFor = (id: string, key = GOOD_KEY) =>
	createHmac('sha256', key).update(`documentolog-trigger:${id}`).digest('hex');

const parameters = (extra: Record<string, unknown> = {}) => ({
	events: ALL_EVENTS,
	options: {},
	...extra,
});

beforeAll(async () => {
	sandbox = await startSandbox(['documentolog']);
});
afterAll(async () => await sandbox.close());

beforeEach(async () => {
	await clearLog(sandbox);
	webhookId = randomUUID();
	receiver = await startWebhookReceiver(node, {
		parameters: parameters(),
		credentials: credentials(),
		node: { webhookId },
	});
});
afterEach(async () => await receiver.close());

// ----- helpers -----------------------------------------------------------------------------------

const triggerUrl = (query = `secret=${secretFor(webhookId)}`) =>
	`${receiver.url}/webhook/${webhookId}/webhook?${query}`;

/** The create call straight to the emulator, with the trigger as webhook; returns the doc_id. */
async function createDocument(
	webhookUrl: string | null = triggerUrl(`ref=order-7&secret=${secretFor(webhookId)}`),
): Promise<string> {
	const response = await fetch(`${base()}/json/external/oauth/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'api-key': GOOD_KEY },
		body: JSON.stringify({
			aAttachments: [`${base()}/__files/contract.pdf`],
			...(webhookUrl ? { sSetWebhookUrl: webhookUrl } : {}),
			iSendToRecipient: 1,
			mRecipient: [RECIPIENT_IIN],
			iRecipientSignatureRequired: 1,
			mAvailableSignatureMethodsForRecipient: ['eds'],
			mAvailableSignatureMethods: ['eds'],
			sSender: SENDER_IIN,
		}),
	});
	const json = (await response.json()) as { data: { access_token: string } };
	const docs = await sandbox.control<Array<{ docId: string }>>(
		'documentolog',
		'GET',
		`/__docs?token=${encodeURIComponent(json.data.access_token)}`,
	);
	return docs[0].docId;
}

const act = async (path: string, body: unknown = {}) =>
	await sandbox.control('documentolog', 'POST', path, body);

async function signEverything(docId: string) {
	await act(`/__docs/${docId}/sender-sign`);
	await act(`/__docs/${docId}/recipients/${RECIPIENT_IIN}/sign`, { name: 'Сейтқали Нұрлан' });
}

async function waitFor<T>(probe: () => T | undefined | false, what: string, ms = 8_000) {
	const until = Date.now() + ms;
	for (;;) {
		const value = probe();
		if (value) return value;
		if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
		await sleep(20);
	}
}

function onlyItem(delivery: Delivery): INodeExecutionData {
	const data = delivery.result?.workflowData;
	expect(data).toHaveLength(1);
	expect(data![0]).toHaveLength(1);
	return data![0][0];
}

const runsFor = (docId: string) =>
	receiver.executions().filter((d) => JSON.stringify(d.body).includes(docId));

async function post(
	body: unknown,
	{
		query = `secret=${secretFor(webhookId)}`,
		contentType = 'application/json',
		method = 'POST',
	} = {},
) {
	const before = receiver.deliveries.length;
	const response = await fetch(triggerUrl(query), {
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

const signed = (docId: string, recipient = RECIPIENT_IIN) => ({
	event: 'signer_signed',
	doc_id: docId,
	signer: { name: 'Сейтқали Нұрлан', recipient },
});

// ----- tests -------------------------------------------------------------------------------------

describe('Documentolog Trigger', () => {
	it('describes a POST webhook trigger with keyring lifecycle methods and a credential test', async () => {
		const { description } = node;
		expect(description).toMatchObject({
			name: 'documentologTrigger',
			group: ['trigger'],
			inputs: [],
			credentials: [{ name: 'documentologApi', required: true, testedBy: 'documentologApiTest' }],
		});
		expect(description.webhooks).toEqual([
			expect.objectContaining({ httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }),
		]);
		expect(description.properties.map((p) => p.name)).toEqual(['notice', 'events', 'options']);
		expect(typeof node.methods.credentialTest.documentologApiTest).toBe('function');
		// Activation records the current secret (keyRotation.engine.test.ts); delete keeps them all.
		expect(Object.keys(node.webhookMethods.default).sort()).toEqual([
			'checkExists',
			'create',
			'delete',
		]);
		expect(await node.webhookMethods.default.delete.call({} as never)).toBe(true);
	});

	it('turns the emulator’s events, in order, into normalized items', async () => {
		const docId = await createDocument();
		await signEverything(docId);
		const runs = await waitFor(() => runsFor(docId).length === 3 && runsFor(docId), 'three events');
		const items = runs.map(onlyItem);
		expect(items.map((item) => item.json.event)).toEqual([
			'document.sent',
			'signer.signed',
			'document.completed',
		]);
		// No file to fetch: the node leaves the answer to n8n, which sends it once the run is queued.
		for (const run of runs) {
			expect(run.response).toMatchObject({ statusCode: 200 });
			expect(run.response?.body).toBeUndefined();
		}

		const [, signer, completed] = items;
		expect(signer.json).toMatchObject({
			vendor: 'documentolog',
			documentId: docId,
			signer: { name: 'Сейтқали Нұрлан', identifier: RECIPIENT_IIN },
			verified: false,
			correlationId: 'order-7',
			dedupeKey: `documentolog:${docId}:signer.signed:${RECIPIENT_IIN}`,
		});
		expect(signer.json.raw).toEqual({
			body: signed(docId),
			headers: expect.objectContaining({ 'user-agent': 'documentolog-emulator' }),
			query: { ref: 'order-7' },
		});
		const doc = await sandbox.control<{ number: number; attachments: Array<{ fileId: number }> }>(
			'documentolog',
			'GET',
			`/__docs/${docId}`,
		);
		const fileId = doc.attachments[0].fileId;
		expect(completed.json.files).toEqual([
			{
				name: 'contract.pdf',
				url: `${base()}/external/media/download/${fileId}`,
				kind: 'original',
			},
			{
				name: 'contract.pdf',
				url: `${base()}/external/media/download-eds/dcs_universal_type/${doc.number}/${fileId}`,
				kind: 'signed',
			},
			{
				name: 'contract.pdf',
				url: `${base()}/external/media/download-eds-ez/dcs_universal_type/${doc.number}/${fileId}`,
				kind: 'signed-ez',
			},
			{ url: `${base()}/external/media/download-many?files=${fileId}`, kind: 'archive-zip' },
			{
				url: `${base()}/external/document/view-document/dcs_universal_type/${doc.number}`,
				kind: 'view',
			},
		]);
		expect(completed.binary).toBeUndefined();
		for (const item of items) expect(JSON.stringify(item)).not.toContain(secretFor(webhookId));
	});

	it('attaches the completed files as binary when Download Files is on', async () => {
		receiver.configure({
			parameters: parameters({ options: { downloadFiles: true, binaryPropertyName: 'signed' } }),
		});
		const docId = await createDocument();
		await signEverything(docId);
		const [, , completed] = await waitFor(
			() => runsFor(docId).length === 3 && runsFor(docId),
			'events',
		);
		const item = onlyItem(completed);
		expect(item.binary?.signed).toMatchObject({
			fileName: 'contract.pdf',
			mimeType: 'application/pdf',
		});
		expect(Buffer.from(item.binary!.signed.data, 'base64').toString('latin1')).toContain(
			SIGNED_MARK,
		);
		const downloads = (await apiRequests(sandbox)).filter((r) => r.method === 'GET');
		expect(downloads.map((r) => r.path)).toEqual([
			expect.stringMatching(/^\/external\/media\/download-eds\/dcs_universal_type\/\d+\/\d+$/),
		]);
		expect(downloads[0].headers['api-key']).toBe(GOOD_KEY);
	});

	it('never downloads from a host other than the credential’s, even for an authentic call', async () => {
		receiver.configure({ parameters: parameters({ options: { downloadFiles: true } }) });
		const mock = mockWebhookFunctions({
			parameters: parameters({ options: { downloadFiles: true } }),
			query: { secret: secretFor('hook-1234') },
			body: {
				event: 'document_completed',
				doc_id: 'KZ000000000000000001234567',
				download_files_with_eds: [
					{
						name: 'contract.pdf',
						link: 'https://evil.example.com/external/media/download-eds/x/1/2',
					},
				],
			},
			credentials: credentials(),
			node: { webhookId: 'hook-1234' },
			http: async () => {
				throw new Error('no request may be made');
			},
		});
		const result = await node.webhook.call(mock.ctx);
		expect(mock.requests).toHaveLength(0);
		const json = result.workflowData![0][0].json;
		expect(json.downloadError).toBe('Refused to download "contract.pdf"');
		expect(json.downloadErrorDescription).toBe(
			`"evil.example.com" is not the credential's Documentolog host (${new URL(base()).host})`,
		);
		expect(result.workflowData![0][0].binary).toBeUndefined();
	});

	it('starts one execution however often the same event is delivered', async () => {
		const docId = await createDocument();
		await signEverything(docId);
		await waitFor(() => runsFor(docId).length === 3, 'events');
		for (let i = 0; i < 3; i++) {
			await act(`/__docs/${docId}/redeliver?event=document_completed`);
			await act(`/__docs/${docId}/redeliver?event=signer_signed`);
		}
		await receiver.settled(9);
		expect(runsFor(docId)).toHaveLength(3);
		expect(receiver.deliveries.slice(3).every((d) => d.response.statusCode === 200)).toBe(true);
		expect(Object.keys(receiver.staticData.seen as IDataObject).sort()).toEqual(
			[
				`documentolog:${docId}:document.completed:`,
				`documentolog:${docId}:document.sent:`,
				`documentolog:${docId}:signer.signed:${RECIPIENT_IIN}`,
			].sort(),
		);
	});

	it('reads the Open API guide’s wrapped completion, keyed by the correlation id in the URL', async () => {
		await sandbox.control('documentolog', 'POST', '/__config', { completionShape: 'wrapped' });
		try {
			const docId = await createDocument();
			await signEverything(docId);
			const runs = await waitFor(
				() => receiver.executions().length === 3 && receiver.executions(),
				'events',
			);
			const completed = onlyItem(runs[2]);
			expect(runs[2].body).toEqual({ content: expect.any(Object) });
			expect(completed.json).toMatchObject({
				event: 'document.completed',
				documentId: 'order-7',
				correlationId: 'order-7',
				dedupeKey: 'documentolog:order-7:document.completed:',
			});
		} finally {
			await sandbox.control('documentolog', 'POST', '/__config', { completionShape: 'flat' });
		}
	});

	it('emits signer_declined as signer.declined', async () => {
		const docId = await createDocument();
		await act(`/__docs/${docId}/sender-sign`);
		await act(`/__docs/${docId}/recipients/${RECIPIENT_IIN}/decline`, { name: 'Aru Bek' });
		const runs = await waitFor(() => runsFor(docId).length === 2 && runsFor(docId), 'events');
		expect(onlyItem(runs[1]).json).toMatchObject({
			event: 'signer.declined',
			signer: { name: 'Aru Bek', identifier: RECIPIENT_IIN },
		});
	});

	it('answers 401 and starts nothing without the right secret', async () => {
		const docId = await createDocument(null);
		const other = randomUUID();
		for (const query of [
			'',
			'secret=',
			'secret=wrong',
			`secret=${secretFor(webhookId)}x`,
			`secret=${secretFor(other)}`,
			`secret=${secretFor(webhookId, 'example-other-key')}`,
			`secret=${secretFor(webhookId)}&secret=${secretFor(webhookId)}`,
			`Secret=${secretFor(webhookId)}`,
		]) {
			const answer = await post(signed(docId), { query });
			expect([query, answer.status, answer.json]).toEqual([
				query,
				401,
				{ message: 'Unauthorized' },
			]);
			expect(answer.delivery.result).toEqual({ noWebhookResponse: true });
		}
		expect(receiver.executions()).toHaveLength(0);
		expect((await post(signed(docId))).delivery.result?.workflowData).toBeDefined();
	});

	it('checks the secret before it reads the body', async () => {
		expect(
			(await post('not json', { query: 'secret=nope', contentType: 'text/plain' })).status,
		).toBe(401);
	});

	it('uses the Webhook Signing Key when the credential has one', async () => {
		receiver.configure({
			credentials: {
				documentologApi: {
					...credentials().documentologApi,
					webhookSigningSecret: 'example-signing-key',
				},
			},
		});
		const docId = 'KZ000000000000000000000042';
		expect((await post(signed(docId))).status).toBe(401);
		const answer = await post(signed(docId), {
			query: `secret=${secretFor(webhookId, 'example-signing-key')}`,
		});
		expect(answer.status).toBe(200);
		expect(answer.delivery.result?.workflowData).toBeDefined();
	});

	it('refuses everything when no secret can be derived (no webhook id)', async () => {
		const mock = mockWebhookFunctions({
			parameters: parameters(),
			query: {
				secret: createHmac('sha256', GOOD_KEY)
					.update('documentolog-trigger:undefined')
					.digest('hex'),
			},
			body: signed('KZ000000000000000000000001'),
			credentials: credentials(),
		});
		expect(await node.webhook.call(mock.ctx)).toEqual({ noWebhookResponse: true });
		expect(mock.response.statusCode).toBe(401);
	});

	it.each([
		['text that is not JSON', 'text/plain', 'not json', 'Body is not valid JSON'],
		['a JSON array', 'application/json', [signed('KZ1')], 'Body is not a JSON object'],
		['an empty body', 'text/plain', '', 'Empty body'],
		[
			'a form body',
			'application/x-www-form-urlencoded',
			'event=document_sent&doc_id=KZ1',
			'Expected a JSON body, got application/x-www-form-urlencoded',
		],
		['no event', 'application/json', { doc_id: 'KZ1' }, 'Missing event'],
		[
			'an event that is not text',
			'application/json',
			{ event: 5, doc_id: 'KZ1' },
			'Malformed event',
		],
		[
			'an unknown event',
			'application/json',
			{ event: 'document_deleted', doc_id: 'KZ1' },
			'Unknown event "document_deleted"',
		],
		['no doc_id', 'application/json', { event: 'document_sent' }, 'Missing doc_id'],
		[
			'a doc_id that is not an id',
			'application/json',
			{ event: 'document_sent', doc_id: '../x' },
			'Malformed doc_id',
		],
		[
			'a signer event without signer',
			'application/json',
			{ event: 'signer_signed', doc_id: 'KZ1' },
			'Missing signer',
		],
		[
			'a signer without recipient',
			'application/json',
			{ event: 'signer_declined', doc_id: 'KZ1', signer: { name: 'A' } },
			'Malformed signer',
		],
		[
			'a completion without links',
			'application/json',
			{ event: 'document_completed', doc_id: 'KZ1' },
			'Completion event without any file links',
		],
		[
			'a completion whose files are not a list',
			'application/json',
			{ event: 'document_completed', download_files: 'x' },
			'Malformed download_files',
		],
		[
			'a completion file without a URL',
			'application/json',
			{ content: { download_files_with_eds: [{ name: 'a.pdf', link: 'javascript:alert(1)' }] } },
			'Malformed download_files_with_eds',
		],
		['a wrapped body with nothing in it', 'application/json', { content: {} }, 'Missing event'],
	])('answers 400 and starts nothing for %s', async (_label, contentType, body, message) => {
		const answer = await post(body, { contentType });
		expect(answer.status).toBe(400);
		expect(answer.json).toEqual({ message });
		expect(answer.delivery.result).toEqual({ noWebhookResponse: true });
		expect(receiver.executions()).toHaveLength(0);
	});

	it('answers 413 and starts nothing for an oversized body', async () => {
		const body = { event: 'document_sent', doc_id: 'KZ1', padding: 'x'.repeat(70_000) };
		const answer = await post(body, { contentType: 'application/json' });
		expect(answer.status).toBe(413);
		expect(answer.json).toEqual({ message: 'Body is larger than 64 KiB' });
		expect(receiver.executions()).toHaveLength(0);
	});

	it('answers 200 and starts nothing for events outside the filter', async () => {
		receiver.configure({ parameters: parameters({ events: ['document_completed'] }) });
		const docId = await createDocument();
		await signEverything(docId);
		await waitFor(() => receiver.deliveries.length === 3, 'three deliveries');
		expect(receiver.deliveries.map((d) => d.response.statusCode)).toEqual([200, 200, 200]);
		expect(receiver.executions().map((d) => (d.body as IDataObject).event)).toEqual([
			'document_completed',
		]);
	});

	it('answers 405 to anything but POST', async () => {
		const mock = mockWebhookFunctions({ method: 'GET', parameters: parameters() });
		expect(await node.webhook.call(mock.ctx)).toEqual({ noWebhookResponse: true });
		expect(mock.response).toMatchObject({ statusCode: 405, headers: { allow: 'POST' } });
	});

	it('does not deduplicate test events (manual mode), and outputs only the raw payload on request', async () => {
		receiver.configure({
			mode: 'manual',
			parameters: parameters({ options: { rawPayloadOnly: true } }),
		});
		const body = signed('KZ000000000000000000000007');
		await post(body);
		await post(body);
		expect(receiver.executions()).toHaveLength(2);
		const json = onlyItem(receiver.executions()[0]).json;
		expect(Object.keys(json).sort()).toEqual(['body', 'headers', 'query']);
		expect(json.query).toEqual({});
		expect(receiver.staticData.seen).toBeUndefined();
	});
});
