// Faults in a real n8n, for Send and Wait for Signature and the trigger of each vendor:
//   a. the credential's key rotated while an execution waits;
//   b. n8n stopped while the signer signs, then started again;
//   c. the wait limit ("Limit Wait Time" at a specified time);
//   d. a create whose answer is lost, with "On Error" set to continue;
//   e. an event delivered while the trigger's workflow is inactive;
//   f. n8n restarted between two deliveries of one event.
// The file stops and starts n8n, so it has an n8n and a sandbox of its own (the suite's are shared
// with the files that run alongside). The sandbox scales vendor time by 0.001 like the suite's:
// Dokobit retries a postback after 0.3 s, 3.6 s and 86 s (+5 min, +1 h, +24 h); OKdokument sends
// its one callback and turns the document to `errorsendinfo` when it fails; Documentolog retries
// nothing (none documented; docs/vendor-apis.md). The describes run a, d, e, c, then b and f: the
// wait-limit runs of c start first, as n8n may take a minute to end them, and b and f restart n8n.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import {
	type NodeItem,
	type NodeSpec,
	type Workflow,
	activate,
	afterNode,
	callWebhook,
	createCredential,
	createWorkflow,
	currentN8n,
	deactivate,
	eventually,
	executionById,
	executionRuns,
	executions,
	latestExecution,
	nodeOutput,
	postJson,
	settled,
	updateCredential,
	webhookNode,
	webhookUrl,
} from '../helpers/n8n';
import { type OwnN8n, startOwnN8n } from '../helpers/own-n8n';
import { type Sandbox, startSandbox } from '../helpers/sandbox';

jest.setTimeout(60_000);

const SENDER = '900101300017';
const RECIPIENT = '900101300811';
const URL_GUARD = 'faults-e2e-url-guard';

let n8n: OwnN8n;
let sandbox: Sandbox;

type VendorId = 'dokobit' | 'okdokument' | 'documentolog';
type Json = Record<string, unknown>;
type Credential = { id: string; name: string };

interface Delivery {
	url: string;
	body: Json;
	attempt: number;
	status?: number;
}

/** What the vendor posted to `url` so far (every attempt, in order). */
async function deliveriesTo(vendor: VendorId, url: string): Promise<Delivery[]> {
	const all = await sandbox.control<Delivery[]>(vendor, 'GET', '/__deliveries');
	return all.filter((delivery) => delivery.url === url);
}

/** The vendor changes which API keys it accepts (key rotation on its side). */
async function vendorKeys(vendor: VendorId, change: { add?: string[]; revoke?: string[] }) {
	await sandbox.control(vendor, 'POST', '/__keys', change);
}

/** The vendor's API, as a client outside n8n calls it (the trigger tests create documents so). */
async function vendorApi<T = Json>(
	vendor: VendorId,
	path: string,
	body: unknown,
	headers: Record<string, string> = {},
): Promise<T> {
	const response = await fetch(`${sandbox.url(vendor)}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${vendor} ${path} → ${response.status}: ${text}`);
	return JSON.parse(text) as T;
}

