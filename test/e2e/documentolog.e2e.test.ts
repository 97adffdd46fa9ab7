/* eslint-disable @n8n/community-nodes/no-restricted-globals */
import { createHmac, randomUUID } from 'node:crypto';
import {
	activate,
	callWebhook,
	createCredential,
	createWorkflow,
	e2eInfo,
	eventually,
	executionData,
	executions,
	n8nLog,
	postJson,
	rest,
	sleep,
	waitForExecutions,
	webhookChainWorkflow,
	webhookUrl,
} from '../helpers/n8n';
import completedExample from '../../examples/documentolog-completed-download.json';
import declinedExample from '../../examples/documentolog-declined-notify.json';
import webFormExample from '../../examples/documentolog-web-form-signing.json';

// A real n8n process: webhooks register asynchronously and executions run in the background.
jest.setTimeout(60_000);

const KEY = 'example-documentolog-key';
const SENDER = '900101300017';
const RECIPIENT = '900101300811';
let credential: { id: string; name: string };
let triggerWorkflowId: string;
let triggerWebhookId: string;
let triggerUrl: string;

const sandbox = () => e2eInfo().sandbox.documentolog;
const secretFor = (webhookId: string) =>
	createHmac('sha256', KEY).update(`documentolog-trigger:${webhookId}`).digest('hex');

