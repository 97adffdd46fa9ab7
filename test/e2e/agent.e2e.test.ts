// The three action nodes as tools of n8n's AI Agent in a real n8n: the agent's chat model is n8n's
// OpenAI Chat Model node pointed at a scripted OpenAI-compatible server, which answers with the
// tool calls a model would make and records everything n8n sent it. The vendors are a sandbox of
// this file's own, so the documents created can be counted.
import { randomUUID } from 'node:crypto';
import { DokobitGateway } from '../../nodes/DokobitGateway/DokobitGateway.node';
import {
	agentWorkflow,
	approvalLink,
	clickAsPerson,
	dokobitCreateFromAI,
	EMAIL_REVIEW_TYPE,
	fromAI,
	hasHumanReview,
	packageToolDescription,
	scriptedModelCredential,
	streamingWebhookVersion,
	type ToolSpec,
} from '../helpers/agent';
import {
	callWebhook,
	createCredential,
	eventually,
	executions,
	executionRuns,
	latestExecution,
	postJson,
	rest,
	settled,
	sleep,
} from '../helpers/n8n';
import { startSandbox, type Sandbox } from '../helpers/sandbox';
import {
	type Script,
	type ScriptedModel,
	type Turn,
	startScriptedModel,
	toolNamed,
} from '../helpers/scripted-model';

jest.setTimeout(120_000);

const DOKOBIT_TOKEN = 'example-dokobit-token';
const OKDOKUMENT_KEY = 'example-okdokument-key';
const DOCUMENTOLOG_KEY = 'example-documentolog-key';
const SENDER = '900101300017';
const RECIPIENT = '900101300811';

let model: ScriptedModel;
let sandbox: Sandbox;
let modelCredential: { id: string; name: string };
const credentials: Record<string, { id: string; name: string }> = {};

beforeAll(async () => {
	[model, sandbox] = await Promise.all([
		startScriptedModel(),
		startSandbox(['dokobit', 'okdokument', 'documentolog', 'mail']),
	]);
	modelCredential = await scriptedModelCredential(model.url);
	const smtp = await sandbox.control<{
		host: string;
		port: number;
		user: string;
		password: string;
	}>('mail', 'GET', '/__smtp');
	const made = await Promise.all([
		createCredential('Dokobit (agent)', 'dokobitGatewayApi', {
			environment: 'custom',
			baseUrl: sandbox.url('dokobit'),
			accessToken: DOKOBIT_TOKEN,
		}),
		createCredential('Dokobit, revoked token (agent)', 'dokobitGatewayApi', {
			environment: 'custom',
			baseUrl: sandbox.url('dokobit'),
			accessToken: 'revoked-dokobit-token',
		}),
		createCredential('OKdokument (agent)', 'okDokumentApi', {
			environment: 'custom',
			baseUrl: sandbox.url('okdokument'),
			apiKey: OKDOKUMENT_KEY,
		}),
		createCredential('OKdokument, revoked key (agent)', 'okDokumentApi', {
			environment: 'custom',
			baseUrl: sandbox.url('okdokument'),
			apiKey: 'revoked-okdokument-key',
		}),
		createCredential('Documentolog (agent)', 'documentologApi', {
			host: 'custom',
			baseUrl: sandbox.url('documentolog'),
			apiKey: DOCUMENTOLOG_KEY,
		}),
		createCredential('Sandbox mail (agent)', 'smtp', {
			host: smtp.host,
			port: smtp.port,
			secure: false,
			disableStartTls: true,
			user: smtp.user,
			password: smtp.password,
		}),
		createCredential('Documentolog, revoked key (agent)', 'documentologApi', {
			host: 'custom',
			baseUrl: sandbox.url('documentolog'),
			apiKey: 'revoked-documentolog-key',
		}),
	]);
	[
		credentials.dokobit,
		credentials.dokobitRevoked,
		credentials.okdokument,
		credentials.okdokumentRevoked,
		credentials.documentolog,
		credentials.smtp,
		credentials.documentologRevoked,
	] = made;
});

afterAll(async () => {
	await Promise.all([model?.close(), sandbox?.close()]);
});

beforeEach(async () => {
	await Promise.all(
		['dokobit', 'okdokument', 'documentolog'].map(
			async (vendor) => await sandbox.control(vendor, 'DELETE', '/__requests'),
		),
	);
});

