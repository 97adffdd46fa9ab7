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

const KEY = 'example-documentolog-key';
const SENDER = '900101300017';
const RECIPIENT = '900101300811';
const SECOND_RECIPIENT = '040740000001';
let credential: { id: string; name: string };
const sandbox = () => e2eInfo().sandbox.documentolog;

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
}

const docOfToken = async (token: string) =>
	(await control<EmulatorDoc[]>('GET', `/__docs?token=${encodeURIComponent(token)}`))[0];

beforeAll(async () => {
	credential = await createCredential('Documentolog sandbox (wait)', 'documentologApi', {
		host: 'custom',
		baseUrl: sandbox(),
		apiKey: KEY,
	});
});

/** Webhook → Send and Wait for Signature → After. Returns the webhook URL and workflow id. */
async function sendAndWaitWorkflow(name: string, waitParameters: Record<string, unknown> = {}) {
	return await webhookChainWorkflow(
		name,
		[
			{
				name: 'Send and wait',
				type: 'n8n-nodes-esign.documentolog',
				webhookId: randomUUID(),
				parameters: {
					resource: 'document',
					operation: 'createAndWait',
					attachmentsFrom: 'urls',
					attachmentUrls: [`${sandbox()}/__files/contract.pdf`],
					sender: SENDER,
					recipients: [RECIPIENT, SECOND_RECIPIENT],
					waitOptions: { binaryPropertyName: 'signed' },
					...waitParameters,
				},
				credentials: { documentologApi: { id: credential.id, name: credential.name } },
			},
			afterNode,
		],
		'onReceived',
	);
}

/** Starts the workflow and returns the waiting execution, its pre-wait output and the document. */
async function startWaiting(workflowId: string, url: string, order: string) {
	expect((await callWebhook(url, { order })).status).toBe(200);
	const waiting = await latestExecution(workflowId, (status) => status === 'waiting');
	expect(waiting.status).toBe('waiting');
	const beforeWait = await nodeOutput(waiting.id, 'Send and wait');
	const doc = await docOfToken(beforeWait!.json.accessToken as string);
	return { waiting, beforeWait: beforeWait!, doc };
}

const post = async (url: string, body: unknown) => (await postJson(url, body)).status;

/** What the emulator answered for its deliveries to one URL, in order, once `count` are answered. */
async function deliveryStatuses(url: string, count: number) {
	const deadline = Date.now() + 15_000;
	for (;;) {
		const all = await control<Array<{ url: string; status?: number }>>('GET', '/__deliveries');
		const statuses = all.filter((delivery) => delivery.url === url).map((d) => d.status);
		const answered = statuses.filter((status) => status !== undefined).length;
		if ((statuses.length >= count && answered === statuses.length) || Date.now() > deadline) {
			return statuses;
		}
		await sleep(200);
	}
}