async function control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
	const response = await fetch(`${sandbox()}${path}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
	return (text ? JSON.parse(text) : undefined) as T;
}

interface EmulatorDoc {
	docId: string;
	state: string;
	webhookUrl: string | null;
	events: Array<Record<string, unknown>>;
	attachments: Array<{ name: string }>;
}

const docOfToken = async (token: string) =>
	(await control<EmulatorDoc[]>('GET', `/__docs?token=${encodeURIComponent(token)}`))[0];

const documentologNode = (name: string, parameters: Record<string, unknown>) => ({
	name,
	type: 'n8n-nodes-esign.documentolog',
	parameters,
	credentials: { documentologApi: { id: credential.id, name: credential.name } },
});

beforeAll(async () => {
	credential = await createCredential('Documentolog sandbox', 'documentologApi', {
		host: 'custom',
		baseUrl: sandbox(),
		apiKey: KEY,
	});
	triggerWebhookId = randomUUID();
	const workflow = await createWorkflow({
		name: 'e2e documentolog trigger',
		nodes: [
			{
				id: randomUUID(),
				name: 'Documentolog Trigger',
				type: 'n8n-nodes-esign.documentologTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: triggerWebhookId,
				parameters: {
					events: ['document_sent', 'signer_signed', 'signer_declined', 'document_completed'],
					options: { downloadFiles: true, binaryPropertyName: 'signed' },
				},
				credentials: { documentologApi: { id: credential.id, name: credential.name } },
			},
		],
		connections: {},
	});
	triggerWorkflowId = workflow.id;
	triggerUrl = `${e2eInfo().baseUrl}/webhook/${triggerWebhookId}/webhook`;
	await activate(workflow);
	// Registration is asynchronous: once registered, a call without the secret gets 401, not 404.
	const deadline = Date.now() + 20_000;
	while ((await postJson(triggerUrl, {})).status === 404 && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
});

describe('Documentolog in a real n8n', () => {
	it('loads both nodes and the AI-tool variant from the tarball', async () => {
		const types = await rest<Array<{ name: string }>>('GET', '/types/nodes.json');
		expect(types.map((type) => type.name)).toEqual(
			expect.arrayContaining([
				'n8n-nodes-esign.documentolog',
				'n8n-nodes-esign.documentologTool',
				'n8n-nodes-esign.documentologTrigger',
			]),
		);
	});

	it('credential test: runs the node-level check, which makes no request', async () => {
		const before = (await control<unknown[]>('GET', '/__requests')).length;
		const test = async (apiKey: string) =>
			await rest<{ status: string; message: string }>('POST', '/rest/credentials/test', {
				credentials: {
					id: credential.id,
					name: 'probe',
					type: 'documentologApi',
					data: { host: 'custom', baseUrl: sandbox(), apiKey },
				},
			});
		expect((await test(KEY)).status).toBe('OK');
		const bad = await test('short');
		expect(bad.status).toBe('Error');
		expect(bad.message).toContain('The API key looks incomplete');
		expect((await control<unknown[]>('GET', '/__requests')).length).toBe(before);
	});

	it('creates a session whose events, once signed in the emulator, reach the trigger with the files as binary', async () => {
		const before = (await executions(triggerWorkflowId)).length;
		const create = await webhookChainWorkflow('e2e documentolog create', [
			documentologNode('Documentolog', {
				resource: 'document',
				operation: 'createSigningSession',
				attachmentsFrom: 'urls',
				attachmentUrls: [`${sandbox()}/__files/contract.pdf`],
				sender: SENDER,
				recipients: ['={{ $json.body.recipient }}'],
				webhookUrl: triggerUrl,
				options: { correlationId: '={{ $json.body.order }}' },
			}),
		]);
		const created = await callWebhook(create.url, { recipient: RECIPIENT, order: 'order-e2e-1' });
		expect(created.status).toBe(200);
		expect(created.json).toMatchObject({
			webhookSecretAdded: true,
			correlationId: 'order-e2e-1',
			webhookUrl: `${triggerUrl}?ref=order-e2e-1&secret=***`,
		});
		const doc = await docOfToken(created.json.accessToken as string);
		expect(new URL(doc.webhookUrl!).searchParams.get('secret')).toBe(secretFor(triggerWebhookId));

		// The embedded page opens with the token; then sender and recipient sign.
		expect((await fetch(created.json.embedUrl as string)).status).toBe(200);
		await control('POST', `/__docs/${doc.docId}/sender-sign`, { signType: 'eds' });
		await control('POST', `/__docs/${doc.docId}/recipients/${RECIPIENT}/sign`, { name: 'Aru Bek' });

		const runs = await waitForExecutions(triggerWorkflowId, before + 3);
		expect(runs.length).toBe(before + 3);
		expect(runs.every((run) => run.status === 'success')).toBe(true);
		const payloads = await Promise.all(
			runs.slice(0, 3).map(async (run) => await executionData(run.id)),
		);
		const completed = payloads.find((data) => data.includes('document.completed'));
		expect(completed).toBeDefined();
		expect(completed).toContain(doc.docId);
		expect(completed).toContain('order-e2e-1');
		expect(completed).toContain('filesystem-v2:');
		for (const data of payloads) {
			expect(data).not.toContain(KEY);
			expect(data).not.toContain(secretFor(triggerWebhookId));
		}
		expect(n8nLog()).not.toContain(secretFor(triggerWebhookId));
	});

	it('starts one execution however often the same event is delivered', async () => {
		const create = await webhookChainWorkflow('e2e documentolog create (replay)', [
			documentologNode('Documentolog', {
				resource: 'document',
				operation: 'createSigningSession',
				attachmentUrls: [`${sandbox()}/__files/contract.pdf`],
				sender: SENDER,
				recipients: [RECIPIENT],
				webhookUrl: triggerUrl,
			}),
		]);
		const before = (await executions(triggerWorkflowId)).length;
		const created = await callWebhook(create.url, {});
		const doc = await docOfToken(created.json.accessToken as string);
		await control('POST', `/__docs/${doc.docId}/sender-sign`, {});
		await control('POST', `/__docs/${doc.docId}/recipients/${RECIPIENT}/sign`, {});
		await waitForExecutions(triggerWorkflowId, before + 3);
		const delivered = async () =>
			(await control<Array<{ url: string; status?: number }>>('GET', '/__deliveries')).filter(
				(delivery) => delivery.url === doc.webhookUrl,
			);
		const earlier = (await delivered()).length;
		for (let i = 0; i < 3; i++) {
			await control('POST', `/__docs/${doc.docId}/redeliver?event=document_completed`);
		}
		// The emulator posts in the background: wait until n8n has answered all three.
		const answered = await eventually(
			delivered,
			(all) =>
				all.slice(earlier).every((delivery) => delivery.status !== undefined) &&
				all.length === earlier + 3,
		);
		expect(answered.slice(earlier).map((d) => d.status)).toEqual([200, 200, 200]);
		// Answered and deduplicated before the answer: no fourth execution follows.
		await sleep(1500);
		expect((await executions(triggerWorkflowId)).length).toBe(before + 3);
	});

	it('answers 401 without the secret or with a wrong one, and starts nothing', async () => {
		const before = (await executions(triggerWorkflowId)).length;
		const body = { event: 'document_sent', doc_id: 'KZ000000000000000000000001' };
		expect((await postJson(triggerUrl, body)).status).toBe(401);
		expect((await postJson(`${triggerUrl}?secret=${'0'.repeat(64)}`, body)).status).toBe(401);
		expect((await postJson(`${triggerUrl}?secret=${secretFor(randomUUID())}`, body)).status).toBe(
			401,
		);
		const malformed = await postJson(`${triggerUrl}?secret=${secretFor(triggerWebhookId)}`, {
			doc_id: 'x',
		});
		expect(malformed.status).toBe(400);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect((await executions(triggerWorkflowId)).length).toBe(before);
	});

	it('downloads the files of a completion event as binary with Download Files', async () => {
		const { json } = await callWebhook(
			(
				await webhookChainWorkflow('e2e documentolog create for download', [
					documentologNode('Documentolog', {
						resource: 'document',
						operation: 'createSigningSession',
						attachmentUrls: [
							`${sandbox()}/__files/contract.pdf`,
							`${sandbox()}/__files/appendix.pdf`,
						],
						sender: SENDER,
						recipients: [RECIPIENT],
					}),
				])
			).url,
			{},
		);
		const doc = await docOfToken(json.accessToken as string);
		await control('POST', `/__docs/${doc.docId}/sender-sign`, {});
		await control('POST', `/__docs/${doc.docId}/recipients/${RECIPIENT}/sign`, {});
		const completion = (await control<EmulatorDoc>('GET', `/__docs/${doc.docId}`)).events.find(
			(event) => event.event === 'document_completed',
		);
		const download = await webhookChainWorkflow('e2e documentolog download', [
			documentologNode('Download', {
				resource: 'document',
				operation: 'downloadFiles',
				completionEvent: '={{ $json.body }}',
				fileKind: 'signed',
				which: 'all',
				binaryPropertyName: 'signed',
			}),
		]);
		const result = await callWebhook(download.url, completion);
		expect(result.status).toBe(200);
		expect(result.json).toMatchObject({
			documentId: doc.docId,
			kind: 'signed',
			files: [
				{ name: 'contract.pdf', binaryField: 'signed_0', mimeType: 'application/pdf' },
				{ name: 'appendix.pdf', binaryField: 'signed_1', mimeType: 'application/pdf' },
			],
		});
		const [run] = await waitForExecutions(download.workflow.id, 1);
		expect(await executionData(run.id)).toContain('filesystem-v2:');
	});

	it('offers an n8n binary to Documentolog as a signed link, which the vendor can fetch', async () => {
		await control('POST', '/__config', { fetchAttachments: true });
		try {
			const flow = await webhookChainWorkflow('e2e documentolog binary', [
				{
					name: 'Fetch PDF',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					parameters: {
						url: `${sandbox()}/__files/signed-link.pdf`,
						options: { response: { response: { responseFormat: 'file' } } },
					},
				},
				documentologNode('Documentolog', {
					resource: 'document',
					operation: 'createSigningSession',
					attachmentsFrom: 'binary',
					binaryPropertyNames: 'data',
					sender: SENDER,
					recipients: [RECIPIENT],
					options: { signedUrlExpiry: '1 hour' },
				}),
			]);
			const result = await callWebhook(flow.url, {});
			expect(result.status).toBe(200);
			expect(result.json.attachments).toEqual([
				{ binaryField: 'data', fileName: 'signed-link.pdf' },
			]);
			const doc = await docOfToken(result.json.accessToken as string);
			expect(doc.attachments.map((a) => a.name)).toEqual(['signed-link.pdf']);
			const requests = await control<Array<{ path: string; body: { aAttachments: string[] } }>>(
				'GET',
				'/__requests',
			);
			const sent = requests.filter((r) => r.path === '/json/external/oauth/token').pop()!;
			expect(sent.body.aAttachments[0]).toMatch(
				new RegExp(`^${e2eInfo().baseUrl}/rest/binary-data/signed\\?token=`),
			);
		} finally {
			await control('POST', '/__config', { fetchAttachments: false });
		}
	});

	it('runs the three example workflows as shipped (hosts pointed at this run)', async () => {
		// The decline notifier mails through the sandbox's SMTP server.
		const smtp = (await (await fetch(`${e2eInfo().sandbox.mail}/__smtp`)).json()) as {
			host: string;
			port: number;
			user: string;
			password: string;
		};
		const mail = await createCredential('Sandbox mail (documentolog e2e)', 'smtp', {
			...smtp,
			secure: false,
			disableStartTls: true,
		});
		const load = async (example: { name: string; nodes: unknown[]; connections: unknown }) => {
			const text = JSON.stringify(example)
				.split('"id":"","name":"Sandbox mail"')
				.join(`"id":"${mail.id}","name":"${mail.name}"`)
				.split('http://127.0.0.1:4103')
				.join(sandbox())
				.split('http://127.0.0.1:5678')
				.join(e2eInfo().baseUrl)
				.split('"id":"","name":"Documentolog sandbox"')
				.join(`"id":"${credential.id}","name":"${credential.name}"`);
			const parsed = JSON.parse(text) as typeof example;
			const workflow = await createWorkflow({ ...parsed, name: `e2e ${parsed.name}` });
			await activate(workflow);
			return { workflow, nodes: parsed.nodes as Array<{ type: string; webhookId?: string }> };
		};
		const completedFlow = await load(completedExample);
		const declinedFlow = await load(declinedExample);
		await load(webFormExample);
		const hookOf = (flow: typeof completedFlow) =>
			flow.nodes.find((node) => node.type === 'n8n-nodes-esign.documentologTrigger')!.webhookId!;

		// The web form answers with a page embedding the signing iframe; signing completes it.
		const form = await (async () => {
			const deadline = Date.now() + 20_000;
			for (;;) {
				const response = await postJson(webhookUrl('documentolog-sign'), {
					recipientIin: RECIPIENT,
					orderId: 'order-example',
				});
				if (response.status !== 404 || Date.now() > deadline) return response;
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
		})();
		expect(form.status).toBe(200);
		expect(form.headers.get('content-type')).toContain('text/html');
		const html = await form.text();
		const src = /<iframe src="([^"]+)"/.exec(html)?.[1].replace(/&amp;/g, '&');
		expect(src).toContain(`${sandbox()}/external/sign/embedded?sParams=`);
		expect(html).toContain("window.addEventListener('message'");
		const token = new URL(src!).searchParams.get('sParams')!;
		const doc = await docOfToken(token);
		await control('POST', `/__docs/${doc.docId}/sender-sign`, {});
		await control('POST', `/__docs/${doc.docId}/recipients/${RECIPIENT}/sign`, {});
		const [completedRun] = await waitForExecutions(completedFlow.workflow.id, 1);
		expect(completedRun.status).toBe('success');
		const completedData = await executionData(completedRun.id);
		expect(completedData).toContain('filesystem-v2:');
		expect(completedData).toContain('order-example');

		// A decline reaches the notifier (its URL and secret as Get Trigger URL would give them).
		const declinedHook = hookOf(declinedFlow);
		const response = await fetch(`${sandbox()}/json/external/oauth/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'api-key': KEY },
			body: JSON.stringify({
				aAttachments: [`${sandbox()}/__files/contract.pdf`],
				sSetWebhookUrl: `${e2eInfo().baseUrl}/webhook/${declinedHook}/webhook?secret=${secretFor(declinedHook)}`,
				iSendToRecipient: 1,
				mRecipient: [RECIPIENT],
				iRecipientSignatureRequired: 1,
				mAvailableSignatureMethodsForRecipient: ['eds'],
				mAvailableSignatureMethods: ['eds'],
				sSender: SENDER,
			}),
		});
		const declinedDoc = await docOfToken(
			((await response.json()) as { data: { access_token: string } }).data.access_token,
		);
		await control('POST', `/__docs/${declinedDoc.docId}/sender-sign`, {});
		await control('POST', `/__docs/${declinedDoc.docId}/recipients/${RECIPIENT}/decline`, {
			name: 'Aru Bek',
		});
		const [declinedRun] = await waitForExecutions(declinedFlow.workflow.id, 1);
		expect(declinedRun.status).toBe('success');
		expect(await executionData(declinedRun.id)).toContain(`Aru Bek (${RECIPIENT}) pressed Reject`);
	});
});