interface SandboxRequest {
	method: string;
	path: string;
}

/** Requests the emulator received since the test started, e.g. the creates. */
async function vendorRequests(vendor: string, method: string, path: RegExp) {
	const all = await sandbox.control<SandboxRequest[]>(vendor, 'GET', '/__requests');
	return all.filter((request) => request.method === method && path.test(request.path));
}

/** A model that makes the given calls in turn, each built from the turn it answers, then sums up. */
function steps(
	...calls: Array<(turn: Turn) => { tool: string; arguments: Record<string, unknown> }>
): Script {
	return (turn) => {
		const step = calls[turn.index];
		if (!step) {
			return { text: `Done. Tool results: ${turn.results.map((r) => r.content).join(' || ')}` };
		}
		const call = step(turn);
		return { toolCalls: [{ name: toolNamed(turn, call.tool).name, arguments: call.arguments }] };
	};
}

/** Runs the agent once (webhook answers with the agent's output) and returns what happened. */
async function runAgent(name: string, tools: ToolSpec[], script: Script, prompt: string) {
	const modelId = model.script(script);
	const { workflow, url } = await agentWorkflow({ name, modelId, modelCredential, tools });
	const answer = await callWebhook(url, { prompt });
	const execution = await latestExecution(workflow.id, settled);
	return { answer, execution, turns: model.turns(modelId), workflow };
}

const lastResult = (turns: Turn[]) => turns.at(-1)?.results.at(-1)?.content ?? '';

// ---------------------------------------------------------------- Dokobit Documents Gateway

const dokobitTool = (
	name: string,
	parameters: Record<string, unknown>,
	credential = credentials.dokobit,
): ToolSpec => ({
	name,
	type: 'n8n-nodes-esign.dokobitGatewayTool',
	parameters,
	credentials: { dokobitGatewayApi: credential },
});

const dokobitCreate = () =>
	dokobitTool('Create signing', { ...dokobitCreateFromAI, operation: 'create' });
const dokobitStatus = (credential = credentials.dokobit) =>
	dokobitTool(
		'Get signing status',
		{ resource: 'signing', operation: 'getStatus', signingToken: fromAI('token', 'Signing token') },
		credential,
	);

const dokobitSigner = (code: string) => [{ id: 'ona', name: 'Ona', surname: 'Onaitė', code }];
const dokobitArguments = (name: string, code = '38001010000') => ({
	name,
	fileUrl: `${sandbox.url('dokobit')}/__files/sample.pdf`,
	signers: dokobitSigner(code),
});

async function dokobitSignings(name: string) {
	const all = await sandbox.control<Array<{ name: string; token: string; status: string }>>(
		'dokobit',
		'GET',
		'/__signings',
	);
	return all.filter((signing) => signing.name === name);
}

