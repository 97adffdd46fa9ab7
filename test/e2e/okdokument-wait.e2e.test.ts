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
import { RESUME_PROOF_PARAMETER } from '../../nodes/shared/resume';
import { allRefused, expectProvenResumeUrl, forgeResumeCalls } from '../helpers/resume';

// A real n8n process: webhooks register asynchronously and executions run in the background.
jest.setTimeout(60_000);

const API_KEY = 'example-okdokument-key';
let credential: { id: string; name: string };
const sandbox = () => e2eInfo().sandbox.okdokument;

beforeAll(async () => {
	credential = await createCredential('OKdokument sandbox (wait)', 'okDokumentApi', {
		environment: 'custom',
		baseUrl: sandbox(),
		apiKey: API_KEY,
	});
});

const okNode = (name: string, parameters: Record<string, unknown>) => ({
	name,
	type: 'n8n-nodes-esign.okDokument',
	webhookId: randomUUID(),
	parameters,
	credentials: { okDokumentApi: { id: credential.id, name: credential.name } },
});

/** The fields of a first-round request from the sandbox's sample PDF; the round id from the body. */
const createFields = {
	resource: 'signatureRequest',
	documentSource: 'upload',
	fileSource: 'url',
	fileUrl: 'SANDBOX/__files/sample.pdf',
	fileName: 'Wait contract.pdf',
};

function withSandbox(parameters: Record<string, unknown>) {
	return JSON.parse(JSON.stringify(parameters).split('SANDBOX').join(sandbox())) as Record<
		string,
		unknown
	>;
}

/** Webhook → Send and Wait for Signature → After. Returns the webhook URL and workflow id. */
async function sendAndWaitWorkflow(name: string, waitParameters: Record<string, unknown> = {}) {
	return await webhookChainWorkflow(
		name,
		[
			okNode(
				'Send and wait',
				withSandbox({
					...createFields,
					operation: 'createAndWait',
					options: { signatureRequestId: '={{ $json.body.round }}' },
					waitOptions: { binaryPropertyName: 'signed' },
					...waitParameters,
				}),
			),
			afterNode,
		],
		'onReceived',
	);
}

const start = async (url: string, body: unknown) => (await callWebhook(url, body)).status;

interface SandboxRequest {
	id: string;
	documentId: string;
	state: string;
	sendInfoURL?: string;
	callback?: { attempts: number; ok?: boolean; lastStatus?: number };
}

async function sandboxRequest(id: string): Promise<SandboxRequest> {
	for (let attempt = 0; attempt < 40; attempt++) {
		const list = (await (
			await fetch(`${sandbox()}/__signature-requests`)
		).json()) as SandboxRequest[];
		const found = list.find((request) => request.id === id);
		if (found) return found;
		await sleep(250);
	}
	throw new Error(`no signature request ${id}`);
}

async function documentState(documentId: string): Promise<string> {
	const response = await fetch(`${sandbox()}/JSON/document/metadata/${documentId}`, {
		headers: { 'x-api-key': API_KEY },
	});
	return ((await response.json()) as { state: string }).state;
}