describe('Send and Wait for Signature (Documentolog) in a real n8n', () => {
	it('waits through forged, foreign and intermediate events, resumes on completion with the files as binary', async () => {
		const { workflow, url } = await sendAndWaitWorkflow('e2e documentolog send and wait');
		const logStart = n8nLog().length;
		const { waiting, beforeWait, doc } = await startWaiting(workflow.id, url, 'order-wait-1');

		// Before the wait: what the sender needs, and no resume URL.
		expect(beforeWait.json).toMatchObject({
			embedUrl: expect.stringContaining(`${sandbox()}/external/sign/embedded?sParams=`),
			iframeHtml: expect.stringMatching(/^<iframe src=/),
			correlationId: expect.stringMatching(/^wait-/),
			waitingFor: 'document to be completed or declined',
		});
		expect(beforeWait.json.webhookUrl).toBeUndefined();
		const resumeUrl = doc.webhookUrl!;
		expectProvenResumeUrl(resumeUrl, waiting.id, KEY, 'documentolog');
		// Documentolog keeps the query string in this emulator (undocumented for the real service).
		expect(new URL(resumeUrl).searchParams.get('ref')).toBe(beforeWait.json.correlationId);
		const capabilities = [...new URL(resumeUrl).searchParams]
			.filter(([name]) => name !== 'ref')
			.map(([, value]) => value);
		for (const value of capabilities) expect(JSON.stringify(beforeWait.json)).not.toContain(value);

		const completedBody = {
			event: 'document_completed',
			doc_id: doc.docId,
			download_files_with_eds: [
				{ name: 'forged.pdf', link: `${sandbox()}/external/media/download/1` },
			],
		};
		// Forged: the execution id alone, a missing or wrong proof: 401 on every n8n version.
		const forged = await forgeResumeCalls(
			resumeUrl,
			waiting.id,
			KEY,
			'documentolog',
			completedBody,
		);
		expect(forged).toEqual(allRefused(forged));
		// Proven, but for another correlation id (another document's events): 200, ignored. The
		// answer comes after the node has decided, so the state can be read at once.
		const otherRef = new URL(resumeUrl);
		otherRef.searchParams.set('ref', 'wait-someone-else');
		expect(await post(otherRef.href, completedBody)).toBe(200);
		expect((await latestExecution(workflow.id, () => true)).status).toBe('waiting');

		// Intermediate events: the sender signs (document_sent), one recipient of two signs.
		await control('POST', `/__docs/${doc.docId}/sender-sign`, { signType: 'eds' });
		await control('POST', `/__docs/${doc.docId}/recipients/${RECIPIENT}/sign`, {
			name: 'Aru Bek',
		});
		expect(await deliveryStatuses(resumeUrl, 2)).toEqual([200, 200]);
		expect((await latestExecution(workflow.id, () => true)).status).toBe('waiting');

		// The last recipient signs: document_completed resumes the execution.
		await control('POST', `/__docs/${doc.docId}/recipients/${SECOND_RECIPIENT}/sign`, {
			name: 'ТОО Ромашка',
		});
		const done = await latestExecution(workflow.id, settled);
		expect(done.status).toBe('success');
		expect(done.id).toBe(waiting.id);
		const resumed = await nodeOutput(done.id, 'After');
		expect(resumed?.json).toMatchObject({
			outcome: 'completed',
			event: 'document.completed',
			vendor: 'documentolog',
			documentId: doc.docId,
			correlationId: beforeWait.json.correlationId,
		});
		expect(resumed?.json.downloadError).toBeUndefined();
		expect(resumed?.binary?.signed).toMatchObject({
			fileName: 'contract.pdf',
			mimeType: 'application/pdf',
		});
		expect(resumed?.binary?.signed.id).toMatch(/^filesystem-v2:/);
		// sent, signed, signed, completed: all answered 200 and no error in n8n's log.
		expect(await deliveryStatuses(resumeUrl, 4)).toEqual([200, 200, 200, 200]);
		expect(logErrorsAbout(waiting.id, logStart)).toEqual([]);
		const data = await executionData(done.id);
		expect(data).not.toContain(KEY);
		for (const value of capabilities) expect(JSON.stringify(resumed?.json)).not.toContain(value);
	});

	it('resumes with outcome declined when a recipient rejects', async () => {
		const { workflow, url } = await sendAndWaitWorkflow('e2e documentolog send and wait decline');
		const { doc } = await startWaiting(workflow.id, url, 'order-wait-2');
		await control('POST', `/__docs/${doc.docId}/sender-sign`, {});
		await control('POST', `/__docs/${doc.docId}/recipients/${SECOND_RECIPIENT}/decline`, {
			name: 'ТОО Ромашка',
		});
		const done = await latestExecution(workflow.id, settled);
		expect(done.status).toBe('success');
		const resumed = await nodeOutput(done.id, 'After');
		expect(resumed?.json).toMatchObject({
			outcome: 'declined',
			event: 'document.declined',
			derived: true,
			documentId: doc.docId,
			signer: { name: 'ТОО Ромашка', identifier: SECOND_RECIPIENT },
		});
		expect(resumed?.binary).toBeUndefined();
	});
});