describe('Dokobit Gateway tools in an AI Agent', () => {
	it('offers create and read with their schemas; creates one signing and reads it back', async () => {
		const name = `Agent contract ${randomUUID()}`;
		let offered: Turn['tools'] = [];
		const { answer, execution, turns } = await runAgent(
			'agent dokobit create and read',
			[dokobitCreate(), dokobitStatus()],
			steps(
				(turn) => {
					offered = turn.tools;
					return { tool: 'Create_signing', arguments: dokobitArguments(name) };
				},
				(turn) => {
					const [created] = JSON.parse(turn.results[0].content) as Array<{ token: string }>;
					return { tool: 'Get_signing_status', arguments: { token: created.token } };
				},
			),
			'Send the contract to Ona for signature and tell me its status',
		);
		expect(execution.status).toBe('success');
		// OpenAI Chat Model 1.3 with the Responses API off: Chat Completions, not streamed.
		expect(turns.map((turn) => [turn.api, turn.stream])).toEqual([
			['chat', false],
			['chat', false],
			['chat', false],
		]);
		const create = offered.find((tool) => tool.name === 'Create_signing');
		expect(create?.parameters).toMatchObject({
			type: 'object',
			properties: {
				name: { type: 'string', description: 'Title of the document' },
				fileUrl: { type: 'string' },
				signers: expect.any(Object),
			},
			required: expect.arrayContaining(['name', 'fileUrl', 'signers']),
		});
		// The whole sentence, not only the short name a node added from the picker gets.
		expect(create?.description).toBe(
			packageToolDescription(new DokobitGateway(), 'signing', 'create'),
		);
		expect(create?.description).toMatch(
			/^Create signing in Dokobit Documents Gateway\. .*legally binding/,
		);
		expect(offered.map((tool) => tool.name).sort()).toEqual([
			'Create_signing',
			'Get_signing_status',
		]);

		const signings = await dokobitSignings(name);
		expect(signings).toHaveLength(1);
		const created = JSON.parse(turns[1].results[0].content) as Array<Record<string, unknown>>;
		expect(created[0]).toMatchObject({ token: signings[0].token, name });
		expect(JSON.stringify(created[0].signers)).toContain(`${sandbox.url('dokobit')}/signing/`);
		const status = JSON.parse(lastResult(turns)) as Array<Record<string, unknown>>;
		expect(JSON.stringify(status[0])).toContain('pending');
		expect(String(answer.json.output)).toContain(signings[0].token);
	});

	it('answers a bad personal code with an error naming the field, sends nothing; the corrected call creates exactly one', async () => {
		const name = `Corrected contract ${randomUUID()}`;
		const { execution, turns } = await runAgent(
			'agent dokobit correction',
			[dokobitCreate()],
			steps(
				() => ({ tool: 'Create_signing', arguments: dokobitArguments(name, '12345') }),
				() => ({ tool: 'Create_signing', arguments: dokobitArguments(name) }),
			),
			'Send the contract to Ona (personal code 12345)',
		);
		expect(execution.status).toBe('success');
		expect(turns).toHaveLength(3);
		expect(turns[1].results[0].content).toContain(
			'Signers (JSON) › Signer 1 › code (signers[0].code) \\"12345\\" is not a valid LT, EE or FI personal code',
		);
		expect(JSON.parse(turns[2].results[1].content)[0]).toMatchObject({ name });
		expect(await dokobitSignings(name)).toHaveLength(1);
		// One upload and one create: the refused call sent nothing.
		expect(await vendorRequests('dokobit', 'POST', /\/api\/signing\/create\.json$/)).toHaveLength(
			1,
		);
		expect(await vendorRequests('dokobit', 'POST', /\/api\/file\/upload\.json$/)).toHaveLength(1);
	});

	it('streams where the Webhook offers it: the model is asked with stream: true, the tool creates one signing', async () => {
		const webhookVersion = await streamingWebhookVersion();
		if (webhookVersion === undefined) return; // this n8n cannot stream an agent's answer
		const name = `Streamed contract ${randomUUID()}`;
		const modelId = model.script(
			steps(() => ({ tool: 'Create_signing', arguments: dokobitArguments(name) })),
		);
		const { url } = await agentWorkflow({
			name: 'agent dokobit streaming',
			modelId,
			modelCredential,
			tools: [dokobitCreate()],
			responseMode: 'streaming',
			webhookVersion,
		});
		let body = '';
		const deadline = Date.now() + 20_000;
		for (;;) {
			const response = await postJson(url, { prompt: 'Send the contract to Ona' });
			body = await response.text();
			if (response.status !== 404 || Date.now() > deadline) break;
			await sleep(250);
		}
		const turns = model.turns(modelId);
		expect(turns.map((turn) => [turn.api, turn.stream])).toEqual([
			['chat', true],
			['chat', true],
		]);
		expect(await dokobitSignings(name)).toHaveLength(1);
		// The streamed answer carries the model's final text, which quotes the tool's result.
		expect(body).toContain('Done. Tool results');
	});

	it('hands a vendor 404 and a refused token to the model as text', async () => {
		const { execution, turns } = await runAgent(
			'agent dokobit vendor errors',
			[dokobitStatus(), { ...dokobitStatus(credentials.dokobitRevoked), name: 'Revoked status' }],
			steps(
				() => ({ tool: 'Get_signing_status', arguments: { token: 'a'.repeat(40) } }),
				() => ({ tool: 'Revoked_status', arguments: { token: 'b'.repeat(40) } }),
			),
			'What is the status of my signings?',
		);
		expect(execution.status).toBe('success');
		const [notFound, refused] = turns[2].results.map((result) => result.content);
		expect(notFound).toMatch(/404|not found/i);
		expect(refused).toMatch(/403|forbidden|access/i);
	});
});

// ---------------------------------------------------------------- OKdokument

const okTool = (
	name: string,
	parameters: Record<string, unknown>,
	credential = credentials.okdokument,
): ToolSpec => ({
	name,
	type: 'n8n-nodes-esign.okDokumentTool',
	parameters,
	credentials: { okDokumentApi: credential },
});