const act = async (signatureRequestId: string, action: 'submit' | 'cancel' = 'submit') =>
	expect(
		(
			await fetch(`${sandbox()}/__signature-requests/${signatureRequestId}/${action}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ signerName: 'Ján Novák' }),
			})
		).status,
	).toBe(200);

/** A request made straight against the sandbox, with no callback: someone else's document. */
async function otherDocument(): Promise<{ result: string; documentId: string }> {
	const pdf = Buffer.from(await (await fetch(`${sandbox()}/__files/sample.pdf`)).arrayBuffer());
	const response = await fetch(`${sandbox()}/JSON/signatureRequest`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
		body: JSON.stringify({
			filedata: { filename: 'other.pdf', content: pdf.toString('base64') },
		}),
	});
	return (await response.json()) as { result: string; documentId: string };
}

const post = async (url: string, body: unknown, contentType?: string) =>
	(await postJson(url, body, contentType)).status;

describe('Send and Wait for Signature (OKdokument) in a real n8n', () => {
	it('waits through forged callbacks, resumes when the signer signs, with the signed PDF', async () => {
		const { workflow, url } = await sendAndWaitWorkflow('e2e okdokument send and wait');
		const logStart = n8nLog().length;
		const round = randomUUID();
		expect(await start(url, { round })).toBe(200);
		const waiting = await latestExecution(workflow.id, (status) => status === 'waiting');
		expect(waiting.status).toBe('waiting');
		const request = await sandboxRequest(round);
		const resumeUrl = request.sendInfoURL!;
		expectProvenResumeUrl(resumeUrl, waiting.id, API_KEY, 'okdokument');

		// The waiting node shows the signing URL; the resume URL stays out of the data.
		const beforeWait = await nodeOutput(waiting.id, 'Send and wait');
		expect(beforeWait?.json).toMatchObject({
			signatureRequestId: round,
			documentId: request.documentId,
			signingUrl: `${sandbox()}/openDocument/${round}`,
			waitingFor: expect.any(String),
		});
		expect(JSON.stringify(beforeWait?.json)).not.toContain('webhook-waiting');

		// Forged: a malformed body; "signed" for this document while it is still pending; a real
		// signed callback of another document; this document under another round.
		const other = await otherDocument();
		await act(other.result);
		expect(await post(resumeUrl, 'state=signed', 'application/x-www-form-urlencoded')).toBe(400);
		expect(await post(resumeUrl, { id: request.documentId, state: 'exploded' })).toBe(400);
		expect(
			await post(resumeUrl, {
				state: 'signed',
				id: request.documentId,
				signatureRequestId: round,
			}),
		).toBe(200);
		expect(
			await post(resumeUrl, {
				state: 'signed',
				id: other.documentId,
				signatureRequestId: other.result,
			}),
		).toBe(200);
		expect(
			await post(resumeUrl, {
				state: 'signed',
				id: request.documentId,
				signatureRequestId: other.result,
			}),
		).toBe(200);
		// The execution id alone, a missing or wrong proof: 401 on every n8n version.
		const forged = await forgeResumeCalls(resumeUrl, waiting.id, API_KEY, 'okdokument', {
			state: 'signed',
			id: request.documentId,
		});
		expect(forged).toEqual(allRefused(forged));
		// Every call above was answered after the node decided: the state can be read at once.
		expect((await latestExecution(workflow.id, () => true)).status).toBe('waiting');
		expect(await documentState(request.documentId)).toBe('tosign');

		// The signer signs: OKdokument's one callback resumes the execution.
		await act(round);
		const done = await latestExecution(workflow.id, settled);
		expect(done.status).toBe('success');
		const resumed = await nodeOutput(done.id, 'After');
		expect(resumed?.json).toMatchObject({
			outcome: 'signed',
			event: 'document.completed',
			vendor: 'okdokument',
			documentId: request.documentId,
			signer: { id: round },
			verified: true,
			status: { state: 'signed' },
			raw: { body: { state: 'signed', id: request.documentId, signatureRequestId: round } },
		});
		expect(resumed?.binary?.signed).toMatchObject({
			mimeType: 'application/pdf',
			fileName: 'Wait contract.pdf',
		});
		expect(resumed?.binary?.signed.id).toMatch(/^filesystem-v2:/);
		const saved = await executionData(done.id);
		expect(saved).not.toContain(API_KEY);
		// n8n stores its own resume token in the execution; the URL forms and the proof must not be.
		expect(saved).not.toMatch(/signature=[0-9a-f]{64}/);
		expect(saved).not.toContain(new URL(resumeUrl).searchParams.get(RESUME_PROOF_PARAMETER));

		// OKdokument got its 200: the document stays "signed", not "errorsendinfo".
		const after = await sandboxRequest(round);
		expect(after.callback).toMatchObject({ attempts: 1, ok: true, lastStatus: 200 });
		expect(await documentState(request.documentId)).toBe('signed');
		expect(logErrorsAbout(waiting.id, logStart)).toEqual([]);
	});

	it('resumes with outcome "canceled" and no file when the signer cancels', async () => {
		const { workflow, url } = await sendAndWaitWorkflow('e2e okdokument send and wait cancel');
		const round = randomUUID();
		await start(url, { round });
		expect((await latestExecution(workflow.id, (status) => status === 'waiting')).status).toBe(
			'waiting',
		);
		await act((await sandboxRequest(round)).id, 'cancel');
		const done = await latestExecution(workflow.id, settled);
		expect(done.status).toBe('success');
		const resumed = await nodeOutput(done.id, 'After');
		expect(resumed?.json).toMatchObject({
			outcome: 'canceled',
			event: 'document.declined',
			verified: true,
		});
		expect(resumed?.binary).toBeUndefined();
	});
});

describe('Create, then Wait for Signature (OKdokument) in a real n8n', () => {
	/** Webhook → Create (Callback URL = resume URL) → Wait for Signature → After. */
	async function createThenWaitWorkflow(name: string) {
		return await webhookChainWorkflow(
			name,
			[
				okNode(
					'Create',
					withSandbox({
						...createFields,
						operation: 'create',
						options: {
							signatureRequestId: '={{ $json.body.round }}',
							callbackUrl: '={{ $execution.resumeUrl }}',
						},
					}),
				),
				okNode('Wait', {
					resource: 'signatureRequest',
					operation: 'waitForSignature',
					documentId: "={{ $('Create').first().json.documentId }}",
					waitOptions: {},
				}),
				afterNode,
			],
			'onReceived',
		);
	}

	it('waits for the request created earlier and resumes on its callback, never on a forged one', async () => {
		const { workflow, url } = await createThenWaitWorkflow('e2e okdokument create then wait');
		const round = randomUUID();
		await start(url, { round });
		const waiting = await latestExecution(workflow.id, (status) => status === 'waiting');
		expect(waiting.status).toBe('waiting');
		const request = await sandboxRequest(round);
		// Create added the proof to the Callback URL `{{ $execution.resumeUrl }}`.
		expectProvenResumeUrl(request.sendInfoURL!, waiting.id, API_KEY, 'okdokument');
		const forged = await forgeResumeCalls(request.sendInfoURL!, waiting.id, API_KEY, 'okdokument', {
			state: 'signed',
			id: request.documentId,
		});
		expect(forged).toEqual(allRefused(forged));
		await act(round);
		const done = await latestExecution(workflow.id, settled);
		expect(done.status).toBe('success');
		const resumed = await nodeOutput(done.id, 'After');
		expect(resumed?.json).toMatchObject({
			outcome: 'signed',
			documentId: request.documentId,
			signer: { id: round },
		});
		expect(resumed?.binary?.data).toMatchObject({ mimeType: 'application/pdf' });
	});
});
