/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// Every file in examples/ is imported into the real n8n as shipped (only hosts, webhook paths and
// credentials point at this run; the wait-limit runs also move the limit 40 s ahead) and run against
// the sandbox, playing the signer where one is needed; each test checks that the example's intended
// path ran, node by node.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
	type ExecutionSummary,
	type Workflow,
	activate,
	callWebhook,
	createCredential,
	createWorkflow,
	e2eInfo,
	executionById,
	executionRuns,
	executions,
	latestExecution,
	nodeOutput,
	postJson,
	rest,
	runManually,
	settled,
	sleep,
	waitForExecutions,
} from '../helpers/n8n';
import type { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { approvalLink, clickAsPerson, hasHumanReview } from '../helpers/agent';
import { callMcpTool, connectMcp } from '../helpers/mcp';
import { type ScriptedModel, startScriptedModel, toolNamed } from '../helpers/scripted-model';

jest.setTimeout(60_000);

/** The URLs the examples are written for (`./dev start`); the e2e run uses free ports. */
const START_URLS = {
	dokobit: 'http://127.0.0.1:4101',
	okdokument: 'http://127.0.0.1:4102',
	documentolog: 'http://127.0.0.1:4103',
	n8n: 'http://127.0.0.1:5678',
};
const KEYS = {
	dokobit: 'example-dokobit-token',
	okdokument: 'example-okdokument-key',
	documentolog: 'example-documentolog-key',
};
const CREDENTIALS: Record<string, { vendor: keyof typeof KEYS; data: Record<string, string> }> = {
	dokobitGatewayApi: {
		vendor: 'dokobit',
		data: { environment: 'custom', accessToken: KEYS.dokobit },
	},
	okDokumentApi: { vendor: 'okdokument', data: { environment: 'custom', apiKey: KEYS.okdokument } },
	documentologApi: { vendor: 'documentolog', data: { host: 'custom', apiKey: KEYS.documentolog } },
};
/** People the examples name as signers. */
const DOKOBIT_SIGNER = '50001018865';
const KZ_SENDER = '900101300017';
const KZ_RECIPIENT = '900101300811';
/** The nodes that run only when a send-and-wait example reaches its wait limit. */
const DOKOBIT_AT_THE_LIMIT = [
	'Check the signing at Dokobit',
	'Signed at Dokobit?',
	'Download the signed PDF',
];
const OKDOKUMENT_AT_THE_LIMIT = [
	'Check at OKdokument',
	'Signed at OKdokument?',
	'Download the signed PDF',
];

interface ExampleNode {
	name: string;
	type: string;
	webhookId?: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}
interface Example {
	name: string;
	nodes: ExampleNode[];
	connections: unknown;
}

const examplesDir = path.resolve(__dirname, '..', '..', 'examples');
const files = fs
	.readdirSync(examplesDir)
	.filter((file) => file.endsWith('.json'))
	.sort();
const texts = Object.fromEntries(
	files.map((file) => [file, fs.readFileSync(path.join(examplesDir, file), 'utf8')]),
);

/**
 * Webhook ids and Webhook-node paths get a suffix of this run, the same in every example (the web
 * form example points at the completed-download trigger), so they never clash with the other
 * suites, which import some of the same files into this n8n.
 */
const run = randomUUID().slice(0, 8);
const hookNames = [
	...new Set(
		Object.values(texts).flatMap((text) =>
			(JSON.parse(text) as Example).nodes.flatMap((node) =>
				[
					node.webhookId,
					node.type === 'n8n-nodes-base.webhook' ? node.parameters.path : undefined,
				].filter((name): name is string => typeof name === 'string' && name !== ''),
			),
		),
	),
].sort((a, b) => b.length - a.length);
const hookPattern = new RegExp(
	hookNames.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
	'g',
);

const sandbox = (vendor: keyof typeof KEYS) => e2eInfo().sandbox[vendor];
const credentials: Record<string, { id: string; name: string }> = {};
/** The Data Table the business-flow examples name by this placeholder id, once created. */
/** The Data Table the business-flow examples expect (shared with `./dev start`). */
const signingsTable = JSON.parse(
	fs.readFileSync(
		path.resolve(__dirname, '..', '..', 'scripts', 'lib', 'signings-table.json'),
		'utf8',
	),
) as { placeholder: string; columns: Array<{ name: string; type: string }> };
const TABLE_PLACEHOLDER = signingsTable.placeholder;
let tableId: string | undefined;

/** The example as this run imports it: hosts, webhook names and credentials adjusted. */
function localized(file: string): Example {
	let text = texts[file].replace(hookPattern, (name) => `${name}-${run}`);
	for (const [name, url] of Object.entries(START_URLS)) {
		const here = name === 'n8n' ? e2eInfo().baseUrl : sandbox(name as keyof typeof KEYS);
		text = text.split(url).join(here);
	}
	if (tableId) text = text.split(TABLE_PLACEHOLDER).join(tableId);
	const example = JSON.parse(text) as Example;
	for (const node of example.nodes) {
		for (const type of Object.keys(node.credentials ?? {}))
			node.credentials![type] = credentials[type];
	}
	return example;
}

interface Imported {
	workflow: Workflow;
	example: Example;
	node: (type: string) => ExampleNode;
}

async function importExample(file: string, adjust?: (example: Example) => void): Promise<Imported> {
	const example = localized(file);
	adjust?.(example);
	const workflow = await createWorkflow({
		name: `${example.name} (examples e2e)`,
		nodes: example.nodes,
		connections: example.connections,
	});
	const node = (type: string) => {
		const found = example.nodes.find((candidate) => candidate.type === type);
		if (!found) throw new Error(`${file} has no ${type} node`);
		return found;
	};
	return { workflow, example, node };
}

/** Every node of the example except sticky notes and those listed. */
const nodesExcept = (example: Example, ...skipped: string[]) =>
	example.nodes
		.filter((node) => node.type !== 'n8n-nodes-base.stickyNote' && !skipped.includes(node.name))
		.map((node) => node.name)
		.sort();

/** The production URL of a trigger node (`<webhookId>/webhook`), as n8n shows it. */
const triggerUrl = (node: ExampleNode) => `${e2eInfo().baseUrl}/webhook/${node.webhookId}/webhook`;

/** Activates and waits until the trigger's production URL is registered (no longer 404). */
async function activateTrigger(imported: Imported, url: string): Promise<void> {
	await activate(imported.workflow);
	const deadline = Date.now() + 20_000;
	while ((await postJson(url, {})).status === 404 && Date.now() < deadline) await sleep(250);
}

const activeExamples = new Map<string, Promise<Imported>>();
/** The example imported and activated once for this file; several tests use the same trigger. */
async function activeTrigger(file: string, triggerType: string): Promise<Imported> {
	if (!activeExamples.has(file)) {
		activeExamples.set(
			file,
			(async () => {
				const imported = await importExample(file);
				await activateTrigger(imported, triggerUrl(imported.node(triggerType)));
				return imported;
			})(),
		);
	}
	return await activeExamples.get(file)!;
}

/** Waits for `count` new executions after `before`, then checks no further one follows. */
async function exactlyNew(workflowId: string, before: number, count = 1) {
	const runs = await waitForExecutions(workflowId, before + count);
	await sleep(1500);
	const all = await executions(workflowId);
	expect(all).toHaveLength(before + count);
	return runs.slice(0, count).reverse();
}

/** Asserts the execution succeeded having run exactly `path`; returns its items per node. */
async function ranExactly(execution: ExecutionSummary, path: string[]) {
	// n8n 1.x can report a resumed execution finished a moment before its last nodes' data is
	// saved (seen once on 1.123 under load: the saved data was complete a moment later).
	const expected = [...path].sort().join('\n');
	const runs = await eventually(
		async () => await executionRuns(execution.id),
		(read) => [...read.ran].sort().join('\n') === expected,
		5_000,
	);
	expect({ status: execution.status, error: runs.error }).toEqual({ status: 'success' });
	expect([...runs.ran].sort()).toEqual([...path].sort());
	return runs.items;
}

/** The file an example wrote into n8n's files folder holds exactly `bytes`. */
function expectWritten(fileName: string, bytes: Buffer) {
	const written = fs.readFileSync(path.join(e2eInfo().userFolder, '.n8n-files', fileName));
	expect(written.subarray(0, 5).toString()).toBe('%PDF-');
	expect(written.equals(bytes)).toBe(true);
}

/** A Documentolog file the example wrote as `<documentId>-<file name>` (a PDF). */
function expectStored(item: {
	json: Record<string, unknown>;
	binary?: Record<string, { fileName?: string }>;
}) {
	const fileName = `${String(item.json.documentId)}-${String(item.binary?.signed.fileName)}`;
	expect(item.json.fileName).toBe(`.n8n-files/${fileName}`);
	const written = fs.readFileSync(path.join(e2eInfo().userFolder, '.n8n-files', fileName));
	expect(written.subarray(0, 5).toString()).toBe('%PDF-');
}

/** The first mail with this subject, once the sandbox's SMTP server has it. */
async function mailWithSubject(subject: string) {
	const list = await eventually(mails, (all) => all.some((mail) => mail.subject === subject));
	const mail = list.find((candidate) => candidate.subject === subject);
	if (!mail) throw new Error(`no mail "${subject}"`);
	return mail;
}

const fetchBytes = async (url: string, headers: Record<string, string> = {}) =>
	Buffer.from(await (await fetch(url, { headers })).arrayBuffer());

function expectPdf(
	item: { binary?: Record<string, { mimeType?: string; id?: string }> } | undefined,
	field: string,
) {
	expect(item?.binary?.[field]).toMatchObject({ mimeType: 'application/pdf' });
	expect(item?.binary?.[field].id).toMatch(/^filesystem-v2:/);
}

// ── vendor control ─────────────────────────────────────────────────────────────────────────────

async function call<T = Record<string, unknown>>(
	url: string,
	init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<T> {
	const response = await fetch(url, {
		method: init.method ?? 'POST',
		headers: { 'content-type': 'application/json', ...init.headers },
		body: init.body === undefined ? undefined : JSON.stringify(init.body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${url} → ${response.status}: ${text.slice(0, 300)}`);
	return (text ? JSON.parse(text) : {}) as T;
}

const dokobitSign = async (token: string, signer = DOKOBIT_SIGNER) =>
	await call(`${sandbox('dokobit')}/__signings/${token}/signers/${signer}/sign`);

const okdokumentAct = async (signatureRequestId: string, action: 'submit' | 'cancel' = 'submit') =>
	await call(`${sandbox('okdokument')}/__signature-requests/${signatureRequestId}/${action}`, {
		body: { signerName: 'Ján Novák' },
	});

/** A signature request made straight against the OKdokument sandbox. */
async function okdokumentRequest(callback?: string) {
	const pdf = await (await fetch(`${sandbox('okdokument')}/__files/sample.pdf`)).arrayBuffer();
	return await call<{ result: string; documentId: string }>(
		`${sandbox('okdokument')}/JSON/signatureRequest`,
		{
			headers: { 'x-api-key': KEYS.okdokument },
			body: {
				filedata: {
					filename: 'Example contract.pdf',
					content: Buffer.from(pdf).toString('base64'),
				},
				...(callback ? { sendInfoURL: callback } : {}),
			},
		},
	);
}

/** The Documentolog trigger's secret: an HMAC of its webhook id keyed by the API key. */
const documentologSecret = (webhookId: string) =>
	createHmac('sha256', KEYS.documentolog).update(`documentolog-trigger:${webhookId}`).digest('hex');

const documentologDoc = async (token: string) =>
	(
		await call<Array<{ docId: string; webhookUrl: string | null }>>(
			`${sandbox('documentolog')}/__docs?token=${encodeURIComponent(token)}`,
			{ method: 'GET' },
		)
	)[0];

/** A document made straight against the Documentolog sandbox, its events going to `webhookUrl`. */
async function documentologDocument(webhookUrl: string) {
	const created = await call<{ data: { access_token: string } }>(
		`${sandbox('documentolog')}/json/external/oauth/token`,
		{
			headers: { 'api-key': KEYS.documentolog },
			body: {
				aAttachments: [`${sandbox('documentolog')}/__files/contract.pdf`],
				sSetWebhookUrl: webhookUrl,
				sSender: KZ_SENDER,
				mAvailableSignatureMethods: ['eds'],
				iSendToRecipient: 1,
				mRecipient: [KZ_RECIPIENT],
				iRecipientSignatureRequired: 1,
				mAvailableSignatureMethodsForRecipient: ['eds'],
			},
		},
	);
	return await documentologDoc(created.data.access_token);
}

const documentologAct = async (docId: string, action: string, body: unknown = {}) =>
	await call(`${sandbox('documentolog')}/__docs/${docId}/${action}`, { body });

// ── the polling example waits for n8n's minute schedule: started first, checked last ───────────

let polling: Promise<{
	imported: Imported;
	execution: ExecutionSummary | undefined;
	signed: string;
	canceled: string;
}>;

async function runPollingExample() {
	const imported = await importExample('okdokument-polling-signed.json');
	const { workflow } = imported;
	await activate(workflow);
	// The poll n8n runs on activation only remembers what is already finished; wait for it.
	const deadline = Date.now() + 20_000;
	for (;;) {
		const { staticData } = await rest<{ staticData?: unknown }>(
			'GET',
			`/rest/workflows/${workflow.id}`,
		);
		if (JSON.stringify(staticData ?? {}).includes('"seen"')) break;
		if (Date.now() > deadline) throw new Error('the poll on activation remembered nothing');
		await sleep(250);
	}
	const signed = await okdokumentRequest();
	const canceled = await okdokumentRequest();
	await okdokumentAct(signed.result);
	await okdokumentAct(canceled.result, 'cancel');
	// The first scheduled poll comes within a minute (n8n picks a random second).
	const [execution] = await waitForExecutions(workflow.id, 1, 75_000);
	await rest('POST', `/rest/workflows/${workflow.id}/deactivate`);
	return { imported, execution, signed: signed.documentId, canceled: canceled.documentId };
}

// ── the wait-limit runs wait for n8n's wait tracker (once a minute): started first, checked last ─

/**
 * How far ahead of its start each wait-limit run sets its example's limit ("At Specified Time"):
 * time to play the signer before the limit. n8n's wait tracker picks up waits due within 70 s
 * once a minute, so the run resumes at most about a minute after it started.
 */
const LIMIT_AHEAD_MS = 40_000;

interface LimitRun {
	imported: Imported;
	id: string;
	/** The waiting node's output before the wait. */
	beforeWait: Record<string, unknown>;
	/** The limit, as the example was imported with it. */
	until: string;
	/** The vendor's call to the resume URL while the execution waited, as it was answered. */
	delivery?: { status?: number };
}

/** Imports the example with its wait limit moved near, runs it and returns it waiting. */
async function waitingForTheLimit(
	file: string,
	adjust?: (example: Example) => void,
): Promise<LimitRun> {
	const until = new Date(Date.now() + LIMIT_AHEAD_MS).toISOString();
	const imported = await importExample(file, (example) => {
		adjust?.(example);
		const limited = example.nodes.filter((node) => node.parameters.limitWaitTime);
		if (limited.length !== 1) throw new Error(`${file}: not one node with a wait limit`);
		limited[0].parameters.limitWaitTime = {
			values: { limitType: 'atSpecifiedTime', maxDateAndTime: until },
		};
	});
	const trigger = imported.node('n8n-nodes-base.manualTrigger');
	const id = await runManually(imported.workflow.id, trigger.name);
	const waiting = await executionById(id, (status) => status === 'waiting');
	if (waiting.status !== 'waiting') throw new Error(`${file}: ${waiting.status}, not waiting`);
	const waitNode = imported.example.nodes.find((node) => node.parameters.limitWaitTime)!;
	const beforeWait = (await nodeOutput(id, waitNode.name))!.json;
	return { imported, id, beforeWait, until };
}

/** The sandbox answers the next GET of `path` (a pattern) with `status`, once. */
const failNextRead = async (vendor: keyof typeof KEYS, path: string, status: number) =>
	await call(`${sandbox(vendor)}/__faults`, {
		body: { match: { method: 'GET', path, times: 1 }, action: { status } },
	});

/** The vendor's webhook call whose body `matches`, once n8n has answered it. */
async function answeredDelivery(
	vendor: keyof typeof KEYS,
	matches: (body: Record<string, unknown>) => boolean,
) {
	const read = async () =>
		(
			await call<Array<{ body: Record<string, unknown>; status?: number }>>(
				`${sandbox(vendor)}/__deliveries`,
				{ method: 'GET' },
			)
		).find((delivery) => matches(delivery.body) && delivery.status !== undefined);
	const delivery = await eventually(read, (found) => found !== undefined);
	if (!delivery) throw new Error(`no answered ${vendor} delivery`);
	return delivery;
}

/** Signed (or answered) at the vendor while the execution waited, which never heard of it. */
async function stillWaiting(run: LimitRun, delivery: { status?: number }): Promise<LimitRun> {
	const { status } = await executionById(run.id, () => true);
	if (status !== 'waiting' || Date.now() >= Date.parse(run.until))
		throw new Error(`the vendor acted too late: ${status} at ${new Date().toISOString()}`);
	return { ...run, delivery };
}

let limitRuns: ReturnType<typeof startLimitRuns>;

/**
 * One run per situation at the limit, all at once, so they share one wait-tracker round. A lost
 * callback is made at the sandbox: the node's check of the callback reads the document, and that
 * read fails once (404: the node answers 200 and keeps waiting, as for an unknown document; 500:
 * it answers 503, which OKdokument records as `errorsendinfo`).
 */
function startLimitRuns() {
	const runs = {
		dokobitSigned: (async () => {
			const run = await waitingForTheLimit('dokobit-send-and-wait.json');
			const token = String(run.beforeWait.token);
			await failNextRead('dokobit', `^/api/signing/${token}/status\\.json$`, 404);
			await dokobitSign(token);
			const completed = await answeredDelivery(
				'dokobit',
				(body) => body.token === token && body.action === 'signing_completed',
			);
			return await stillWaiting(run, completed);
		})(),
		dokobitUnsigned: waitingForTheLimit('dokobit-send-and-wait.json'),
		okdokumentSigned: (async () => {
			const run = await waitingForTheLimit('okdokument-send-and-wait.json');
			const documentId = String(run.beforeWait.documentId);
			await failNextRead('okdokument', `^/JSON/document/metadata/${documentId}$`, 404);
			await okdokumentAct(String(run.beforeWait.signatureRequestId));
			const callback = await answeredDelivery('okdokument', (body) => body.id === documentId);
			return await stillWaiting(run, callback);
		})(),
		linkCallbackFailed: (async () => {
			const run = await waitingForTheLimit('okdokument-link-by-email-then-wait.json', (example) => {
				const contract = example.nodes.find((node) => node.name === 'The contract')!;
				const { assignments } = contract.parameters.assignments as {
					assignments: Array<{ name: string; value: string }>;
				};
				assignments.find((assignment) => assignment.name === 'contractId')!.value = 'C-LINK-3';
			});
			const documentId = String(run.beforeWait.documentId);
			const created = await nodeOutput(run.id, 'Create the signature request');
			await failNextRead('okdokument', `^/JSON/document/metadata/${documentId}$`, 500);
			await okdokumentAct(String(created!.json.signatureRequestId));
			const callback = await answeredDelivery('okdokument', (body) => body.id === documentId);
			return await stillWaiting(run, callback);
		})(),
		documentologUnanswered: waitingForTheLimit('documentolog-send-and-wait.json'),
	};
	for (const run of Object.values(runs)) run.catch(() => undefined); // reported by its test
	return runs;
}

/** The run's execution once the limit has ended its wait and the follow-up has run. */
async function endedAtTheLimit(started: Promise<LimitRun>) {
	const run = await started;
	const margin = Math.max(0, Date.parse(run.until) - Date.now());
	const execution = await executionById(run.id, settled, margin + 100_000);
	return { run, execution };
}

beforeAll(async () => {
	for (const [type, spec] of Object.entries(CREDENTIALS)) {
		credentials[type] = await createCredential(`${type} (examples)`, type, {
			...spec.data,
			baseUrl: sandbox(spec.vendor),
		});
	}
	// Examples mail through the sandbox's SMTP server (the credential `./dev start` creates).
	const smtp = await call<{ host: string; port: number; user: string; password: string }>(
		`${e2eInfo().sandbox.mail}/__smtp`,
		{ method: 'GET' },
	);
	credentials.smtp = await createCredential('Sandbox mail (examples)', 'smtp', {
		host: smtp.host,
		port: smtp.port,
		secure: false,
		disableStartTls: true,
		user: smtp.user,
		password: smtp.password,
	});
	polling = runPollingExample();
	polling.catch(() => undefined); // reported by its test
	limitRuns = startLimitRuns();
});

const covered = new Set<string>();
/** A test of one example file; a final check makes sure every file has one. */
function example(file: string, title: string, test: () => Promise<void>, timeout?: number) {
	covered.add(file);
	it(`${file}: ${title}`, test, timeout);
}

describe('example workflows', () => {
	it('are all valid workflows with a name, nodes and connections', () => {
		expect(files.length).toBeGreaterThan(0);
		for (const file of files) {
			const parsed = JSON.parse(texts[file]) as Example;
			expect({ file, name: typeof parsed.name }).toEqual({ file, name: 'string' });
			expect(Array.isArray(parsed.nodes) && parsed.nodes.length > 1).toBe(true);
		}
	});

	it('have no placeholder (No Operation) and no Code node: every step is a real n8n node', () => {
		const glue = [
			'n8n-nodes-base.noOp',
			'n8n-nodes-base.code',
			'n8n-nodes-base.function',
			'n8n-nodes-base.functionItem',
		];
		const found = files.flatMap((file) =>
			(JSON.parse(texts[file]) as Example).nodes
				.filter((node) => glue.includes(node.type))
				.map((node) => `${file}: ${node.name} (${node.type})`),
		);
		expect(found).toEqual([]);
	});

	describe('manual examples: Execute workflow runs every node', () => {
		const manual = async (file: string) => {
			const imported = await importExample(file);
			const trigger = imported.node('n8n-nodes-base.manualTrigger');
			const id = await runManually(imported.workflow.id, trigger.name);
			return await ranExactly(await executionById(id, settled), nodesExcept(imported.example));
		};

		example(
			'dokobit-upload-create-get-urls.json',
			'lists the signing URL of each signer',
			async () => {
				const items = await manual('dokobit-upload-create-get-urls.json');
				const [created] = items('Upload and create signing');
				const signers = created.json.signers as Array<{ signingUrl: string }>;
				expect(signers.length).toBeGreaterThan(0);
				for (const signer of signers)
					expect(signer.signingUrl).toContain(`${sandbox('dokobit')}/signing/`);
			},
		);

		example('dokobit-add-signer.json', 'the signing ends with two signers', async () => {
			const items = await manual('dokobit-add-signer.json');
			const [created] = items('Create signing');
			const signing = await call<{ signers: Array<{ id: string }> }>(
				`${sandbox('dokobit')}/__signings/${String(created.json.token)}`,
				{ method: 'GET' },
			);
			expect(signing.signers.map((signer) => signer.id)).toEqual([DOKOBIT_SIGNER, '60001019906']);
		});

		example('dokobit-batch.json', 'one batch signing URL for both signings', async () => {
			const items = await manual('dokobit-batch.json');
			const [batch] = items('Create batch');
			expect(JSON.stringify(batch.json)).toContain(`${sandbox('dokobit')}/signing/batch/`);
		});

		example(
			'okdokument-send-pdf-email-otp.json',
			'sends the request with a signing URL',
			async () => {
				const items = await manual('okdokument-send-pdf-email-otp.json');
				const [sent] = items('Send for signature');
				expect(sent.json.signingUrl).toBe(
					`${sandbox('okdokument')}/openDocument/${String(sent.json.signatureRequestId)}`,
				);
			},
		);
	});

	describe('send-and-wait examples: waits, the signer signs, the signed branch runs', () => {
		/** Starts the example like the editor does and returns the waiting execution. */
		const startWaiting = async (file: string) => {
			const imported = await importExample(file);
			const trigger = imported.node('n8n-nodes-base.manualTrigger');
			const id = await runManually(imported.workflow.id, trigger.name);
			const waiting = await executionById(id, (status) => status === 'waiting');
			expect(waiting.status).toBe('waiting');
			const beforeWait = await nodeOutput(id, 'Send and wait for signature');
			return { imported, id, beforeWait: beforeWait!.json };
		};
		const finished = async (id: string) => await executionById(id, settled);

		example('dokobit-send-and-wait.json', 'resumes on completion with the signed PDF', async () => {
			const { imported, id, beforeWait } = await startWaiting('dokobit-send-and-wait.json');
			await dokobitSign(String(beforeWait.token));
			const items = await ranExactly(
				await finished(id),
				nodesExcept(
					imported.example,
					...DOKOBIT_AT_THE_LIMIT,
					'Follow up (no answer in 7 days)',
					'Follow up (signing failed)',
				),
			);
			const [archived] = items('Archive the signed PDF');
			expect(archived.json).toMatchObject({ outcome: 'completed', documentId: beforeWait.token });
			expectPdf(archived, 'signed');
			expectWritten(
				`${String(beforeWait.token)}-signed.pdf`,
				await fetchBytes(
					`${sandbox('dokobit')}/api/signing/${String(beforeWait.token)}/download?access_token=${KEYS.dokobit}`,
				),
			);
		});

		example(
			'okdokument-send-and-wait.json',
			'resumes when signed, with the signed PDF',
			async () => {
				const { imported, id, beforeWait } = await startWaiting('okdokument-send-and-wait.json');
				await okdokumentAct(String(beforeWait.signatureRequestId));
				const items = await ranExactly(
					await finished(id),
					nodesExcept(imported.example, ...OKDOKUMENT_AT_THE_LIMIT, 'Follow up (not signed)'),
				);
				const [archived] = items('Archive the signed PDF');
				expect(archived.json).toMatchObject({
					outcome: 'signed',
					documentId: beforeWait.documentId,
				});
				expectPdf(archived, 'signed');
				expectWritten(
					`${String(beforeWait.documentId)}-signed.pdf`,
					await fetchBytes(
						`${sandbox('okdokument')}/JSON/document/${String(beforeWait.documentId)}`,
						{
							'x-api-key': KEYS.okdokument,
						},
					),
				);
			},
		);

		example(
			'documentolog-send-and-wait.json',
			'the sender, then the recipient signs: resumes completed with the files',
			async () => {
				const { imported, id, beforeWait } = await startWaiting('documentolog-send-and-wait.json');
				const doc = await documentologDoc(String(beforeWait.accessToken));
				await documentologAct(doc.docId, 'sender-sign', { signType: 'eds' });
				await sleep(500);
				expect((await executionById(id, () => true)).status).toBe('waiting');
				await documentologAct(doc.docId, `recipients/${KZ_RECIPIENT}/sign`, { name: 'Aru Bek' });
				const items = await ranExactly(
					await finished(id),
					nodesExcept(
						imported.example,
						'Tell the sales team (declined)',
						'Follow up (no answer in 30 days)',
					),
				);
				const [stored] = items('Store the signed files');
				expect(stored.json).toMatchObject({ outcome: 'completed', documentId: doc.docId });
				expectPdf(stored, 'signed');
				expectStored(stored);
			},
		);
	});

	describe('trigger examples: the vendor calls the production URL, one execution runs the path', () => {
		example(
			'dokobit-on-completed-download.json',
			'runs once on completion with the signed PDF',
			async () => {
				const imported = await importExample('dokobit-on-completed-download.json');
				const url = triggerUrl(imported.node('n8n-nodes-esign.dokobitGatewayTrigger'));
				await activateTrigger(imported, url);
				const before = (await executions(imported.workflow.id)).length;

				const auth = `?access_token=${KEYS.dokobit}`;
				const pdf = Buffer.from(
					await (await fetch(`${sandbox('dokobit')}/__files/sample.pdf`)).arrayBuffer(),
				);
				const file = await call(`${sandbox('dokobit')}/api/file/upload.json${auth}`, {
					body: {
						file: {
							name: 'contract.pdf',
							content: pdf.toString('base64'),
							digest: createHash('sha256').update(pdf).digest('hex'),
						},
					},
				});
				const signing = await call(`${sandbox('dokobit')}/api/signing/create.json${auth}`, {
					body: {
						type: 'pdf',
						name: 'Example contract',
						files: [{ token: file.token }],
						postback_url: url,
						signers: [
							{
								id: DOKOBIT_SIGNER,
								name: 'Jonas',
								surname: 'Jonaitis',
								signing_purpose: 'signature',
							},
						],
					},
				});
				await dokobitSign(String(signing.token));

				// signer_signed is not among the trigger's events: only signing_completed starts a run.
				const [execution] = await exactlyNew(imported.workflow.id, before);
				const items = await ranExactly(execution, nodesExcept(imported.example));
				const [stored] = items('Store the signed PDF');
				expect(stored.json).toMatchObject({
					event: 'document.completed',
					documentId: signing.token,
				});
				expectPdf(stored, 'signed');
				expectWritten(
					`${String(signing.token)}-signed.pdf`,
					await fetchBytes(
						`${sandbox('dokobit')}/api/signing/${String(signing.token)}/download${auth}`,
					),
				);
			},
		);

		example(
			'okdokument-on-signed-download-store.json',
			'runs once when signed and writes the signed PDF into n8n’s files folder',
			async () => {
				// As shipped: a relative path, which n8n resolves in its working folder (the user folder).
				const filesDir = path.join(e2eInfo().userFolder, '.n8n-files');
				const imported = await importExample('okdokument-on-signed-download-store.json');
				let written: string | undefined;
				try {
					const url = triggerUrl(imported.node('n8n-nodes-esign.okDokumentTrigger'));
					await activateTrigger(imported, url);
					const before = (await executions(imported.workflow.id)).length;
					const request = await okdokumentRequest(url);
					await okdokumentAct(request.result);

					const [execution] = await exactlyNew(imported.workflow.id, before);
					const items = await ranExactly(execution, nodesExcept(imported.example));
					const [stored] = items('Store the file');
					written = path.resolve(e2eInfo().userFolder, String(stored.json.fileName));
					expect(written).toBe(path.join(filesDir, `${request.documentId}-Example contract.pdf`));
					expect(fs.readFileSync(written).subarray(0, 5).toString()).toBe('%PDF-');
				} finally {
					if (written) fs.rmSync(written, { force: true });
				}
			},
		);

		example(
			'okdokument-two-round-signing.json',
			'the POST starts round 1; its signature starts round 2; the second one downloads',
			async () => {
				const imported = await importExample('okdokument-two-round-signing.json');
				const start = imported.example.nodes.find(
					(node) => node.type === 'n8n-nodes-base.webhook',
				)!;
				const trigger = imported.node('n8n-nodes-esign.okDokumentTrigger');
				await activateTrigger(imported, triggerUrl(trigger));
				const started = await callWebhook(
					`${e2eInfo().baseUrl}/webhook/${String(start.parameters.path)}`,
					{},
				);
				expect(started.status).toBe(200);

				const ours = async () =>
					(
						await call<
							Array<{ id: string; documentId: string; round: number; sendInfoURL?: string }>
						>(`${sandbox('okdokument')}/__signature-requests`, { method: 'GET' })
					).filter((request) => request.sendInfoURL?.startsWith(triggerUrl(trigger)));
				const rounds = async (count: number) => {
					const deadline = Date.now() + 20_000;
					let list = await ours();
					while (list.length < count && Date.now() < deadline) {
						await sleep(200);
						list = await ours();
					}
					return list;
				};
				const [round1] = await rounds(1);
				expect(round1).toMatchObject({ round: 1 });
				await okdokumentAct(round1.id);
				const round2 = (await rounds(2)).find((request) => request.round === 2)!;
				expect(round2).toMatchObject({ documentId: round1.documentId });
				// People sign rounds seconds apart; OKdokument's modification times (part of the trigger's
				// round key) have one-second resolution.
				await call(`${sandbox('okdokument')}/__clock`, { body: { advanceMs: 5000 } });
				await okdokumentAct(round2.id);

				const [startRun, round1Run, round2Run] = await exactlyNew(imported.workflow.id, 0, 3);
				await ranExactly(startRun, [start.name, 'Round 1: employee signs']);
				await ranExactly(round1Run, [trigger.name, 'After round 1?', 'Round 2: employer signs']);
				const items = await ranExactly(round2Run, [
					trigger.name,
					'After round 1?',
					'Both signed: download',
				]);
				const [downloaded] = items('Both signed: download');
				expect(downloaded.json).toMatchObject({ documentId: round1.documentId, state: 'signed' });
				expectPdf(downloaded, 'data');
			},
		);

		example(
			'documentolog-completed-download.json',
			'runs once on completion and downloads the files with EDS',
			async () => {
				const imported = await activeTrigger(
					'documentolog-completed-download.json',
					'n8n-nodes-esign.documentologTrigger',
				);
				const trigger = imported.node('n8n-nodes-esign.documentologTrigger');
				const url = triggerUrl(trigger);
				const before = (await executions(imported.workflow.id)).length;
				const doc = await documentologDocument(
					`${url}?secret=${documentologSecret(trigger.webhookId!)}`,
				);
				await documentologAct(doc.docId, 'sender-sign');
				await documentologAct(doc.docId, `recipients/${KZ_RECIPIENT}/sign`, { name: 'Aru Bek' });

				// document_sent and signer_signed are not among its events: one run, on completion.
				const [execution] = await exactlyNew(imported.workflow.id, before);
				const items = await ranExactly(execution, nodesExcept(imported.example));
				const [stored] = items('Store the signed files');
				expect(stored.json).toMatchObject({ documentId: doc.docId, kind: 'signed' });
				expectPdf(stored, 'signed');
				expectStored(stored);
			},
		);

		example(
			'documentolog-declined-notify.json',
			'runs once on a decline and names who declined',
			async () => {
				const imported = await importExample('documentolog-declined-notify.json');
				const trigger = imported.node('n8n-nodes-esign.documentologTrigger');
				const url = triggerUrl(trigger);
				await activateTrigger(imported, url);
				const before = (await executions(imported.workflow.id)).length;
				const doc = await documentologDocument(
					`${url}?secret=${documentologSecret(trigger.webhookId!)}`,
				);
				await documentologAct(doc.docId, 'sender-sign');
				await documentologAct(doc.docId, `recipients/${KZ_RECIPIENT}/decline`, { name: 'Aru Bek' });

				const [execution] = await exactlyNew(imported.workflow.id, before);
				const items = await ranExactly(execution, nodesExcept(imported.example));
				expect(items('Notify the team by e-mail')).toHaveLength(1);
				const notification = await mailWithSubject(`Document ${doc.docId} was declined`);
				expect(notification.to).toEqual(['sales@example.com']);
				expect(notification.text).toContain(`Aru Bek (${KZ_RECIPIENT}) pressed Reject`);
			},
		);

		example(
			'documentolog-web-form-signing.json',
			'answers the form with the signing iframe; signing reaches the completed-download example',
			async () => {
				const completed = await activeTrigger(
					'documentolog-completed-download.json',
					'n8n-nodes-esign.documentologTrigger',
				);
				const trigger = completed.node('n8n-nodes-esign.documentologTrigger');
				const before = (await executions(completed.workflow.id)).length;
				const form = await importExample('documentolog-web-form-signing.json');
				await activate(form.workflow);
				const webhook = form.node('n8n-nodes-base.webhook');

				// The form's production URL registers asynchronously after activation.
				const formUrl = `${e2eInfo().baseUrl}/webhook/${String(webhook.parameters.path)}`;
				const submit = async () =>
					await postJson(formUrl, { recipientIin: KZ_RECIPIENT, orderId: `order-${run}` });
				const deadline = Date.now() + 20_000;
				let response = await submit();
				while (response.status === 404 && Date.now() < deadline) {
					await sleep(250);
					response = await submit();
				}
				expect(response.status).toBe(200);
				expect(response.headers.get('content-type')).toContain('text/html');
				const html = await response.text();
				const src = /<iframe src="([^"]+)"/.exec(html)?.[1].replace(/&amp;/g, '&');
				expect(src).toContain(`${sandbox('documentolog')}/external/sign/embedded?sParams=`);
				const [formRun] = await waitForExecutions(form.workflow.id, 1);
				await ranExactly(formRun, nodesExcept(form.example));

				// The session's webhook is the trigger's URL with the order as reference and the secret.
				const doc = await documentologDoc(new URL(src!).searchParams.get('sParams')!);
				const hook = new URL(doc.webhookUrl!);
				expect(`${hook.origin}${hook.pathname}`).toBe(triggerUrl(trigger));
				expect(hook.searchParams.get('secret')).toBe(documentologSecret(trigger.webhookId!));
				await documentologAct(doc.docId, 'sender-sign');
				await documentologAct(doc.docId, `recipients/${KZ_RECIPIENT}/sign`, { name: 'Aru Bek' });
				const [execution] = await exactlyNew(completed.workflow.id, before);
				const items = await ranExactly(execution, nodesExcept(completed.example));
				expect(items('Document completed')[0].json).toMatchObject({
					documentId: doc.docId,
					correlationId: `order-${run}`,
				});
				expectPdf(items('Store the signed files')[0], 'signed');
			},
		);

		example(
			'okdokument-polling-signed.json',
			'the next scheduled poll reports the signed and the canceled document once, each on its branch',
			async () => {
				const { imported, execution, signed, canceled } = await polling;
				expect(execution).toBeDefined();
				// Deactivated after that poll: it is the only execution.
				expect(await executions(imported.workflow.id)).toHaveLength(1);
				const items = await ranExactly(execution!, nodesExcept(imported.example));
				const downloaded = items('Download signed PDF').find(
					(item) => item.json.documentId === signed,
				);
				expect(downloaded?.json.state).toBe('signed');
				expectPdf(downloaded, 'data');
				expect(items('Signed?').map((item) => item.json.documentId)).toContain(signed);
				// The canceled document took the false branch and was deleted.
				const documents = await call<Array<{ id: string; deleted: boolean }>>(
					`${sandbox('okdokument')}/__documents`,
					{ method: 'GET' },
				);
				expect(documents.find((doc) => doc.id === canceled)?.deleted).toBe(true);
				expect(documents.find((doc) => doc.id === signed)?.deleted).toBe(false);
			},
			120_000,
		);
	});

	describe('business flows: scheduled batch, signing link by e-mail, completion filed and mailed', () => {
		businessFlows();
	});

	describe('send-and-wait examples at the wait limit: the next nodes read the document at the vendor', () => {
		/** The item the waiting node passed on at the limit: the timeout item, nothing else. */
		const timeoutItem = (
			items: (node: string) => Array<{ json: Record<string, unknown> }>,
			run: LimitRun,
			waitNode = 'Send and wait for signature',
		) => {
			const passed = items(waitNode);
			expect(passed).toHaveLength(1);
			expect(passed[0].json).toMatchObject({ outcome: 'timeout', waitedUntil: run.until });
			return passed[0].json;
		};

		example(
			'dokobit-send-and-wait.json',
			'signed at Dokobit, its postback lost: at the limit Get Status finds it completed, the signed PDF is downloaded and archived, no mail',
			async () => {
				const { run, execution } = await endedAtTheLimit(limitRuns.dokobitSigned);
				// The node acknowledged the completion postback it could not verify and kept waiting.
				expect(run.delivery?.status).toBe(200);
				const items = await ranExactly(
					execution,
					nodesExcept(
						run.imported.example,
						'Follow up (no answer in 7 days)',
						'Follow up (signing failed)',
					),
				);
				const token = String(run.beforeWait.token);
				const passed = timeoutItem(items, run);
				expect(passed.token).toBe(token);
				expect((passed.signers as Array<{ signingUrl: string }>)[0].signingUrl).toContain(
					`${sandbox('dokobit')}/signing/`,
				);
				expect(items('Check the signing at Dokobit')[0].json).toMatchObject({
					token,
					status: 'completed',
				});
				expectPdf(items('Download the signed PDF')[0], 'signed');
				expectWritten(
					`${token}-signed.pdf`,
					await fetchBytes(
						`${sandbox('dokobit')}/api/signing/${token}/download?access_token=${KEYS.dokobit}`,
					),
				);
			},
			180_000,
		);

		example(
			'dokobit-send-and-wait.json',
			'nobody signed: at the limit Get Status finds it pending and the not-signed mail says so',
			async () => {
				const { run, execution } = await endedAtTheLimit(limitRuns.dokobitUnsigned);
				const items = await ranExactly(
					execution,
					nodesExcept(
						run.imported.example,
						'Download the signed PDF',
						'Archive the signed PDF',
						'Follow up (signing failed)',
					),
				);
				timeoutItem(items, run);
				expect(items('Check the signing at Dokobit')[0].json.status).toBe('pending');
				const mail = await mailWithSubject('Not signed: Employment contract for Jonas Jonaitis');
				expect(mail.to).toEqual(['contracts@example.com']);
				expect(mail.text).toContain(
					'not signed: no answer within 7 days, and Dokobit reports the signing pending (0 of 1 signers signed).',
				);
			},
			180_000,
		);

		example(
			'okdokument-send-and-wait.json',
			'signed at OKdokument, its callback lost: at the limit Get finds it signed, the signed PDF is downloaded and archived, no mail',
			async () => {
				const { run, execution } = await endedAtTheLimit(limitRuns.okdokumentSigned);
				expect(run.delivery?.status).toBe(200);
				const items = await ranExactly(
					execution,
					nodesExcept(run.imported.example, 'Follow up (not signed)'),
				);
				const documentId = String(run.beforeWait.documentId);
				expect(timeoutItem(items, run)).toMatchObject({
					documentId,
					signatureRequestId: run.beforeWait.signatureRequestId,
				});
				expect(items('Check at OKdokument')[0].json).toMatchObject({
					id: documentId,
					state: 'signed',
				});
				expectPdf(items('Download the signed PDF')[0], 'signed');
				expectWritten(
					`${documentId}-signed.pdf`,
					await fetchBytes(`${sandbox('okdokument')}/JSON/document/${documentId}`, {
						'x-api-key': KEYS.okdokument,
					}),
				);
			},
			180_000,
		);

		example(
			'okdokument-link-by-email-then-wait.json',
			'signed, but the callback failed (errorsendinfo): at the limit Get finds errorsendinfo and the team is asked to check the document',
			async () => {
				const { run, execution } = await endedAtTheLimit(limitRuns.linkCallbackFailed);
				// n8n answered 503 (the state could not be read), so OKdokument marked the document.
				expect(run.delivery?.status).toBe(503);
				const items = await ranExactly(
					execution,
					nodesExcept(
						run.imported.example,
						'Download the signed PDF',
						'Write it to the files folder',
						'E-mail the signed copy',
					),
				);
				const documentId = String(run.beforeWait.documentId);
				expect(timeoutItem(items, run, 'Wait for signature').documentId).toBe(documentId);
				expect(items('Check at OKdokument')[0].json.state).toBe('errorsendinfo');
				const mail = await mailWithSubject('Check in OKdokument: contract C-LINK-3');
				expect(mail.to).toEqual(['contracts@example.com']);
				expect(mail.text).toContain(
					`OKdokument could not deliver the result of contract C-LINK-3 (Mária Kováčová <maria.kovacova@example.com>)`,
				);
				expect(mail.text).toContain(`Open document ${documentId} in OKdokument`);
				expect(
					fs.existsSync(path.join(e2eInfo().userFolder, '.n8n-files', 'C-LINK-3-signed.pdf')),
				).toBe(false);
			},
			180_000,
		);

		example(
			'documentolog-send-and-wait.json',
			'no answer: at the limit the follow-up mail names the document to check in Documentolog',
			async () => {
				const { run, execution } = await endedAtTheLimit(limitRuns.documentologUnanswered);
				const items = await ranExactly(
					execution,
					nodesExcept(
						run.imported.example,
						'Store the signed files',
						'Tell the sales team (declined)',
					),
				);
				const passed = timeoutItem(items, run);
				expect(passed).toMatchObject({
					accessToken: run.beforeWait.accessToken,
					correlationId: run.beforeWait.correlationId,
					embedUrl: run.beforeWait.embedUrl,
				});
				const mail = await mailWithSubject(
					`No answer in 30 days: contract.pdf sent to ${KZ_RECIPIENT}`,
				);
				expect(mail.to).toEqual(['sales@example.com']);
				expect(mail.text).toContain(
					`for the document contract.pdf that ${KZ_SENDER} sent to ${KZ_RECIPIENT} (reference ${String(run.beforeWait.correlationId)})`,
				);
				expect(mail.text).toContain(`the wait ended ${run.until}`);
			},
			180_000,
		);
	});

	it('every file in examples/ has a test here', () => {
		expect([...covered].sort()).toEqual(files);
	});
});

// ── business flows: Data Table, files folder and mail (the sandbox's SMTP server) ──────────────

interface SigningRow {
	contractId: string;
	signer: string;
	email: string;
	documentId: string | null;
	signatureRequestId: string | null;
	signingUrl: string | null;
	status: string;
	error: string | null;
	sentAt: string | null;
}
interface Mail {
	from: string[];
	to: string[];
	subject: string;
	text: string;
	html: string;
	attachments: Array<{ filename: string; contentType: string; sha256: string; url: string }>;
}

const mailbox = () => e2eInfo().sandbox.mail;
const mails = async () => await call<Mail[]>(`${mailbox()}/__mails`, { method: 'GET' });
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Polls until `accept` holds for what `read` returns (or the deadline), then returns it. */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, ms = 30_000) {
	const deadline = Date.now() + ms;
	let value = await read();
	while (!accept(value) && Date.now() < deadline) {
		await sleep(300);
		value = await read();
	}
	return value;
}

/** The node types this n8n lists: a flow whose core nodes are missing is skipped, not failed. */
async function nodeTypes(): Promise<Set<string>> {
	const response = await fetch(`${e2eInfo().baseUrl}/types/nodes.json`, {
		headers: { cookie: e2eInfo().cookie },
	});
	const types = (await response.json()) as Array<{ name: string }>;
	return new Set(types.map((type) => type.name));
}

let projectId: string;
async function tableRows(): Promise<SigningRow[]> {
	const rows = await rest<{ data: SigningRow[] }>(
		'GET',
		`/rest/projects/${projectId}/data-tables/${tableId}/rows?take=1000`,
	);
	return rows.data;
}
const rowOf = (rows: SigningRow[], contractId: string) =>
	rows.find((row) => row.contractId === contractId);

/** Activates a scheduled example and deactivates it as soon as its first run starts. */
async function firstScheduledRun(imported: Imported): Promise<ExecutionSummary> {
	await activate(imported.workflow);
	const started = await eventually(
		async () => await executions(imported.workflow.id),
		(list) => list.length > 0,
		75_000,
	);
	await rest('POST', `/rest/workflows/${imported.workflow.id}/deactivate`);
	expect(started).toHaveLength(1);
	return await executionById(started[0].id, settled, 45_000);
}

/** The example with its schedule replaced by every `seconds` seconds (cron with seconds). */
const everySeconds = (seconds: number) => (example: Example) => {
	const trigger = example.nodes.find((node) => node.type === 'n8n-nodes-base.scheduleTrigger')!;
	trigger.parameters.rule = { interval: [{ field: 'seconds', secondsInterval: seconds }] };
};

function businessFlows() {
	const required = [
		'n8n-nodes-base.dataTable',
		'n8n-nodes-base.emailSend',
		'n8n-nodes-base.scheduleTrigger',
		'n8n-nodes-base.readWriteFile',
		'n8n-nodes-base.extractFromFile',
	];
	let missing: string[] = [];
	const filesDir = () => path.join(e2eInfo().userFolder, '.n8n-files');

	beforeAll(async () => {
		const types = await nodeTypes();
		missing = required.filter((type) => !types.has(type));
		if (missing.length) return;
		projectId = (await rest<{ id: string }>('GET', '/rest/projects/personal')).id;
		const table = await rest<{ id: string }>('POST', `/rest/projects/${projectId}/data-tables`, {
			name: `E-signatures ${run}`,
			columns: signingsTable.columns,
		});
		tableId = table.id;
	});

	/** A test of a flow that needs core nodes this n8n might not have. */
	const flow = (files: string[], title: string, test: () => Promise<void>, timeout?: number) => {
		for (const file of files) covered.add(file);
		it(
			`${files.join(' + ')}: ${title}`,
			async () => {
				if (missing.length) {
					process.stderr.write(
						`skipped on n8n ${e2eInfo().n8nVersion}: no ${missing.join(', ')}\n`,
					);
					return;
				}
				await test();
			},
			timeout,
		);
	};

	flow(
		['okdokument-scheduled-batch-send.json', 'okdokument-signed-file-and-mail.json'],
		'the schedule sends the CSV, records sent and rejected rows; signed rows are filed and mailed, canceled ones notified',
		async () => {
			// The CSV as shipped, its document URLs pointing at this run's sandbox.
			const csv = fs
				.readFileSync(path.join(examplesDir, 'contracts.csv'), 'utf8')
				.split(START_URLS.okdokument)
				.join(sandbox('okdokument'));
			fs.writeFileSync(path.join(filesDir(), 'contracts.csv'), csv);
			const completion = await importExample('okdokument-signed-file-and-mail.json');
			await activateTrigger(
				completion,
				triggerUrl(completion.node('n8n-nodes-esign.okDokumentTrigger')),
			);
			const batch = await importExample('okdokument-scheduled-batch-send.json', everySeconds(10));

			const execution = await firstScheduledRun(batch);
			const items = await ranExactly(execution, nodesExcept(batch.example));
			expect(items('Record as sent')).toHaveLength(2);
			const rows = await tableRows();
			const [first, second, bad] = ['C-2026-001', 'C-2026-002', 'C-2026-003'].map((id) =>
				rowOf(rows, id),
			);
			expect(first).toMatchObject({
				signer: 'Ján Novák',
				email: 'jan.novak@example.com',
				status: 'sent',
				error: null,
			});
			expect(first?.signingUrl).toBe(
				`${sandbox('okdokument')}/openDocument/${first?.signatureRequestId}`,
			);
			expect(first?.sentAt).toEqual(expect.any(String));
			expect(second).toMatchObject({ status: 'sent', email: 'eva.horvathova@example.com' });
			expect(bad).toMatchObject({ status: 'rejected', documentId: null, signingUrl: null });
			// The wording README's walkthrough quotes: the item as n8n numbers it, the field as labelled.
			expect(bad?.error).toBe(
				'Item 2: Signing Rules › Signer E-Mail "peter.kovac(at)example.com" is not an e-mail address',
			);
			// Each signing request went out once, with the trigger's URL as its callback.
			const requests = await call<Array<{ id: string; sendInfoURL?: string }>>(
				`${sandbox('okdokument')}/__signature-requests`,
				{ method: 'GET' },
			);
			for (const row of [first!, second!])
				expect(requests.find((request) => request.id === row.signatureRequestId)?.sendInfoURL).toBe(
					triggerUrl(completion.node('n8n-nodes-esign.okDokumentTrigger')),
				);

			// The signers act: the first signs, the second cancels.
			await okdokumentAct(first!.signatureRequestId!);
			await okdokumentAct(second!.signatureRequestId!, 'cancel');
			const runs = await exactlyNew(completion.workflow.id, 0, 2);
			for (const run of runs) {
				const { error } = await executionRuns(run.id);
				expect({ status: run.status, error }).toEqual({ status: 'success' });
			}
			const after = await tableRows();
			expect(rowOf(after, 'C-2026-001')?.status).toBe('signed');
			expect(rowOf(after, 'C-2026-002')?.status).toBe('declined');
			expect(rowOf(after, 'C-2026-003')?.status).toBe('rejected');

			// The signed PDF, as the sandbox serves it, is in the files folder and in the signer's mail.
			const signed = Buffer.from(
				await (
					await fetch(`${sandbox('okdokument')}/JSON/document/${first!.documentId}`, {
						headers: { 'x-api-key': KEYS.okdokument },
					})
				).arrayBuffer(),
			);
			expect(signed.subarray(0, 5).toString()).toBe('%PDF-');
			const written = path.join(filesDir(), 'C-2026-001-signed.pdf');
			expect(sha256(fs.readFileSync(written))).toBe(sha256(signed));
			// Other suites mail through the same server at the same time: mails are found by subject.
			const copy = await mailWithSubject('Signed: contract C-2026-001');
			expect(copy.to).toEqual(['jan.novak@example.com']);
			expect(copy?.text).toContain('Dear Ján Novák');
			expect(copy?.attachments).toHaveLength(1);
			expect(copy?.attachments[0]).toMatchObject({ contentType: 'application/pdf' });
			const attached = Buffer.from(await (await fetch(copy!.attachments[0].url)).arrayBuffer());
			expect(sha256(attached)).toBe(sha256(signed));
			const notice = await mailWithSubject('Declined: contract C-2026-002');
			expect(notice?.to).toEqual(['contracts@example.com']);
			expect(notice?.text).toContain(
				'Eva Horváthová <eva.horvathova@example.com> canceled the signing of contract C-2026-002',
			);
		},
		150_000,
	);

	/** Runs the link-then-wait example until it waits; returns the mailed link's request id. */
	const linkMailedThenWaiting = async (contractId: string) => {
		const imported = await importExample('okdokument-link-by-email-then-wait.json', (example) => {
			const contract = example.nodes.find((node) => node.name === 'The contract')!;
			const { assignments } = contract.parameters.assignments as {
				assignments: Array<{ name: string; value: string }>;
			};
			assignments.find((assignment) => assignment.name === 'contractId')!.value = contractId;
		});
		const id = await runManually(imported.workflow.id, 'When clicking ‘Execute workflow’');
		expect((await executionById(id, (status) => status === 'waiting')).status).toBe('waiting');
		const created = await nodeOutput(id, 'Create the signature request');
		const subject = `Please sign contract ${contractId}`;
		const mail = (await eventually(mails, (list) => list.some((m) => m.subject === subject))).find(
			(m) => m.subject === subject,
		);
		expect(mail?.to).toEqual(['maria.kovacova@example.com']);
		const link = /https?:\/\/\S+\/openDocument\/(\S+)/.exec(mail?.text ?? '');
		expect(link?.[0]).toBe(created?.json.signingUrl);
		// The HTML part makes the link clickable.
		expect(mail?.html).toContain(
			`<a href="${String(created?.json.signingUrl)}">Review and sign contract ${contractId}</a>`,
		);
		expect(mail?.html).toContain('<p>Dear Mária Kováčová,</p>');
		return { imported, id, signatureRequestId: link![1] };
	};

	flow(
		['okdokument-link-by-email-then-wait.json'],
		'mails the signing link, waits; signed: files the PDF and mails it back',
		async () => {
			const { imported, id, signatureRequestId } = await linkMailedThenWaiting('C-LINK-1');
			await okdokumentAct(signatureRequestId);
			const items = await ranExactly(
				await executionById(id, settled),
				nodesExcept(imported.example, ...OKDOKUMENT_AT_THE_LIMIT, 'Tell the contracts team'),
			);
			expect(items('Wait for signature')[0].json.outcome).toBe('signed');
			const documentId = String(items('Create the signature request')[0].json.documentId);
			const signed = Buffer.from(
				await (
					await fetch(`${sandbox('okdokument')}/JSON/document/${documentId}`, {
						headers: { 'x-api-key': KEYS.okdokument },
					})
				).arrayBuffer(),
			);
			expect(sha256(fs.readFileSync(path.join(filesDir(), 'C-LINK-1-signed.pdf')))).toBe(
				sha256(signed),
			);
			const subject = 'Signed: contract C-LINK-1';
			const copy = (
				await eventually(mails, (list) => list.some((m) => m.subject === subject))
			).find((m) => m.subject === subject);
			expect(copy?.to).toEqual(['maria.kovacova@example.com']);
			expect(copy?.attachments.map((file) => file.sha256)).toEqual([sha256(signed)]);
		},
	);

	flow(
		['okdokument-link-by-email-then-wait.json'],
		'mails the signing link, waits; canceled: tells the contracts team who and why',
		async () => {
			const { imported, id, signatureRequestId } = await linkMailedThenWaiting('C-LINK-2');
			await okdokumentAct(signatureRequestId, 'cancel');
			await ranExactly(
				await executionById(id, settled),
				nodesExcept(
					imported.example,
					...OKDOKUMENT_AT_THE_LIMIT,
					'Write it to the files folder',
					'E-mail the signed copy',
				),
			);
			const subject = 'Not signed: contract C-LINK-2';
			const notice = (
				await eventually(mails, (list) => list.some((m) => m.subject === subject))
			).find((m) => m.subject === subject);
			expect(notice?.to).toEqual(['contracts@example.com']);
			expect(notice?.text).toContain(
				'Mária Kováčová <maria.kovacova@example.com> did not sign contract C-LINK-2: the signing was canceled in OKdokument.',
			);
			expect(fs.existsSync(path.join(filesDir(), 'C-LINK-2-signed.pdf'))).toBe(false);
		},
	);

	flow(
		['okdokument-scheduled-follow-up.json'],
		'the schedule finds rows still sent after N days: declined and expired ones are marked and reported, open ones reminded',
		async () => {
			const day = 24 * 3600_000;
			const ago = (days: number) => new Date(Date.now() - days * day).toISOString();
			/** A real pending signature request, as the batch would have recorded it. */
			const seed = async (contractId: string, sentDaysAgo: number, expiresInDays = 4) => {
				const request = await okdokumentRequest();
				return {
					contractId,
					signer: `Signer ${contractId}`,
					email: `${contractId.toLowerCase()}@example.com`,
					documentId: request.documentId,
					signatureRequestId: request.result,
					signingUrl: `${sandbox('okdokument')}/openDocument/${request.result}`,
					status: 'sent',
					sentAt: ago(sentDaysAgo),
					expiresAt: ago(-expiresInDays),
				};
			};
			// A name with HTML's special characters: the HTML mail escapes it, the text part keeps it.
			const open = { ...(await seed('F-OPEN', 5)), signer: 'Ann & Bob <Partners>' };
			const declined = await seed('F-DECLINED', 5);
			const expired = await seed('F-EXPIRED', 9, -2);
			const recent = await seed('F-RECENT', 1);
			await okdokumentAct(declined.signatureRequestId, 'cancel');
			await rest('POST', `/rest/projects/${projectId}/data-tables/${tableId}/insert`, {
				data: [open, declined, expired, recent],
				returnType: 'count',
			});

			const imported = await importExample('okdokument-scheduled-follow-up.json', everySeconds(10));
			const execution = await firstScheduledRun(imported);
			await ranExactly(execution, nodesExcept(imported.example, 'Mark signed'));
			const rows = await tableRows();
			expect(rowOf(rows, 'F-DECLINED')?.status).toBe('declined');
			expect(rowOf(rows, 'F-EXPIRED')?.status).toBe('expired');
			expect(rowOf(rows, 'F-OPEN')).toMatchObject({ status: 'sent' });
			expect((rowOf(rows, 'F-OPEN') as { remindedAt?: unknown })?.remindedAt).toEqual(
				expect.any(String),
			);
			expect(rowOf(rows, 'F-RECENT')).toMatchObject({ status: 'sent', remindedAt: null });

			// The run has ended, so its mails are in; other suites' mails are told apart by subject.
			const received = (await mails()).filter((mail) => / contract F-/.test(mail.subject));
			expect(received.map((mail) => mail.subject).sort()).toEqual([
				'Not signed: contract F-DECLINED is declined',
				'Not signed: contract F-EXPIRED is expired',
				'Reminder: please sign contract F-OPEN',
			]);
			const reminder = received.find((mail) => mail.subject.startsWith('Reminder'));
			expect(reminder?.to).toEqual(['f-open@example.com']);
			expect(reminder?.text).toContain(open.signingUrl);
			expect(reminder?.text).toContain('Dear Ann & Bob <Partners>,');
			expect(reminder?.html).toContain(
				`<a href="${open.signingUrl}">Review and sign contract F-OPEN</a>`,
			);
			expect(reminder?.html).toContain('<p>Dear Ann &amp; Bob &lt;Partners>,</p>');
			const report = received.find((mail) => mail.subject.includes('F-DECLINED'));
			expect(report?.text).toContain(
				'Signer F-DECLINED <f-declined@example.com> has not signed contract F-DECLINED',
			);
			expect(report?.text).toContain('the signing was canceled in OKdokument');
		},
		120_000,
	);
}

// ── AI agent and MCP examples (the agent's model is the scripted OpenAI-compatible server) ──────

describe('AI agent and MCP examples', () => {
	let model: ScriptedModel;
	const bearer = `examples-mcp-${randomUUID()}`;
	const clients: McpClient[] = [];

	beforeAll(async () => {
		model = await startScriptedModel();
		credentials.openAiApi = await createCredential('openAiApi (examples)', 'openAiApi', {
			apiKey: `sk-examples-${randomUUID()}`,
			url: model.url,
		});
		credentials.httpBearerAuth = await createCredential(
			'httpBearerAuth (examples)',
			'httpBearerAuth',
			{ token: bearer },
		);
	});

	afterAll(async () => {
		await Promise.all(clients.map(async (client) => await client.close().catch(() => undefined)));
		await model?.close();
	});

	const dokobitSignings = async (name: string) =>
		(
			await call<Array<{ name: string; token: string }>>(`${sandbox('dokobit')}/__signings`, {
				method: 'GET',
			})
		).filter((signing) => signing.name === name);

	example(
		'agent-send-for-signature.json',
		'the agent prepares one signing; it is sent only once the approver clicks Approve, and the answer with the signer link is mailed',
		async () => {
			const review = await hasHumanReview();
			// n8n before 2.6 has no human review: the example's note says to delete the review step
			// and connect Create signing to the agent; that is what runs there.
			const imported = await importExample('agent-send-for-signature.json', (workflow) => {
				if (review) return;
				workflow.nodes = workflow.nodes.filter((node) => node.name !== 'Approve the signing');
				const connections = workflow.connections as Record<string, unknown>;
				connections['Create signing'] = connections['Approve the signing'];
				delete connections['Approve the signing'];
			});
			const modelNode = imported.node('@n8n/n8n-nodes-langchain.lmChatOpenAi');
			const modelId = (modelNode.parameters.model as { value: string }).value;
			const name = `Agent example ${randomUUID()}`;
			const signing = {
				name,
				fileUrl: `${sandbox('dokobit')}/__files/sample.pdf`,
				signers: [{ id: 'ona', name: 'Ona', surname: 'Onaitė', code: DOKOBIT_SIGNER }],
			};
			model.script((turn) => {
				if (turn.index === 0) {
					// Behind a review, the tool's own arguments go under toolParameters.
					const args = review ? { toolParameters: signing, hitlParameters: {} } : signing;
					return {
						toolCalls: [{ name: toolNamed(turn, 'Create_signing').name, arguments: args }],
					};
				}
				const [created] = JSON.parse(turn.results[0].content) as Array<{
					signers: Array<{ signingUrl: string }>;
				}>;
				return { text: `Sent. Ona signs here: ${created.signers[0].signingUrl}` };
			}, modelId);
			const webhook = imported.node('n8n-nodes-base.webhook');
			await activate(imported.workflow);
			const prompt = `Send ${signing.fileUrl} to Ona for signature (${name})`;
			const answer = await callWebhook(
				`${e2eInfo().baseUrl}/webhook/${String(webhook.parameters.path)}`,
				{ prompt },
			);
			// The webhook answers at once: an approval can take days.
			expect(answer.status).toBe(200);
			if (review) {
				const approval = await mailWithSubject(`Approve: ${name}`);
				expect(approval.to).toEqual(['approver@example.com']);
				expect(approval.html).toContain(`Document: ${name}`);
				expect(approval.html).toContain(DOKOBIT_SIGNER);
				// Nothing reached Dokobit before the approval.
				expect(await dokobitSignings(name)).toHaveLength(0);
				expect((await clickAsPerson(approvalLink(approval.html, true))).status).toBe(200);
			}
			const mailed = await mailWithSubject(`Signing request: ${prompt.slice(0, 60)}`);
			const signings = await dokobitSignings(name);
			expect(signings).toHaveLength(1);
			const signerLink = `${sandbox('dokobit')}/signing/${signings[0].token}`;
			expect(mailed.to).toEqual(['contracts@example.com']);
			expect(mailed.text).toContain(signerLink);
			expect(mailed.html).toMatch(new RegExp(`<a href="${signerLink}[^"]*">`));
			const execution = await latestExecution(imported.workflow.id, settled);
			await ranExactly(execution, nodesExcept(imported.example, 'Get signing status'));
			const turns = model.turns(modelId);
			// OpenAI Chat Model 1.3 talks to the Responses API unless told otherwise.
			expect(turns.map((turn) => turn.api)).toEqual(['responses', 'responses']);
			expect(turns.map((turn) => turn.tools.map((tool) => tool.name).sort())[0]).toEqual([
				'Create_signing',
				'Get_signing_status',
			]);
			for (const request of model.requests) {
				expect(request.body).not.toContain(KEYS.dokobit);
				expect(request.body).not.toMatch(/signature=|esignProof/);
			}
		},
	);

	example(
		'mcp-esign-server.json',
		'an MCP client lists the five tools and creates and reads one signing',
		async () => {
			const path = `esign-${run}`;
			const imported = await importExample('mcp-esign-server.json', (workflow) => {
				const trigger = workflow.nodes.find(
					(node) => node.type === '@n8n/n8n-nodes-langchain.mcpTrigger',
				)!;
				trigger.parameters.path = path;
			});
			await activate(imported.workflow);
			const client = await connectMcp(`${e2eInfo().baseUrl}/mcp/${path}`, bearer);
			clients.push(client);
			const { tools } = await client.listTools();
			expect(tools.map((tool) => tool.name).sort()).toEqual([
				'Create_signature_request',
				'Create_signing',
				'Create_signing_session',
				'Get_document',
				'Get_signing_status',
			]);
			const name = `MCP example ${randomUUID()}`;
			const created = await callMcpTool(client, 'Create_signing', {
				name,
				fileUrl: `${sandbox('dokobit')}/__files/sample.pdf`,
				signers: [{ id: 'ona', name: 'Ona', surname: 'Onaitė', code: DOKOBIT_SIGNER }],
			});
			expect(created.isError).toBe(false);
			const signings = await dokobitSignings(name);
			expect(signings).toHaveLength(1);
			const status = await callMcpTool(client, 'Get_signing_status', { token: signings[0].token });
			expect(status).toEqual({ isError: false, text: expect.stringContaining('pending') });
			const ok = await callMcpTool(client, 'Create_signature_request', {
				fileUrl: `${sandbox('okdokument')}/__files/sample.pdf`,
				fileName: 'MCP example.pdf',
			});
			expect(ok.isError).toBe(false);
			const documentolog = await callMcpTool(client, 'Create_signing_session', {
				fileUrl: `${sandbox('documentolog')}/__files/contract.pdf`,
				recipient: KZ_RECIPIENT,
			});
			expect(documentolog.isError).toBe(false);
			for (const text of [created.text, status.text, ok.text, documentolog.text]) {
				for (const key of [...Object.values(KEYS), bearer]) expect(text).not.toContain(key);
			}
		},
	);
});