const okCreateFields = {
	resource: 'signatureRequest',
	documentSource: 'upload',
	fileSource: 'url',
	fileUrl: fromAI('fileUrl', 'URL of the PDF to sign'),
	fileName: fromAI('fileName', 'File name shown to the signer, ending in .pdf'),
	options: { expiresAt: fromAI('expiresAt', 'When the request expires (ISO 8601 date and time)') },
};
const okCreate = () =>
	okTool('Create signature request', { ...okCreateFields, operation: 'create' });
const okGet = (credential = credentials.okdokument) =>
	okTool(
		'Get document',
		{ resource: 'document', operation: 'get', documentId: fromAI('documentId', 'Document ID') },
		credential,
	);
const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString();
const okArguments = (fileName: string, expiresAt = inAWeek()) => ({
	fileUrl: `${sandbox.url('okdokument')}/__files/sample.pdf`,
	fileName,
	expiresAt,
});
const okRequests = async () =>
	await sandbox.control<Array<{ id: string; documentId: string }>>(
		'okdokument',
		'GET',
		'/__signature-requests',
	);
const okCreates = async () =>
	await vendorRequests('okdokument', 'POST', /^\/JSON\/signatureRequest$/);

describe('OKdokument tools in an AI Agent', () => {
	it('creates one signature request and reads its document back', async () => {
		const before = (await okRequests()).length;
		const { execution, turns } = await runAgent(
			'agent okdokument create and read',
			[okCreate(), okGet()],
			steps(
				() => ({ tool: 'Create_signature_request', arguments: okArguments('Agent offer.pdf') }),
				(turn) => {
					const [created] = JSON.parse(turn.results[0].content) as Array<{ documentId: string }>;
					return { tool: 'Get_document', arguments: { documentId: created.documentId } };
				},
			),
			'Send the offer for signature and check the document',
		);
		expect(execution.status).toBe('success');
		expect(await okRequests()).toHaveLength(before + 1);
		expect(await okCreates()).toHaveLength(1);
		const created = JSON.parse(turns[1].results[0].content)[0] as Record<string, unknown>;
		expect(created).toMatchObject({ fileName: 'Agent offer.pdf', signingUrl: expect.any(String) });
		const document = JSON.parse(lastResult(turns))[0] as Record<string, unknown>;
		expect(JSON.stringify(document)).toContain(String(created.documentId));
	});

	it('answers a past expiry with an error naming the field, sends nothing; the corrected call creates exactly one', async () => {
		const before = (await okRequests()).length;
		const { execution, turns } = await runAgent(
			'agent okdokument correction',
			[okCreate()],
			steps(
				() => ({
					tool: 'Create_signature_request',
					arguments: okArguments('Late.pdf', '2001-01-01T00:00:00Z'),
				}),
				() => ({ tool: 'Create_signature_request', arguments: okArguments('Late.pdf') }),
			),
			'Send Late.pdf, expiring 2001-01-01',
		);
		expect(execution.status).toBe('success');
		expect(turns[1].results[0].content).toMatch(
			/Item 0: Options › Expires At \(expiresAt\) .*is in the past/,
		);
		expect(await okCreates()).toHaveLength(1);
		expect(await okRequests()).toHaveLength(before + 1);
	});

	it('hands a vendor 404 and a refused key to the model as text', async () => {
		const { execution, turns } = await runAgent(
			'agent okdokument vendor errors',
			[okGet(), { ...okGet(credentials.okdokumentRevoked), name: 'Revoked get' }],
			steps(
				() => ({ tool: 'Get_document', arguments: { documentId: 'no-such-document' } }),
				() => ({ tool: 'Revoked_get', arguments: { documentId: 'no-such-document' } }),
			),
			'Check my documents',
		);
		expect(execution.status).toBe('success');
		const [notFound, refused] = turns[2].results.map((result) => result.content);
		expect(notFound).toMatch(/404|not found/i);
		expect(refused).toMatch(/401|unauthori[sz]ed|api.key/i);
	});
});

// ---------------------------------------------------------------- Documentolog

const documentologTool = (
	name: string,
	parameters: Record<string, unknown>,
	credential = credentials.documentolog,
): ToolSpec => ({
	name,
	type: 'n8n-nodes-esign.documentologTool',
	parameters,
	credentials: { documentologApi: credential },
});

