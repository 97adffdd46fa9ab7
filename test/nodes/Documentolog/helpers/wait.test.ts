import type { INodeType, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { Documentolog } from '../../../../nodes/Documentolog/Documentolog.node';
import {
	WAITING_FOR,
	correlationMatches,
	newCorrelationId,
} from '../../../../nodes/Documentolog/helpers/wait';
import { RESUME_PROOF_PARAMETER, legacyResumeProof } from '../../../../nodes/shared/resume';
import { startSandbox, type Sandbox } from '../../../helpers/sandbox';
import {
	type MockWebhookOptions,
	type WebhookReceiver,
	mockWebhookFunctions,
	startWebhookReceiver,
} from '../../shared/webhookMock';
import {
	GOOD_KEY,
	RECIPIENT_BIN,
	RECIPIENT_IIN,
	SENDER_IIN,
	apiRequests,
	clearLog,
	SIGNED_MARK,
} from '../harness';

const SIGNATURE = 'a'.repeat(64);
const node = new Documentolog();

let sandbox: Sandbox;
const base = () => sandbox.url('documentolog');
const credentials = () => ({
	documentologApi: { host: 'custom', baseUrl: base(), apiKey: GOOD_KEY },
});

/** The execution's custom data as n8n hands it to a webhook (resultData.metadata). */
function customData(values: Record<string, string>): IWebhookFunctions['customData'] {
	const store = { ...values };
	return {
		set: (key, value) => void (store[key] = value),
		setAll: (all) => void Object.assign(store, all),
		get: (key) => store[key],
		getAll: () => ({ ...store }),
	};
}

function mock(ref: string | undefined, options: MockWebhookOptions) {
	const made = mockWebhookFunctions({
		parameters: { resource: 'document', operation: 'createAndWait', waitOptions: {} },
		credentials: credentials(),
		node: { type: 'n8n-nodes-esign.documentolog', name: 'Send and wait' },
		execution: { id: EXECUTION_ID, customData: ref ? { [WAITING_FOR]: ref } : {} },
		...options,
	});
	return made;
}

async function call(ref: string | undefined, options: MockWebhookOptions) {
	const made = mock(ref, options);
	const result = (await node.webhook!.call(made.ctx)) as IWebhookResponseData;
	return { ...made, result };
}

const EXECUTION_ID = 'exec-1';
/** The package's proof on this execution's resume URL (nodes/shared/resume.ts). */
const PROOF = legacyResumeProof(GOOD_KEY, 'documentolog', EXECUTION_ID);
const query = (ref: string, extra: Record<string, unknown> = {}) => ({
	signature: SIGNATURE,
	ref,
	[RESUME_PROOF_PARAMETER]: PROOF,
	...extra,
});
const completedBody = (docId = 'KZ000000000000000000000042', fileBase = base()) => ({
	event: 'document_completed',
	doc_id: docId,
	document: `${fileBase}/external/document/view-document/dcs_universal_type/1`,
	download_all_files: `${fileBase}/external/media/download-many?files=1`,
	download_files: [{ name: 'contract.pdf', link: `${fileBase}/external/media/download/1` }],
	download_files_with_eds: [
		{
			name: 'contract.pdf',
			link: `${fileBase}/external/media/download-eds/dcs_universal_type/1/1`,
		},
	],
});

beforeAll(async () => {
	sandbox = await startSandbox(['documentolog']);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

describe('correlation', () => {
	it('matches only the exact stored id, given once as a string', () => {
		const id = newCorrelationId();
		expect(id).toMatch(/^wait-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
		expect(newCorrelationId()).not.toBe(id);
		expect(correlationMatches(id, { ref: id })).toBe(true);
		expect(correlationMatches(id, { ref: `${id}x` })).toBe(false);
		expect(correlationMatches(id, { ref: id.toUpperCase() })).toBe(false);
		expect(correlationMatches(id, { ref: [id, id] })).toBe(false);
		expect(correlationMatches(id, {})).toBe(false);
		expect(correlationMatches(id, undefined)).toBe(false);
		expect(correlationMatches(undefined, { ref: '' })).toBe(false);
		expect(correlationMatches('', { ref: '' })).toBe(false);
	});
});

describe('Send and Wait resume webhook (hand-built webhook context)', () => {
	it('registers the resume call for POST only (n8n answers other methods itself)', () => {
		expect(node.description.webhooks?.map((webhook) => webhook.httpMethod)).toEqual(['POST']);
	});

	const ref = 'wait-11111111-2222-3333-4444-555555555555';

	it.each([
		['document_sent', { event: 'document_sent', doc_id: 'KZ1' }],
		[
			'signer_signed',
			{ event: 'signer_signed', doc_id: 'KZ1', signer: { name: 'A', recipient: RECIPIENT_IIN } },
		],
	])('answers %s with 200 and keeps waiting', async (_event, body) => {
		const { result, response } = await call(ref, { body, query: query(ref) });
		expect(result.workflowData).toBeUndefined();
		expect(result.noWebhookResponse).toBe(true);
		expect(response).toMatchObject({ statusCode: 200, body: { received: true } });
	});

	it.each([
		['another correlation id', { ...query('wait-other') }],
		['no correlation id', { signature: SIGNATURE, [RESUME_PROOF_PARAMETER]: PROOF }],
		['the id given twice', { ...query(ref), ref: [ref, ref] }],
	])('ignores a completion with %s (200, still waiting, nothing downloaded)', async (_l, q) => {
		const { result, response } = await call(ref, { body: completedBody(), query: q });
		expect(result.workflowData).toBeUndefined();
		expect(response.statusCode).toBe(200);
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it.each([
		['no proof', { signature: SIGNATURE, ref: 'REF' }],
		['a wrong proof', { ...query('REF'), [RESUME_PROOF_PARAMETER]: 'f'.repeat(64) }],
		[
			'the proof of another execution',
			{
				...query('REF'),
				[RESUME_PROOF_PARAMETER]: legacyResumeProof(GOOD_KEY, 'documentolog', 'x'),
			},
		],
	])('refuses (401, nothing downloaded, still waiting) a completion with %s', async (_l, q) => {
		const { result, response } = await call(ref, {
			body: completedBody(),
			query: { ...q, ref: q.ref === 'REF' ? ref : q.ref },
		});
		expect(result.workflowData).toBeUndefined();
		expect(response.statusCode).toBe(401);
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it('resumes on n8n before 2.16, reading the correlation id through $execution.customData', async () => {
		const { result } = await call(ref, {
			body: completedBody(),
			query: query(ref),
			parameters: { waitOptions: { downloadFiles: false } },
			execution: {
				id: EXECUTION_ID,
				customData: { [WAITING_FOR]: ref },
				customDataApi: 'additionalKeys',
			},
		});
		expect(result.workflowData?.[0]?.[0]?.json).toMatchObject({ outcome: 'completed' });
	});

	it('ignores every event when the execution holds no correlation id', async () => {
		const { result, response } = await call(undefined, {
			body: completedBody(),
			query: query(ref),
		});
		expect(result.workflowData).toBeUndefined();
		expect(response.statusCode).toBe(200);
	});

	it.each([
		['no body', undefined, 'Empty body'],
		['an unknown event', { event: 'document_burned', doc_id: 'KZ1' }, 'Unknown event'],
		['a signer event without signer', { event: 'signer_declined', doc_id: 'KZ1' }, 'signer'],
		['a malformed doc_id', { event: 'document_sent', doc_id: 'KZ/../1' }, 'doc_id'],
	])('answers 400 to %s and keeps waiting', async (_label, body, problem) => {
		const rawBody = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
		const { result, response } = await call(ref, { body, rawBody, query: query(ref) });
		expect(result.workflowData).toBeUndefined();
		expect(response.statusCode).toBe(400);
		expect((response.body as { message: string }).message).toContain(problem);
	});

	it('answers 413 to an oversized body and keeps waiting', async () => {
		const body = { event: 'document_completed', doc_id: 'KZ1', padding: 'x'.repeat(70_000) };
		const rawBody = Buffer.from(JSON.stringify(body));
		const { result, response } = await call(ref, { body, rawBody, query: query(ref) });
		expect(result.workflowData).toBeUndefined();
		expect(response.statusCode).toBe(413);
		expect((response.body as { message: string }).message).toBe('Body is larger than 64 KiB');
	});

	it('answers 400 to a body that is not JSON', async () => {
		const { result, response } = await call(ref, {
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: { event: 'document_completed' },
			query: query(ref),
		});
		expect(result.workflowData).toBeUndefined();
		expect(response.statusCode).toBe(400);
	});

	it('resumes on signer_declined with outcome declined (derived document.declined)', async () => {
		const body = {
			event: 'signer_declined',
			doc_id: 'KZ000000000000000000000007',
			signer: { name: 'Aru Bek', recipient: RECIPIENT_IIN },
		};
		const { result, response } = await call(ref, {
			body,
			query: query(ref),
			headers: { 'content-type': 'application/json', authorization: 'Basic c2VjcmV0' },
		});
		expect(response).toMatchObject({ statusCode: 200, body: { received: true } });
		const [[item]] = result.workflowData!;
		expect(item.json).toEqual({
			outcome: 'declined',
			vendor: 'documentolog',
			event: 'document.declined',
			derived: true,
			documentId: 'KZ000000000000000000000007',
			signer: { name: 'Aru Bek', identifier: RECIPIENT_IIN },
			occurredAt: expect.any(String),
			verified: false,
			dedupeKey: 'documentolog:KZ000000000000000000000007:document.declined:',
			correlationId: ref,
			raw: {
				body,
				headers: { 'content-type': 'application/json' },
				query: { ref },
			},
		});
		expect(item.binary).toBeUndefined();
		expect(JSON.stringify(item.json)).not.toContain(SIGNATURE);
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it('resumes on a completion without downloading when Download Files is off', async () => {
		const { result } = await call(ref, {
			body: completedBody(),
			query: query(ref),
			parameters: { waitOptions: { downloadFiles: false } },
		});
		const [[item]] = result.workflowData!;
		expect(item.json).toMatchObject({
			outcome: 'completed',
			event: 'document.completed',
			documentId: 'KZ000000000000000000000042',
			files: expect.arrayContaining([
				{ name: 'contract.pdf', url: expect.stringContaining('/download-eds/'), kind: 'signed' },
				{ url: expect.stringContaining('download-many'), kind: 'archive-zip' },
			]),
		});
		expect(item.json.derived).toBeUndefined();
		expect(item.binary).toBeUndefined();
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it('still resumes, with downloadError and no request, when a link names a foreign host', async () => {
		const { result, requests } = await call(ref, {
			body: completedBody('KZ000000000000000000000043', 'https://evil.example.com'),
			query: query(ref),
		});
		const [[item]] = result.workflowData!;
		expect(item.json.outcome).toBe('completed');
		expect(item.json.downloadError).toMatch(/^Refused to download /);
		expect(item.json.downloadErrorDescription).toContain(
			'"evil.example.com" is not the credential',
		);
		expect(item.binary).toBeUndefined();
		expect(requests).toEqual([]);
	});

	it('still resumes, with downloadError, when the chosen kind is missing from the event', async () => {
		const body = completedBody();
		delete (body as Partial<typeof body>).download_files_with_eds;
		const { result } = await call(ref, { body, query: query(ref) });
		const [[item]] = result.workflowData!;
		expect(item.json.downloadError).toBe('The event lists no signed files');
	});

	it('reads the Open API guide’s wrapped completion; the document is then named by the correlation id', async () => {
		const content: Record<string, unknown> = completedBody();
		delete content.event;
		delete content.doc_id;
		const { result } = await call(ref, {
			body: { content },
			query: query(ref),
			parameters: { waitOptions: { downloadFiles: false } },
		});
		const [[item]] = result.workflowData!;
		expect(item.json).toMatchObject({
			outcome: 'completed',
			event: 'document.completed',
			documentId: ref,
			correlationId: ref,
		});
	});

	it('answers 503 and keeps waiting when the credential cannot be read', async () => {
		const { result, response } = await call(ref, {
			body: completedBody(),
			query: query(ref),
			credentials: {},
		});
		expect(result.workflowData).toBeUndefined();
		expect(response.statusCode).toBe(503);
	});

	it('never emits the API key, even when the vendor echoes it', async () => {
		const body = { ...completedBody(), note: `key ${GOOD_KEY}` };
		const { result } = await call(ref, {
			body,
			query: query(ref),
			parameters: { waitOptions: { downloadFiles: false } },
		});
		expect(JSON.stringify(result.workflowData)).not.toContain(GOOD_KEY);
	});
});

// ----- against the emulator: its real deliveries reach webhook() over loopback -----------------

describe('Send and Wait resume webhook with the emulator’s deliveries', () => {
	let receiver: WebhookReceiver;
	let ref: string;

	/** The node type as n8n would run it on resume: with this execution's custom data. */
	const resumingNode = (): INodeType => ({
		description: node.description,
		async webhook(this: IWebhookFunctions) {
			Object.assign(this, { customData: customData({ [WAITING_FOR]: ref }) });
			return await node.webhook!.call(this);
		},
	});

	beforeEach(async () => {
		ref = newCorrelationId();
		receiver = await startWebhookReceiver(resumingNode(), {
			parameters: { resource: 'document', operation: 'createAndWait', waitOptions: {} },
			credentials: credentials(),
			node: { type: 'n8n-nodes-esign.documentolog' },
		});
	});
	afterEach(async () => await receiver.close());

	/**
	 * The create call straight to the emulator, with the "resume URL" plus a correlation id as
	 * webhook.
	 */
	async function createDocument(
		recipients: string[] = [RECIPIENT_IIN],
		attachments = ['contract.pdf'],
		correlation = ref,
	) {
		const response = await fetch(`${base()}/json/external/oauth/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'api-key': GOOD_KEY },
			body: JSON.stringify({
				aAttachments: attachments.map((name) => `${base()}/__files/${name}`),
				sSetWebhookUrl: `${receiver.url}/webhook-waiting/17?signature=${SIGNATURE}&ref=${correlation}&${RESUME_PROOF_PARAMETER}=${PROOF}`,
				iSendToRecipient: 1,
				mRecipient: recipients,
				iRecipientSignatureRequired: 1,
				mAvailableSignatureMethodsForRecipient: ['eds'],
				mAvailableSignatureMethods: ['eds'],
				sSender: SENDER_IIN,
			}),
		});
		const json = (await response.json()) as { data: { access_token: string } };
		const [doc] = await sandbox.control<Array<{ docId: string }>>(
			'documentolog',
			'GET',
			`/__docs?token=${encodeURIComponent(json.data.access_token)}`,
		);
		return doc.docId;
	}

	const act = async (path: string, body: unknown = {}) =>
		await sandbox.control('documentolog', 'POST', path, body);

	/**
	 * Once `count` deliveries have been handled to the end. A delivery is recorded when it arrives,
	 * and the completion answers before its downloads: only a settled one has its result.
	 */
	const deliveries = async (count: number) => await receiver.settled(count);

	it('keeps waiting through document_sent and the first of two signatures, resumes on completion with the signed files', async () => {
		const docId = await createDocument([RECIPIENT_IIN, RECIPIENT_BIN], ['contract.pdf', 'a.pdf']);
		await act(`/__docs/${docId}/sender-sign`);
		await act(`/__docs/${docId}/recipients/${RECIPIENT_IIN}/sign`, { name: 'Aru Bek' });
		await deliveries(2);
		expect(receiver.executions()).toEqual([]);
		expect(receiver.deliveries.map((d) => d.response.statusCode)).toEqual([200, 200]);

		await act(`/__docs/${docId}/recipients/${RECIPIENT_BIN}/sign`, { name: 'ТОО Ромашка' });
		await deliveries(4);
		const [completion] = receiver.executions();
		expect(completion.body).toMatchObject({ event: 'document_completed', doc_id: docId });
		expect(completion.response.statusCode).toBe(200);
		const [[item]] = completion.result!.workflowData!;
		expect(item.json).toMatchObject({
			outcome: 'completed',
			event: 'document.completed',
			vendor: 'documentolog',
			documentId: docId,
			correlationId: ref,
		});
		expect(Object.keys(item.binary ?? {})).toEqual(['data_0', 'data_1']);
		expect(item.binary!.data_0).toMatchObject({
			fileName: 'contract.pdf',
			mimeType: 'application/pdf',
		});
		expect(item.binary!.data_1.fileName).toBe('a.pdf');
		const pdf = Buffer.from(item.binary!.data_0.data, 'base64').toString('latin1');
		expect(pdf).toContain(SIGNED_MARK);
		const log = await apiRequests(sandbox);
		const downloads = log.filter((r) => r.path.includes('/external/media/'));
		expect(downloads.map((r) => r.path)).toEqual([
			expect.stringMatching(/^\/external\/media\/download-eds\//),
			expect.stringMatching(/^\/external\/media\/download-eds\//),
		]);
		expect(downloads.every((r) => r.headers['api-key'] === GOOD_KEY)).toBe(true);
		expect(JSON.stringify(item.json)).not.toContain(SIGNATURE);
	});

	it('resumes on a decline with outcome declined', async () => {
		const docId = await createDocument();
		await act(`/__docs/${docId}/sender-sign`);
		await act(`/__docs/${docId}/recipients/${RECIPIENT_IIN}/decline`, { name: 'Aru Bek' });
		await deliveries(2);
		const [declined] = receiver.executions();
		expect(declined.result!.workflowData![0][0].json).toMatchObject({
			outcome: 'declined',
			event: 'document.declined',
			derived: true,
			documentId: docId,
			signer: { name: 'Aru Bek', identifier: RECIPIENT_IIN },
		});
	});

	it('ignores the events of a document created for another wait', async () => {
		const docId = await createDocument([RECIPIENT_IIN], ['contract.pdf'], 'wait-someone-else');
		await act(`/__docs/${docId}/sender-sign`);
		await act(`/__docs/${docId}/recipients/${RECIPIENT_IIN}/sign`);
		await deliveries(3);
		expect(receiver.executions()).toEqual([]);
		expect(receiver.deliveries.map((d) => d.response.statusCode)).toEqual([200, 200, 200]);
	});

	it('downloads the archive into the chosen field', async () => {
		receiver.configure({
			parameters: {
				waitOptions: { fileKind: 'archive-zip', binaryPropertyName: 'archive' },
			},
		});
		const docId = await createDocument();
		await act(`/__docs/${docId}/sender-sign`);
		await act(`/__docs/${docId}/recipients/${RECIPIENT_IIN}/sign`);
		await deliveries(3);
		const [[item]] = receiver.executions()[0].result!.workflowData!;
		expect(item.binary!.archive).toMatchObject({
			fileName: `${docId}.zip`,
			mimeType: 'application/zip',
		});
	});

	it('answers before a failing download, and still resumes with the reason', async () => {
		await sandbox.control(
			'documentolog',
			'POST',
			'/__fail-next?path=download-eds&status=404&times=5',
		);
		const docId = await createDocument();
		await act(`/__docs/${docId}/sender-sign`);
		await act(`/__docs/${docId}/recipients/${RECIPIENT_IIN}/sign`);
		await deliveries(3);
		const [completion] = receiver.executions();
		expect(completion.response.statusCode).toBe(200);
		const [[item]] = completion.result!.workflowData!;
		expect(item.json.outcome).toBe('completed');
		expect(item.json.downloadError).toBeDefined();
		expect(item.binary).toBeUndefined();
	});
});
