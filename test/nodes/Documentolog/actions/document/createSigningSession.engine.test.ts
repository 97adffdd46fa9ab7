import { createHmac, randomUUID } from 'crypto';
import { errorOf, outputOf } from '../../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	GOOD_KEY,
	RECIPIENT_BIN,
	RECIPIENT_IIN,
	SENDER_IIN,
	apiRequests,
	attachmentUrl,
	clearLog,
	createParameters,
	credentialsFor,
	docOfToken,
	runDocumentolog,
	runOk,
} from '../../harness';

let sandbox: Sandbox;
const base = () => sandbox.url('documentolog');

beforeAll(async () => {
	sandbox = await startSandbox(['documentolog']);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

/** What the trigger expects, computed here independently of the node's helper. */
const expectedSecret = (key: string, webhookId: string) =>
	createHmac('sha256', key).update(`documentolog-trigger:${webhookId}`).digest('hex');

function jwtPayload(token: string): Record<string, unknown> {
	return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<
		string,
		unknown
	>;
}

describe('Documentolog → Document → Create Signing Session', () => {
	it('finds binary attachments in the item’s JSON in a workflow set to combined binary mode', async () => {
		// n8n 2.x's combined binary mode keeps files in `json._files`. The engine's memory store gives
		// them no id, so the node stops at the next check: found, but held in memory.
		const file = { data: Buffer.from('%PDF-1.4').toString('base64'), mimeType: 'application/pdf' };
		const run = await runDocumentolog(
			sandbox,
			createParameters(sandbox, { attachmentsFrom: 'binary', binaryPropertyNames: 'data' }),
			[{ json: { _files: { data: { ...file, fileName: 'contract.pdf' } } } }],
			{ settings: { binaryMode: 'combined' } },
		);
		expect(errorOf(run)?.message).toBe(
			'Item 0: Input Binary Fields "data" is held in memory, and n8n can only sign links to binary data stored by id',
		);
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it('sends the create call with the vendor’s field names and types, and returns what a page needs to embed it', async () => {
		const [item] = await runOk(
			sandbox,
			createParameters(sandbox, {
				attachmentUrls: [attachmentUrl(sandbox), attachmentUrl(sandbox, 'appendix.docx')],
				recipients: [RECIPIENT_IIN, ` ${RECIPIENT_BIN} `, 'buyer@example.kz', '+77011234567'],
				recipientSignatureMethods: ['eds', 'sms'],
				senderSignatureMethods: ['egov-qr'],
			}),
		);
		expect(item.pairedItem).toEqual({ item: 0 });

		const log = await apiRequests(sandbox);
		expect(log.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /json/external/oauth/token']);
		expect(log[0].headers['api-key']).toBe(GOOD_KEY);
		expect(log[0].headers['content-type']).toMatch(/^application\/json/);
		expect(log[0].body).toEqual({
			aAttachments: [attachmentUrl(sandbox), attachmentUrl(sandbox, 'appendix.docx')],
			iSendToRecipient: 1,
			mRecipient: [RECIPIENT_IIN, RECIPIENT_BIN, 'buyer@example.kz', '+7 (701) 123-45-67'],
			iRecipientSignatureRequired: 1,
			mAvailableSignatureMethodsForRecipient: ['eds', 'sms'],
			mAvailableSignatureMethods: ['egov-qr'],
			sSender: SENDER_IIN,
		});
		expect(JSON.stringify(log[0].body)).not.toContain(GOOD_KEY);

		const json = item.json;
		const token = json.accessToken as string;
		expect(json).toMatchObject({
			tokenType: 'Bearer',
			scope: 'document-create|document-sign|document-show',
			embedUrl: `${base()}/external/sign/embedded?sParams=${encodeURIComponent(token)}`,
			sender: SENDER_IIN,
			sendToRecipient: true,
			recipientSignatureRequired: true,
		});
		expect(json.expiresAt).toBe(new Date((jwtPayload(token).exp as number) * 1000).toISOString());
		expect(json.iframeHtml).toBe(
			`<iframe src="${(json.embedUrl as string).replace(/&/g, '&amp;')}" width="400" height="600" style="border:0" title="Documentolog signing" allow="clipboard-write"></iframe>`,
		);
		expect(json.listenerScript).toContain(`var origin = ${JSON.stringify(base())};`);
		expect(json.webhookUrl).toBeUndefined();

		// The token opens the embedded page, which lists both documents.
		const page = await fetch(json.embedUrl as string);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('<li>contract.pdf</li>');
		expect(html).toContain('<li>appendix.docx</li>');
		const doc = await docOfToken(sandbox, token);
		expect(doc.state).toBe('created');
		expect(doc.docId).toMatch(/^KZ\d{24}$/);
	});

	it('sends SMS recipients in the vendor’s shape, phones in +X (XXX) XXX-XX-XX', async () => {
		await runOk(
			sandbox,
			createParameters(sandbox, {
				recipients: [],
				smsRecipients: {
					recipient: [
						{ phone: '8 701 123 45 67', fullName: 'Сейтқали Нұрлан', iin: '', enableBmg: true },
						{ phone: '+7 (702) 000-11-22', fullName: 'Aru Bek', iin: RECIPIENT_IIN },
					],
				},
			}),
		);
		const [request] = await apiRequests(sandbox);
		expect(request.body.mRecipient).toEqual([]);
		expect(request.body.mPhonesForSms).toEqual([
			{
				enableBMG: true,
				phone: '+7 (701) 123-45-67',
				fio: 'Сейтқали Нұрлан',
				iin: '',
				type: 'sms',
			},
			{
				enableBMG: false,
				phone: '+7 (702) 000-11-22',
				fio: 'Aru Bek',
				iin: RECIPIENT_IIN,
				type: 'sms',
			},
		]);
	});

	it('adds the trigger secret and a correlation id to a trigger URL, and keeps the secret out of the output', async () => {
		const webhookId = randomUUID();
		const triggerUrl = `http://127.0.0.1:5678/webhook/${webhookId}/webhook`;
		const [item] = await runOk(
			sandbox,
			createParameters(sandbox, {
				webhookUrl: triggerUrl,
				options: { correlationId: 'order-1042' },
			}),
		);
		const [request] = await apiRequests(sandbox);
		const sent = new URL(request.body.sSetWebhookUrl as string);
		expect(`${sent.origin}${sent.pathname}`).toBe(triggerUrl);
		expect(Object.fromEntries(sent.searchParams)).toEqual({
			ref: 'order-1042',
			secret: expectedSecret(GOOD_KEY, webhookId),
		});
		expect(item.json).toMatchObject({
			webhookUrl: `${triggerUrl}?ref=order-1042&secret=***`,
			webhookSecretAdded: true,
			correlationId: 'order-1042',
		});
		expect(JSON.stringify(item.json)).not.toContain(expectedSecret(GOOD_KEY, webhookId));
	});

	it('derives the secret from the Webhook Signing Key when the credential has one', async () => {
		const webhookId = randomUUID();
		await runOk(
			sandbox,
			createParameters(sandbox, {
				webhookUrl: `https://n8n.example.com/webhook-test/${webhookId}/webhook`,
			}),
			undefined,
			{
				credentials: credentialsFor(sandbox, GOOD_KEY, {
					webhookSigningSecret: 'example-signing-key',
				}),
			},
		);
		const [request] = await apiRequests(sandbox);
		expect(new URL(request.body.sSetWebhookUrl as string).searchParams.get('secret')).toBe(
			expectedSecret('example-signing-key', webhookId),
		);
	});

	it.each([
		['a URL that is not a trigger URL', 'https://example.com/hooks/documentolog', {}],
		[
			'a trigger URL that already has a secret',
			`https://n8n.example.com/webhook/${'a'.repeat(36)}/webhook?secret=mine`,
			{},
		],
		[
			'a trigger URL with Add Trigger Secret off',
			`https://n8n.example.com/webhook/${'b'.repeat(36)}/webhook`,
			{ addTriggerSecret: false },
		],
	])('leaves %s as it is', async (_label, webhookUrl, options) => {
		const [item] = await runOk(sandbox, createParameters(sandbox, { webhookUrl, options }));
		const [request] = await apiRequests(sandbox);
		expect(request.body.sSetWebhookUrl).toBe(webhookUrl);
		expect(item.json.webhookSecretAdded).toBe(false);
	});

	it('sends iSendToRecipient 0 with no recipients, and view-only as iRecipientSignatureRequired 0', async () => {
		await runOk(
			sandbox,
			createParameters(sandbox, { sendToRecipient: false, recipientSignatureRequired: false }),
		);
		const [request] = await apiRequests(sandbox);
		expect(request.body).toMatchObject({
			iSendToRecipient: 0,
			mRecipient: [],
			iRecipientSignatureRequired: 0,
		});
		expect(request.body.mPhonesForSms).toBeUndefined();
	});

	it('reports the vendor’s validation errors and sends the create exactly once', async () => {
		await sandbox.control('documentolog', 'POST', '/__config', { fetchAttachments: true });
		try {
			const run = await runDocumentolog(
				sandbox,
				createParameters(sandbox, { attachmentUrls: [`${base()}/__missing/contract.pdf`] }),
			);
			const error = errorOf(run);
			expect(error?.message).toBe('Item 0: Documentolog answered HTTP 400');
			expect(error?.description).toBe(
				'Validation failed; aAttachments: [0] could not be downloaded (HTTP 404).',
			);
			const log = await apiRequests(sandbox);
			expect(log.filter((r) => r.path === '/json/external/oauth/token')).toHaveLength(1);
		} finally {
			await sandbox.control('documentolog', 'POST', '/__config', { fetchAttachments: false });
		}
	});

	it('treats HTTP 200 with a status other than 1 as a failure', async () => {
		await sandbox.control('documentolog', 'POST', '/__faults', {
			match: { path: '^/json/external/oauth/token$', times: 1 },
			action: { status: 200, body: { status: 0, message: 'Tariff limit reached' } },
		});
		const run = await runDocumentolog(sandbox, createParameters(sandbox));
		expect(errorOf(run)?.message).toBe('Item 0: Documentolog did not return an access token');
		expect(errorOf(run)?.description).toBe('Tariff limit reached');
	});

	it('refuses a wrong API key with 401, and the key appears nowhere in the error', async () => {
		const wrongKey = 'example-wrong-documentolog-key';
		const run = await runDocumentolog(sandbox, createParameters(sandbox), undefined, {
			apiKey: wrongKey,
		});
		const error = errorOf(run);
		expect(error?.message).toBe('Item 0: Documentolog refused the credentials (HTTP 401)');
		expect(error?.description).toBe('Invalid api-key');
		const [request] = await apiRequests(sandbox);
		expect(request.headers['api-key']).toBe(wrongKey);
		expect(
			JSON.stringify({ message: error?.message, description: error?.description }),
		).not.toContain(wrongKey);
	});

	it('with On Error: Continue, reports the bad item and still creates the good one', async () => {
		const run = await runDocumentolog(
			sandbox,
			createParameters(sandbox, { sender: '={{ $json.sender }}' }),
			[{ json: { sender: '900101300019' } }, { json: { sender: SENDER_IIN } }],
			{ node: { onError: 'continueRegularOutput' } },
		);
		expect(errorOf(run)).toBeUndefined();
		const [bad, good] = outputOf(run);
		expect(bad.json).toEqual({
			error:
				'Item 0: Sender IIN/BIN "900101300019" has a wrong check digit (the last digit should be 7)',
			description:
				'An IIN or BIN is 12 digits; the last one is a check digit computed from the first eleven.',
		});
		expect(bad.pairedItem).toEqual({ item: 0 });
		expect(good.json.accessToken).toEqual(expect.any(String));
		expect(good.pairedItem).toEqual({ item: 1 });
		const log = await apiRequests(sandbox);
		expect(log.map((r) => r.body.sSender)).toEqual([SENDER_IIN]);
	});
});