const documentologCreateFields = {
	resource: 'document',
	attachmentsFrom: 'urls',
	attachmentUrls: fromAI('fileUrl', 'URL of the file to sign'),
	sender: SENDER,
	recipients: fromAI('recipient', 'IIN (12 digits) of the person who signs'),
};
const documentologCreate = (credential = credentials.documentolog) =>
	documentologTool(
		'Create signing session',
		{ ...documentologCreateFields, operation: 'createSigningSession' },
		credential,
	);
const documentologArguments = (recipient: string) => ({
	fileUrl: `${sandbox.url('documentolog')}/__files/contract.pdf`,
	recipient,
});
const documentologDocs = async () =>
	await sandbox.control<Array<{ docId: string; state: string }>>('documentolog', 'GET', '/__docs');
const documentologCreates = async () =>
	await vendorRequests('documentolog', 'POST', /^\/json\/external\/oauth\/token$/);

describe('Documentolog tools in an AI Agent', () => {
	it('answers a bad IIN with an error naming the field, sends nothing; the corrected call creates exactly one', async () => {
		const before = (await documentologDocs()).length;
		const { execution, turns } = await runAgent(
			'agent documentolog correction',
			[documentologCreate()],
			steps(
				() => ({ tool: 'Create_signing_session', arguments: documentologArguments('12345') }),
				() => ({ tool: 'Create_signing_session', arguments: documentologArguments(RECIPIENT) }),
			),
			'Send the contract to 12345',
		);
		expect(execution.status).toBe('success');
		expect(turns[1].results[0].content).toContain('Item 0: Recipients › 1 (recipient[0])');
		const created = JSON.parse(lastResult(turns))[0] as Record<string, unknown>;
		expect(created.embedUrl).toEqual(expect.stringContaining('/external/sign/embedded?sParams='));
		expect(await documentologCreates()).toHaveLength(1);
		expect(await documentologDocs()).toHaveLength(before + 1);
	});

	it('hands a refused key to the model as text', async () => {
		const before = (await documentologDocs()).length;
		const { execution, turns } = await runAgent(
			'agent documentolog vendor error',
			[documentologCreate(credentials.documentologRevoked)],
			steps(() => ({
				tool: 'Create_signing_session',
				arguments: documentologArguments(RECIPIENT),
			})),
			'Send the contract',
		);
		expect(execution.status).toBe('success');
		expect(lastResult(turns)).toMatch(/401|invalid api-key|unauthori[sz]ed/i);
		expect(await documentologDocs()).toHaveLength(before);
	});
});

/**
 * Send and Wait as a tool: the webhook answers at once, the agent's execution waits inside the
 * tool call, `sign` (the sandbox's signer action) resumes it, and the model receives the outcome.
 */
async function sendAndWaitThroughAgent(options: {
	name: string;
	tool: ToolSpec;
	arguments: Record<string, unknown>;
	sign: () => Promise<void>;
}) {
	const toolName = options.tool.name.replace(/[^a-zA-Z0-9_-]/g, '_');
	const modelId = model.script(steps(() => ({ tool: toolName, arguments: options.arguments })));
	const { workflow, url } = await agentWorkflow({
		name: options.name,
		modelId,
		modelCredential,
		tools: [options.tool],
		responseMode: 'onReceived',
	});
	expect((await callWebhook(url, { prompt: 'Send it and tell me when it is signed' })).status).toBe(
		200,
	);
	const waiting = await latestExecution(workflow.id, (status) => status === 'waiting');
	expect(waiting.status).toBe('waiting');
	// The model has asked once and not heard back yet.
	expect(model.turns(modelId)).toHaveLength(1);
	await options.sign();
	const done = await latestExecution(workflow.id, settled);
	expect(done.status).toBe('success');
	expect(done.id).toBe(waiting.id);
	// Resumed once: the model asked, then heard the outcome (Dokobit's last signer_signed, posted
	// together with signing_completed, does not resume a second time).
	const turns = model.turns(modelId);
	expect(turns).toHaveLength(2);
	const outcome = JSON.parse(lastResult(turns)) as Array<Record<string, unknown>>;
	const runs = await executionRuns(done.id);
	expect(runs.items('Agent')[0]?.json.output).toContain('outcome');
	return outcome[0];
}