/** Acts as the signer (or sender) through the emulator's control API. */
async function act(vendor: VendorId, path: string, body: unknown = {}): Promise<void> {
	const response = await fetch(`${sandbox.url(vendor)}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	if (!response.ok)
		throw new Error(`${vendor} ${path} → ${response.status}: ${await response.text()}`);
}

async function samplePdf(vendor: VendorId): Promise<Buffer> {
	return Buffer.from(
		await (await fetch(`${sandbox.url(vendor)}/__files/sample.pdf`)).arrayBuffer(),
	);
}

// ----- Send and Wait for Signature, per vendor ----------------------------------------------------

/** A document a Send and Wait execution waits for, as the emulator holds it. */
interface WaitingDocument {
	id: string;
	/** The resume URL the vendor was given (with n8n's signature and the package's proof). */
	resumeUrl: string;
}

interface WaitVendor {
	id: VendorId;
	name: string;
	nodeType: string;
	credentialType: string;
	/** The key the sandbox accepts from the start. */
	key: string;
	credentialData(key: string): Json;
	sendAndWaitParameters(): Json;
	/** The create request (path), whose answer the lost-answer fault drops. */
	createPath: string;
	/** The document at the emulator, from the waiting node's output before the wait. */
	waitingDocument(beforeWait: Json): Promise<WaitingDocument>;
	/** Everyone signs the document (its id at the vendor): the vendor sends its events. */
	signAll(documentId: string): Promise<void>;
	/** How many events signing sends to the resume URL (each may be retried). */
	eventsOnSigning: number;
	/** `outcome` once everyone signed. */
	signedOutcome: string;
	/** What identifies the document in the item a timeout passes on. */
	identity(beforeWait: Json): Json;
	/** How many documents the emulator holds. */
	documentCount(): Promise<number>;
}

const dokobit: WaitVendor = {
	id: 'dokobit',
	name: 'Dokobit',
	nodeType: 'n8n-nodes-esign.dokobitGateway',
	credentialType: 'dokobitGatewayApi',
	key: 'example-dokobit-token',
	credentialData: (key) => ({
		environment: 'custom',
		baseUrl: sandbox.url('dokobit'),
		accessToken: key,
	}),
	sendAndWaitParameters: () => ({
		resource: 'signing',
		operation: 'createAndWait',
		name: 'Fault contract',
		type: 'pdf',
		filesFrom: 'upload',
		fileSource: 'url',
		fileUrl: `${sandbox.url('dokobit')}/__files/sample.pdf`,
		signersInput: 'json',
		signersJson: JSON.stringify([
			{ id: 'x', name: 'Ona', surname: 'X', signing_purpose: 'signature' },
		]),
		waitOptions: { downloadSignedFile: false },
	}),
	createPath: '^/api/signing/create\\.json$',
	async waitingDocument(beforeWait) {
		const token = String(beforeWait.token);
		const signing = await sandbox.control<{ postbackUrl: string }>(
			'dokobit',
			'GET',
			`/__signings/${token}`,
		);
		return { id: token, resumeUrl: signing.postbackUrl };
	},
	signAll: async (token) => await act('dokobit', `/__signings/${token}/signers/x/sign`),
	eventsOnSigning: 2, // signer_signed, signing_completed
	signedOutcome: 'completed',
	identity: (beforeWait) => ({
		token: beforeWait.token,
		signers: expect.arrayContaining([expect.objectContaining({ id: 'x' })]),
	}),
	documentCount: async () =>
		(await sandbox.control<unknown[]>('dokobit', 'GET', '/__signings')).length,
};

const okdokument: WaitVendor = {
	id: 'okdokument',
	name: 'OKdokument',
	nodeType: 'n8n-nodes-esign.okDokument',
	credentialType: 'okDokumentApi',
	key: 'example-okdokument-key',
	credentialData: (key) => ({
		environment: 'custom',
		baseUrl: sandbox.url('okdokument'),
		apiKey: key,
	}),
	sendAndWaitParameters: () => ({
		resource: 'signatureRequest',
		operation: 'createAndWait',
		documentSource: 'upload',
		fileSource: 'url',
		fileUrl: `${sandbox.url('okdokument')}/__files/sample.pdf`,
		fileName: 'Fault contract.pdf',
		waitOptions: { downloadSignedFile: false },
	}),
	createPath: '^/JSON/signatureRequest$',
	async waitingDocument(beforeWait) {
		const id = String(beforeWait.signatureRequestId);
		const request = await sandbox.control<{ sendInfoURL: string }>(
			'okdokument',
			'GET',
			`/__signature-requests/${encodeURIComponent(id)}`,
		);
		return { id, resumeUrl: request.sendInfoURL };
	},
	signAll: async (id) =>
		await act('okdokument', `/__signature-requests/${encodeURIComponent(id)}/submit`, {
			signerName: 'Ján Novák',
		}),
	eventsOnSigning: 1, // state "signed"
	signedOutcome: 'signed',
	identity: (beforeWait) => ({
		documentId: beforeWait.documentId,
		signatureRequestId: beforeWait.signatureRequestId,
	}),
	documentCount: async () =>
		(await sandbox.control<unknown[]>('okdokument', 'GET', '/__documents')).length,
};

/** The emulator's document of an access token (what Documentolog's create answers). */
async function documentologDocOfToken(token: string) {
	const [doc] = await sandbox.control<Array<{ docId: string; webhookUrl: string }>>(
		'documentolog',
		'GET',
		`/__docs?token=${encodeURIComponent(token)}`,
	);
	return doc;
}

const documentolog: WaitVendor = {
	id: 'documentolog',
	name: 'Documentolog',
	nodeType: 'n8n-nodes-esign.documentolog',
	credentialType: 'documentologApi',
	key: 'example-documentolog-key',
	credentialData: (key) => ({
		host: 'custom',
		baseUrl: sandbox.url('documentolog'),
		apiKey: key,
	}),
	sendAndWaitParameters: () => ({
		resource: 'document',
		operation: 'createAndWait',
		attachmentsFrom: 'urls',
		attachmentUrls: [`${sandbox.url('documentolog')}/__files/contract.pdf`],
		sender: SENDER,
		recipients: [RECIPIENT],
		waitOptions: { downloadFiles: false },
	}),
	createPath: '^/json/external/oauth/token$',
	async waitingDocument(beforeWait) {
		const doc = await documentologDocOfToken(String(beforeWait.accessToken));
		return { id: doc.docId, resumeUrl: doc.webhookUrl };
	},
	async signAll(docId) {
		await act('documentolog', `/__docs/${docId}/sender-sign`, { signType: 'eds' });
		await act('documentolog', `/__docs/${docId}/recipients/${RECIPIENT}/sign`, { name: 'Aru Bek' });
	},
	eventsOnSigning: 3, // document_sent, signer_signed, document_completed
	signedOutcome: 'completed',
	// The create answer has no document id; the wait matches events on the node's correlation id.
	identity: (beforeWait) => ({ correlationId: beforeWait.correlationId }),
	documentCount: async () =>
		(await sandbox.control<unknown[]>('documentolog', 'GET', '/__docs')).length,
};

const WAIT_VENDORS = [dokobit, okdokument, documentolog];
/** `it.each` rows: the vendor's name (for the title), the vendor. */
const byName = <T extends { name: string }>(vendors: T[]) =>
	vendors.map((vendor) => [vendor.name, vendor] as const);

/** Each vendor's credential with the sandbox's standard key. */
const standard: Partial<Record<VendorId, Credential>> = {};

type OnError = 'continueErrorOutput' | 'continueRegularOutput';

/**
 * Webhook "Start" (answers at once) → "Send and wait" → "After"; with "On Error: Continue (using
 * error output)" its error output goes to "Failed".
 */
async function sendAndWaitWorkflow(
	vendor: WaitVendor,
	{
		credential = standard[vendor.id]!,
		parameters = {},
		onError,
	}: { credential?: Credential; parameters?: Json; onError?: OnError } = {},
): Promise<{ workflow: Workflow; url: string }> {
	const path = `faults-${randomUUID()}`;
	const node = (spec: NodeSpec, x: number): NodeSpec => ({
		id: randomUUID(),
		position: [x, 0],
		typeVersion: 1,
		...spec,
	});
	const nodes = [
		webhookNode(path, 'onReceived'),
		node(
			{
				name: 'Send and wait',
				type: vendor.nodeType,
				webhookId: randomUUID(),
				parameters: { ...vendor.sendAndWaitParameters(), ...parameters },
				credentials: { [vendor.credentialType]: { id: credential.id, name: credential.name } },
				...(onError ? { onError } : {}),
			},
			220,
		),
		node(afterNode, 440),
		node({ name: 'Failed', type: 'n8n-nodes-base.noOp', parameters: {} }, 440),
	];
	const outputs = [[{ node: 'After', type: 'main', index: 0 }]];
	if (onError === 'continueErrorOutput') outputs.push([{ node: 'Failed', type: 'main', index: 0 }]);
	const workflow = await createWorkflow({
		name: `faults ${vendor.name} send and wait ${onError ?? ''}`.trim(),
		nodes,
		connections: {
			Start: { main: [[{ node: 'Send and wait', type: 'main', index: 0 }]] },
			'Send and wait': { main: outputs },
		},
	});
	await activate(workflow);
	return { workflow, url: webhookUrl(path) };
}

interface WaitingRun {
	executionId: string;
	beforeWait: Json;
	document: WaitingDocument;
}

/** Starts the workflow; resolves once its execution waits, with the document it waits for. */
async function startWaiting(
	vendor: WaitVendor,
	{ workflow, url }: { workflow: Workflow; url: string },
): Promise<WaitingRun> {
	expect((await callWebhook(url, {})).status).toBe(200);
	const waiting = await latestExecution(workflow.id, (status) => status === 'waiting');
	expect(waiting.status).toBe('waiting');
	const beforeWait = (await nodeOutput(waiting.id, 'Send and wait'))!.json;
	return {
		executionId: waiting.id,
		beforeWait,
		document: await vendor.waitingDocument(beforeWait),
	};
}

/**
 * What n8n answered the first delivery of each of the `count` events the vendor sent to the
 * resume URL, once all are answered (a retry may follow a failed one).
 */
async function firstAnswers(vendor: VendorId, url: string, count: number) {
	const first = await eventually(
		async () => (await deliveriesTo(vendor, url)).filter((delivery) => delivery.attempt === 1),
		(list) => list.length >= count && list.every((delivery) => delivery.status !== undefined),
	);
	return first.map((delivery) => delivery.status);
}

/** The item the node after Send and Wait received, once the execution has finished. */
async function resumedItems(executionId: string, timeoutMs = 20_000): Promise<NodeItem[]> {
	const done = await executionById(executionId, settled, timeoutMs);
	expect(done.status).toBe('success');
	return (await executionRuns(done.id)).items('After');
}

/** The capabilities in a resume URL (n8n's signature, the package's proof): never in output. */
function capabilitiesOf(resumeUrl: string): string[] {
	return [...new URL(resumeUrl).searchParams]
		.filter(([name]) => name !== 'ref')
		.map(([, value]) => value);
}

// ----- Triggers, per vendor ----------------------------------------------------------------------

interface TriggerVendor {
	id: VendorId;
	name: string;
	trigger(credential: Credential, webhookId: string): NodeSpec;
	/** The URL the vendor is given: the trigger's production URL with its secret. */
	urlOf(webhookId: string): string;
	/**
	 * A document whose events go to `url`, made straight at the vendor. Resolves to what the other
	 * methods take as its id (OKdokument: "<document id>/<signature request id>").
	 */
	createDocument(url: string): Promise<string>;
	complete(documentId: string): Promise<void>;
	/** The delivery of the event that starts the trigger's execution (not the intermediate ones). */
	isTheEvent(documentId: string, delivery: Delivery): boolean;
}

const triggerUrl = (webhookId: string, secret: string) =>
	`${currentN8n().baseUrl}/webhook/${webhookId}/webhook?secret=${secret}`;

const dokobitTrigger: TriggerVendor = {
	id: 'dokobit',
	name: 'Dokobit',
	trigger: (credential, webhookId) => ({
		name: 'Trigger',
		type: 'n8n-nodes-esign.dokobitGatewayTrigger',
		webhookId,
		parameters: {
			events: ['signing_completed'],
			verification: 'refetchStatus',
			secret: URL_GUARD,
			options: { downloadSignedFile: false },
		},
		credentials: { dokobitGatewayApi: { id: credential.id, name: credential.name } },
	}),
	urlOf: (webhookId) => triggerUrl(webhookId, URL_GUARD),
	async createDocument(url) {
		const auth = `?access_token=${dokobit.key}`;
		const pdf = await samplePdf('dokobit');
		const file = await vendorApi('dokobit', `/api/file/upload.json${auth}`, {
			file: {
				name: 'contract.pdf',
				content: pdf.toString('base64'),
				digest: createHash('sha256').update(pdf).digest('hex'),
			},
		});
		const signing = await vendorApi('dokobit', `/api/signing/create.json${auth}`, {
			type: 'pdf',
			name: 'Trigger contract',
			files: [{ token: file.token }],
			postback_url: url,
			signers: [{ id: 'a', name: 'Ona', surname: 'A', signing_purpose: 'signature' }],
		});
		return String(signing.token);
	},
	complete: async (token) => await act('dokobit', `/__signings/${token}/signers/a/sign`),
	isTheEvent: (token, { body }) => body.action === 'signing_completed' && body.token === token,
};

const okdokumentTrigger: TriggerVendor = {
	id: 'okdokument',
	name: 'OKdokument',
	trigger: (credential, webhookId) => ({
		name: 'Trigger',
		type: 'n8n-nodes-esign.okDokumentTrigger',
		webhookId,
		parameters: {
			events: ['signed'],
			verification: 'refetchMetadata',
			secret: URL_GUARD,
			options: { downloadSignedFile: false },
		},
		credentials: { okDokumentApi: { id: credential.id, name: credential.name } },
	}),
	urlOf: (webhookId) => triggerUrl(webhookId, URL_GUARD),
	async createDocument(url) {
		const pdf = await samplePdf('okdokument');
		const created = await vendorApi(
			'okdokument',
			'/JSON/signatureRequest',
			{ filedata: { filename: 'trigger.pdf', content: pdf.toString('base64') }, sendInfoURL: url },
			{ 'x-api-key': okdokument.key },
		);
		return `${String(created.documentId)}/${String(created.result)}`;
	},
	complete: async (ids) =>
		await act('okdokument', `/__signature-requests/${ids.split('/')[1]}/submit`),
	isTheEvent: (ids, { body }) => body.state === 'signed' && body.id === ids.split('/')[0],
};

const documentologTrigger: TriggerVendor = {
	id: 'documentolog',
	name: 'Documentolog',
	trigger: (credential, webhookId) => ({
		name: 'Trigger',
		type: 'n8n-nodes-esign.documentologTrigger',
		webhookId,
		parameters: { events: ['document_completed'], options: { downloadFiles: false } },
		credentials: { documentologApi: { id: credential.id, name: credential.name } },
	}),
	// The trigger's secret is derived from the credential's key (Documentolog/helpers/secret.ts).
	urlOf: (webhookId) =>
		triggerUrl(
			webhookId,
			createHmac('sha256', documentolog.key)
				.update(`documentolog-trigger:${webhookId}`)
				.digest('hex'),
		),
	async createDocument(url) {
		const created = await vendorApi<{ data: { access_token: string } }>(
			'documentolog',
			'/json/external/oauth/token',
			{
				aAttachments: [`${sandbox.url('documentolog')}/__files/contract.pdf`],
				sSetWebhookUrl: url,
				iSendToRecipient: 1,
				mRecipient: [RECIPIENT],
				iRecipientSignatureRequired: 1,
				mAvailableSignatureMethodsForRecipient: ['eds'],
				mAvailableSignatureMethods: ['eds'],
				sSender: SENDER,
			},
			{ 'api-key': documentolog.key },
		);
		return (await documentologDocOfToken(created.data.access_token)).docId;
	},
	complete: async (docId) => await documentolog.signAll(docId),
	isTheEvent: (docId, { body }) => body.event === 'document_completed' && body.doc_id === docId,
};

const TRIGGER_VENDORS = [dokobitTrigger, okdokumentTrigger, documentologTrigger];

interface ActiveTrigger {
	workflow: Workflow;
	url: string;
}

/** A workflow of the vendor's trigger alone, active and registered. */
async function activeTrigger(vendor: TriggerVendor): Promise<ActiveTrigger> {
	const webhookId = randomUUID();
	const workflow = await createWorkflow({
		name: `faults ${vendor.name} trigger`,
		nodes: [
			{
				id: randomUUID(),
				typeVersion: 1,
				position: [0, 0],
				...vendor.trigger(standard[vendor.id]!, webhookId),
			},
		],
		connections: {},
	});
	const trigger = { workflow, url: vendor.urlOf(webhookId) };
	await activate(workflow);
	await untilServed(trigger.url);
	return trigger;
}

/**
 * Waits until n8n serves the trigger's URL (`served`), or no longer does: n8n registers and removes
 * a workflow's webhooks asynchronously, after activation, deactivation and start. The probe's
 * empty body is refused (400) and starts nothing.
 */
async function untilServed(url: string, served = true): Promise<void> {
	const status = await eventually(
		async () => (await postJson(url, {})).status,
		(answer) => (served ? answer !== 404 && answer < 500 : answer === 404),
	);
	expect(status).toBe(served ? 400 : 404);
}

/** The vendor's deliveries of the one event of `documentId` to the trigger, every attempt. */
async function eventDeliveries(vendor: TriggerVendor, trigger: ActiveTrigger, documentId: string) {
	const all = await deliveriesTo(vendor.id, trigger.url);
	return all.filter((delivery) => vendor.isTheEvent(documentId, delivery));
}

/** Polls until the event's delivery attempts satisfy `done`; returns their answers. */
async function eventAnswers(
	vendor: TriggerVendor,
	trigger: ActiveTrigger,
	documentId: string,
	done: (answers: Array<number | undefined>) => boolean,
	timeoutMs = 20_000,
): Promise<Array<number | undefined>> {
	return await eventually(
		async () =>
			(await eventDeliveries(vendor, trigger, documentId)).map((delivery) => delivery.status),
		done,
		{ timeoutMs },
	);
}

const answered = (answers: Array<number | undefined>) =>
	answers.length > 0 && answers.every((status) => status !== undefined);

// ----- The file's n8n and sandbox ----------------------------------------------------------------

const waitLimitRuns: Partial<Record<VendorId, WaitingRun>> = {};

beforeAll(async () => {
	[n8n, sandbox] = await Promise.all([
		startOwnN8n(),
		startSandbox(['dokobit', 'okdokument', 'documentolog'], { timeScale: 0.001 }),
	]);
	for (const vendor of WAIT_VENDORS) {
		standard[vendor.id] = await createCredential(
			`${vendor.name} sandbox (faults)`,
			vendor.credentialType,
			vendor.credentialData(vendor.key),
		);
	}
	// n8n's wait tracker looks for waits that end within the next 70 s once a minute, so a short
	// wait limit can take a minute to end. The wait-limit runs start here and are checked in c,
	// after a, d and e have run.
	await Promise.all(
		WAIT_VENDORS.map(async (vendor) => {
			const workflow = await sendAndWaitWorkflow(vendor, {
				parameters: {
					limitWaitTime: {
						values: {
							limitType: 'atSpecifiedTime',
							maxDateAndTime: '={{ $now.plus({ seconds: 5 }).toISO() }}',
						},
					},
				},
			});
			waitLimitRuns[vendor.id] = await startWaiting(vendor, workflow);
		}),
	);
}, 240_000);

afterAll(async () => {
	await Promise.allSettled([n8n?.close(), sandbox?.close()]);
});

// ----- a ------------------------------------------------------------------------------------------

describe('a. the credential’s key is rotated while the execution waits', () => {
	const cases = WAIT_VENDORS.flatMap((vendor) => [
		[vendor.name, 'the old key still valid at the vendor', vendor, false] as const,
		[vendor.name, 'the old key revoked at the vendor', vendor, true] as const,
	]);

	it.each(cases)(
		'%s, %s: the signer’s event resumes the execution once, with the signed outcome',
		async (_name, _variant, vendor, revokeOld) => {
			const oldKey = `${vendor.id}-old-key-${randomUUID()}`;
			const newKey = `${vendor.id}-new-key-${randomUUID()}`;
			await vendorKeys(vendor.id, { add: [oldKey] });
			const credential = await createCredential(
				`${vendor.name} (rotated)`,
				vendor.credentialType,
				vendor.credentialData(oldKey),
			);
			const workflow = await sendAndWaitWorkflow(vendor, { credential });
			const waiting = await startWaiting(vendor, workflow);

			await vendorKeys(vendor.id, { add: [newKey], revoke: revokeOld ? [oldKey] : [] });
			await updateCredential(credential, vendor.credentialType, vendor.credentialData(newKey));
			await vendor.signAll(waiting.document.id);

			// Every event is answered 200: the resume URL's proof must not depend on the credential's
			// key (today it is an HMAC keyed by it, and n8n answers 401).
			expect(
				await firstAnswers(vendor.id, waiting.document.resumeUrl, vendor.eventsOnSigning),
			).toEqual(new Array(vendor.eventsOnSigning).fill(200));
			const resumed = await resumedItems(waiting.executionId);
			expect(resumed).toHaveLength(1);
			expect(resumed[0].json.outcome).toBe(vendor.signedOutcome);
			expect(await executions(workflow.workflow.id)).toHaveLength(1);
		},
	);
});

// ----- d ------------------------------------------------------------------------------------------

describe('d. the create’s answer is lost (the vendor created the document, the connection broke)', () => {
	const cases = WAIT_VENDORS.flatMap((vendor) => [
		[
			vendor.name,
			'On Error: Continue (using error output)',
			vendor,
			'continueErrorOutput',
		] as const,
		[vendor.name, 'On Error: Continue', vendor, 'continueRegularOutput'] as const,
	]);

	const creates = async (vendor: WaitVendor) =>
		(
			await sandbox.control<Array<{ method: string; path: string }>>(
				vendor.id,
				'GET',
				'/__requests',
			)
		).filter(
			(request) => request.method === 'POST' && new RegExp(vendor.createPath).test(request.path),
		).length;

	it.each(cases)(
		'%s, %s: one error item that says to check at the vendor, one document, no wait',
		async (_name, _mode, vendor, onError) => {
			const workflow = await sendAndWaitWorkflow(vendor, { onError });
			const documentsBefore = await vendor.documentCount();
			const createsBefore = await creates(vendor);
			await sandbox.control(vendor.id, 'POST', '/__faults', {
				match: { method: 'POST', path: vendor.createPath, times: 1 },
				action: { drop: 'after-processing' },
			});
			expect((await callWebhook(workflow.url, {})).status).toBe(200);

			const done = await latestExecution(workflow.workflow.id, settled);
			expect(done.status).toBe('success');
			const runs = await executionRuns(done.id);
			const success = runs.items('Send and wait', 0);
			const failed = runs.items('Send and wait', 1);
			if (onError === 'continueErrorOutput') {
				expect(success).toEqual([]);
				expect(failed).toHaveLength(1);
			} else {
				expect(success).toHaveLength(1);
			}
			const [error] = onError === 'continueErrorOutput' ? failed : success;
			expect(error.json).toMatchObject({
				error: expect.stringMatching(/check\b.*\bbefore sending it again/i),
			});
			expect(await vendor.documentCount()).toBe(documentsBefore + 1);
			expect(await creates(vendor)).toBe(createsBefore + 1);
		},
	);
});

// ----- e ------------------------------------------------------------------------------------------

describe('e. an event delivered while the trigger’s workflow is inactive (n8n answers 404)', () => {
	const triggers: Partial<Record<VendorId, ActiveTrigger & { documentId: string }>> = {};

	beforeAll(async () => {
		for (const vendor of TRIGGER_VENDORS) {
			const trigger = await activeTrigger(vendor);
			await deactivate(trigger.workflow);
			await untilServed(trigger.url, false);
			const documentId = await vendor.createDocument(trigger.url);
			await vendor.complete(documentId);
			triggers[vendor.id] = { ...trigger, documentId };
		}
		for (const vendor of TRIGGER_VENDORS) {
			const trigger = triggers[vendor.id]!;
			const answers = await eventAnswers(vendor, trigger, trigger.documentId, answered);
			expect(answers[0]).toBe(404);
		}
		for (const vendor of TRIGGER_VENDORS) {
			await activate(triggers[vendor.id]!.workflow);
			await untilServed(triggers[vendor.id]!.url);
		}
	}, 90_000);

	// Dokobit first: the time its retry takes is the time the others had to retry, if they did.
	it('Dokobit: the Gateway’s retry after reactivation starts exactly one execution', async () => {
		const trigger = triggers.dokobit!;
		const answers = await eventAnswers(
			dokobitTrigger,
			trigger,
			trigger.documentId,
			(list) => list.at(-1) === 200,
			120_000,
		);
		expect(answers[0]).toBe(404);
		expect(answers.at(-1)).toBe(200);
		const runs = await eventually(
			async () => await executions(trigger.workflow.id),
			(list) => list.length > 0 && list.every((run) => settled(run.status)),
		);
		expect(runs.map((run) => run.status)).toEqual(['success']);
	}, 150_000);

	it('OKdokument (documented: one callback, no retry): the callback is lost, the document shows errorsendinfo, no execution', async () => {
		const trigger = triggers.okdokument!;
		expect(await eventAnswers(okdokumentTrigger, trigger, trigger.documentId, answered)).toEqual([
			404,
		]);
		const [documentId] = trigger.documentId.split('/');
		const documents = await sandbox.control<Array<{ id: string; state: string }>>(
			'okdokument',
			'GET',
			'/__documents',
		);
		expect(documents.find((document) => document.id === documentId)?.state).toBe('errorsendinfo');
		expect(await executions(trigger.workflow.id)).toEqual([]);
	});

	it('Documentolog (no retry documented): the event is lost, no execution', async () => {
		const trigger = triggers.documentolog!;
		expect(await eventAnswers(documentologTrigger, trigger, trigger.documentId, answered)).toEqual([
			404,
		]);
		expect(await executions(trigger.workflow.id)).toEqual([]);
	});
});

// ----- c ------------------------------------------------------------------------------------------

describe('c. the wait limit ("Limit Wait Time" at a specified time) is reached', () => {
	it.each(byName(WAIT_VENDORS))(
		'%s: the next node gets one item, outcome "timeout", with the document’s identity and no secret',
		async (_name, vendor) => {
			const run = waitLimitRuns[vendor.id]!;
			const items = await resumedItems(run.executionId, 150_000);
			expect(items).toHaveLength(1);
			expect(items[0].json).toMatchObject({
				outcome: 'timeout',
				...vendor.identity(run.beforeWait),
			});
			const shown = JSON.stringify(items[0]);
			for (const secret of [vendor.key, ...capabilitiesOf(run.document.resumeUrl)]) {
				expect(shown).not.toContain(secret);
			}
			expect(shown).not.toContain('webhook-waiting');
		},
		180_000,
	);
});

// ----- b and f: n8n restarted -------------------------------------------------------------------

describe('n8n restarted: stopped while the signers sign (b), and between two deliveries of one event (f)', () => {
	const waits: Partial<Record<VendorId, WaitingRun & { workflowId: string }>> = {};
	const triggers: Partial<
		Record<VendorId, ActiveTrigger & { documentId: string; replayAnswer?: number }>
	> = {};

	beforeAll(async () => {
		// f: each trigger has run once for its event.
		for (const vendor of TRIGGER_VENDORS) {
			const trigger = await activeTrigger(vendor);
			const documentId = await vendor.createDocument(trigger.url);
			await vendor.complete(documentId);
			expect(await eventAnswers(vendor, trigger, documentId, answered)).toEqual([200]);
			const ran = await eventually(
				async () => await executions(trigger.workflow.id),
				(runs) => runs.length > 0 && runs.every((run) => settled(run.status)),
			);
			expect(ran.map((run) => run.status)).toEqual(['success']);
			triggers[vendor.id] = { ...trigger, documentId };
		}
		// b: each vendor's Send and Wait waits.
		for (const vendor of WAIT_VENDORS) {
			const workflow = await sendAndWaitWorkflow(vendor);
			waits[vendor.id] = {
				...(await startWaiting(vendor, workflow)),
				workflowId: workflow.workflow.id,
			};
		}

		await n8n.stop();
		try {
			for (const vendor of WAIT_VENDORS) await vendor.signAll(waits[vendor.id]!.document.id);
			// Every event's first delivery has failed (connection refused) before n8n comes back.
			for (const vendor of WAIT_VENDORS) {
				const { resumeUrl } = waits[vendor.id]!.document;
				expect(await firstAnswers(vendor.id, resumeUrl, vendor.eventsOnSigning)).toEqual(
					new Array(vendor.eventsOnSigning).fill(0),
				);
			}
		} finally {
			await n8n.start();
		}

		// f: the same event delivered again, as a vendor does when it missed the answer.
		for (const vendor of TRIGGER_VENDORS) {
			const trigger = triggers[vendor.id]!;
			await untilServed(trigger.url);
			const [delivery] = await eventDeliveries(vendor, trigger, trigger.documentId);
			trigger.replayAnswer = (await postJson(delivery.url, delivery.body)).status;
		}
	}, 150_000);

	// Dokobit first: its last retry comes 86 s after the signing; by then the other vendors would
	// have retried too, and a second trigger execution would have shown.
	it('b. Dokobit: the Gateway’s retry after the restart resumes the execution once, completed', async () => {
		const wait = waits.dokobit!;
		const resumed = await resumedItems(wait.executionId, 150_000);
		expect(resumed).toHaveLength(1);
		expect(resumed[0].json.outcome).toBe('completed');
		expect(await executions(wait.workflowId)).toHaveLength(1);
		const answers = (await deliveriesTo('dokobit', wait.document.resumeUrl)).map((d) => d.status);
		expect(answers.filter((status) => status === 200)).toHaveLength(dokobit.eventsOnSigning);
	}, 180_000);

	it('b. OKdokument (documented: one callback, no retry): the callback is lost, the execution stays waiting (only its wait limit can end it, see c), the document shows errorsendinfo', async () => {
		const wait = waits.okdokument!;
		expect(
			(await deliveriesTo('okdokument', wait.document.resumeUrl)).map((d) => d.status),
		).toEqual([0]);
		expect((await executionById(wait.executionId, () => true)).status).toBe('waiting');
		const request = await sandbox.control<{ documentState: string }>(
			'okdokument',
			'GET',
			`/__signature-requests/${encodeURIComponent(wait.document.id)}`,
		);
		expect(request.documentState).toBe('errorsendinfo');
	});

	it('b. Documentolog (no retry documented): the events are lost, the execution stays waiting (only its wait limit can end it, see c)', async () => {
		const wait = waits.documentolog!;
		expect(
			(await deliveriesTo('documentolog', wait.document.resumeUrl)).map((d) => d.status),
		).toEqual([0, 0, 0]);
		expect((await executionById(wait.executionId, () => true)).status).toBe('waiting');
	});

	it.each(byName(TRIGGER_VENDORS))(
		'f. %s trigger: the event delivered again after the restart is answered 200 and starts no second execution',
		async (_name, vendor) => {
			const trigger = triggers[vendor.id]!;
			expect(trigger.replayAnswer).toBe(200);
			const runs = await executions(trigger.workflow.id);
			expect(runs.map((run) => run.status)).toEqual(['success']);
		},
	);
});