describe('Send and Wait for Signature as an agent tool', () => {
	it('Dokobit: the execution waits in the tool call, the signature resumes it, the model gets the outcome', async () => {
		const name = `Agent wait ${randomUUID()}`;
		const outcome = await sendAndWaitThroughAgent({
			name: 'agent dokobit send and wait',
			tool: dokobitTool('Send and wait', { ...dokobitCreateFromAI, operation: 'createAndWait' }),
			arguments: dokobitArguments(name),
			sign: async () => {
				const [signing] = await dokobitSignings(name);
				await sandbox.control('dokobit', 'POST', `/__signings/${signing.token}/signers/ona/sign`);
			},
		});
		expect(outcome).toMatchObject({ outcome: 'completed', vendor: 'dokobit', verified: true });
		expect(await dokobitSignings(name)).toHaveLength(1);
	});

	it('OKdokument: the execution waits in the tool call, the signature resumes it, the model gets the outcome', async () => {
		const fileName = `Agent wait ${randomUUID()}.pdf`;
		const outcome = await sendAndWaitThroughAgent({
			name: 'agent okdokument send and wait',
			tool: okTool('Send and wait', { ...okCreateFields, operation: 'createAndWait' }),
			arguments: okArguments(fileName),
			sign: async () => {
				const request = (await okRequests()).at(-1)!;
				await sandbox.control('okdokument', 'POST', `/__signature-requests/${request.id}/submit`, {
					signerName: 'Ján Novák',
				});
			},
		});
		expect(outcome).toMatchObject({ outcome: 'signed', vendor: 'okdokument' });
		expect(await okCreates()).toHaveLength(1);
	});

	it('Documentolog: the execution waits in the tool call, the signature resumes it, the model gets the outcome', async () => {
		const outcome = await sendAndWaitThroughAgent({
			name: 'agent documentolog send and wait',
			tool: documentologTool('Send and wait', {
				...documentologCreateFields,
				operation: 'createAndWait',
			}),
			arguments: documentologArguments(RECIPIENT),
			sign: async () => {
				const doc = (await documentologDocs()).at(-1)!;
				await sandbox.control('documentolog', 'POST', `/__docs/${doc.docId}/sender-sign`, {
					signType: 'eds',
				});
				await sandbox.control(
					'documentolog',
					'POST',
					`/__docs/${doc.docId}/recipients/${RECIPIENT}/sign`,
					{ name: 'Aru Bek' },
				);
			},
		});
		expect(outcome).toMatchObject({ outcome: 'completed', vendor: 'documentolog' });
		expect(await documentologCreates()).toHaveLength(1);
	});
});

// ---------------------------------------------------------------- Human review

interface Mail {
	subject: string;
	to: string[];
	html: string;
}

/** The approval mail n8n's Send Email review sent, once the sandbox's SMTP server has it. */
async function reviewMail(subject: string): Promise<Mail> {
	const mails = await eventually(
		async () => await sandbox.control<Mail[]>('mail', 'GET', '/__mails'),
		(all) => all.some((mail) => mail.subject === subject),
	);
	const mail = mails.find((candidate) => candidate.subject === subject);
	if (!mail) throw new Error(`no review mail "${subject}"`);
	return mail;
}

/** n8n's Send Email node as the review in front of a tool, Approve and Decline buttons. */
const emailReview = (subject: string): ToolSpec => ({
	name: 'Approve the signing',
	type: EMAIL_REVIEW_TYPE,
	typeVersion: 2.1,
	parameters: {
		fromEmail: 'agent@example.com',
		toEmail: 'approver@example.com',
		subject,
		// n8n's default message prints the arguments as "[object Object]": name what is sent.
		message:
			'=The agent wants to send "{{ $tool.parameters.name }}" ({{ $tool.parameters.fileUrl }}) for signature to {{ JSON.stringify($tool.parameters.signers) }}.',
		approvalOptions: { values: { approvalType: 'double' } },
		options: { appendAttribution: false },
	},
	credentials: { smtp: credentials.smtp },
});

/**
 * The agent calls Create signing behind a review: the execution waits with nothing sent, the
 * approver answers from the mail, and the run ends. Returns what the model was offered and heard.
 */
async function reviewedCreate(name: string, approved: boolean) {
	const subject = `Approve: ${name}`;
	const modelId = model.script(
		steps(() => ({
			tool: 'Create_signing',
			// A reviewed tool takes its own arguments under toolParameters (n8n's gated schema).
			arguments: { toolParameters: dokobitArguments(name), hitlParameters: {} },
		})),
	);
	const { workflow, url } = await agentWorkflow({
		name: `agent reviewed create (${approved ? 'approved' : 'declined'})`,
		modelId,
		modelCredential,
		tools: [dokobitCreate(), dokobitStatus()],
		responseMode: 'onReceived',
		review: { node: emailReview(subject), gates: ['Create signing'] },
	});
	expect((await callWebhook(url, { prompt: 'Send the contract to Ona' })).status).toBe(200);
	const waiting = await latestExecution(workflow.id, (status) => status === 'waiting');
	expect(waiting.status).toBe('waiting');
	const mail = await reviewMail(subject);
	expect(mail.to).toEqual(['approver@example.com']);
	// The reviewer sees what would be sent; nothing has reached the vendor yet.
	expect(mail.html).toContain(name);
	expect(mail.html).toContain(dokobitArguments(name).signers[0].code);
	expect(await dokobitSignings(name)).toHaveLength(0);
	expect(await vendorRequests('dokobit', 'POST', /\/api\//)).toHaveLength(0);

	const link = approvalLink(mail.html, approved);
	expect((await clickAsPerson(link)).status).toBe(200);
	const done = await latestExecution(workflow.id, settled);
	expect({ id: done.id, status: done.status }).toEqual({ id: waiting.id, status: 'success' });
	// A second click (a forwarded mail, the back button) resumes nothing and sends nothing.
	await clickAsPerson(link);
	expect(await executions(workflow.id)).toHaveLength(1);
	return { turns: model.turns(modelId) };
}

describe('human review in front of a legally binding tool', () => {
	it('the package offers none of its own nodes as a review step (its Send and Wait sends a document)', async () => {
		const types = await rest<Array<{ name: string }>>('GET', '/types/nodes.json');
		const reviewTypes = types.map((type) => type.name).filter((name) => name.endsWith('HitlTool'));
		expect(reviewTypes.filter((name) => name.startsWith('n8n-nodes-esign.'))).toEqual([]);
	});

	it('approved: the create runs once, after the approval, and the model gets the signing', async () => {
		if (!(await hasHumanReview())) return; // this n8n has no human review of tool calls
		const name = `Reviewed contract ${randomUUID()}`;
		const { turns } = await reviewedCreate(name, true);
		const signings = await dokobitSignings(name);
		expect(signings).toHaveLength(1);
		expect(turns).toHaveLength(2);
		// The model saw the gated schema: the tool's own arguments under toolParameters.
		const offered = toolNamed(turns[0], 'Create_signing');
		expect(Object.keys(offered.parameters.properties ?? {}).sort()).toEqual([
			'hitlParameters',
			'toolParameters',
		]);
		expect(offered.description).toBe(
			packageToolDescription(new DokobitGateway(), 'signing', 'create'),
		);
		const [created] = JSON.parse(lastResult(turns)) as Array<Record<string, unknown>>;
		expect(created).toMatchObject({ token: signings[0].token, name });
		expect(await vendorRequests('dokobit', 'POST', /\/api\/signing\/create\.json$/)).toHaveLength(
			1,
		);
	});

	it('declined: nothing reaches the vendor, and the model hears that the call was rejected', async () => {
		if (!(await hasHumanReview())) return; // this n8n has no human review of tool calls
		const name = `Declined contract ${randomUUID()}`;
		const { turns } = await reviewedCreate(name, false);
		expect(await dokobitSignings(name)).toHaveLength(0);
		expect(await vendorRequests('dokobit', 'POST', /\/api\//)).toHaveLength(0);
		expect(turns).toHaveLength(2);
		expect(lastResult(turns)).toMatch(/rejected the tool call to Create signing/);
	});
});

describe('what reached the model', () => {
	it('holds no credential secret, trigger secret or signed resume URL in any request n8n sent', () => {
		expect(model.requests.length).toBeGreaterThan(10);
		const secrets = [DOKOBIT_TOKEN, OKDOKUMENT_KEY, DOCUMENTOLOG_KEY, 'revoked-'];
		for (const request of model.requests) {
			for (const secret of secrets) expect(request.body).not.toContain(secret);
			expect(request.body).not.toMatch(/signature=|esignProof|webhook-waiting/);
		}
	});
});
