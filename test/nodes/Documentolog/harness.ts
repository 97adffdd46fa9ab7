import type {
	INode,
	INodeExecutionData,
	INodeParameters,
	IRun,
	IWorkflowSettings,
} from 'n8n-workflow';
import { DocumentologApi } from '../../../credentials/DocumentologApi.credentials';
import { Documentolog } from '../../../nodes/Documentolog/Documentolog.node';
import { errorOf, outputOf, runWorkflow, singleNodeWorkflow } from '../../helpers/engine';
import type { Sandbox } from '../../helpers/sandbox';

/** The emulator's accepted key (test/sandbox/documentolog.mjs `DOCUMENTOLOG_KEY`). */
export const GOOD_KEY = 'example-documentolog-key';

/** Valid identifiers (check-digit vectors, see identifiers.test.ts). */
export const SENDER_IIN = '900101300017';
export const RECIPIENT_IIN = '900101300811';
export const RECIPIENT_BIN = '040740000001';

export interface LoggedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	body: Record<string, unknown>;
}

export async function apiRequests(sandbox: Sandbox): Promise<LoggedRequest[]> {
	return await sandbox.control<LoggedRequest[]>('documentolog', 'GET', '/__requests');
}

/** Forgets what the emulator has logged, every injected fault, and any changed setting. */
export async function clearLog(sandbox: Sandbox): Promise<void> {
	await sandbox.control('documentolog', 'DELETE', '/__requests');
	await sandbox.control('documentolog', 'DELETE', '/__faults');
}

export function attachmentUrl(sandbox: Sandbox, name = 'contract.pdf'): string {
	return `${sandbox.url('documentolog')}/__files/${name}`;
}

export function credentialsFor(sandbox: Sandbox, apiKey = GOOD_KEY, extra = {}) {
	return { host: 'custom', baseUrl: sandbox.url('documentolog'), apiKey, ...extra };
}

export async function runDocumentolog(
	sandbox: Sandbox,
	parameters: INodeParameters,
	items: INodeExecutionData[] = [{ json: {} }],
	{
		apiKey = GOOD_KEY,
		credentials = undefined as Record<string, unknown> | undefined,
		node = {} as Partial<INode>,
		settings = undefined as IWorkflowSettings | undefined,
	} = {},
): Promise<IRun> {
	const { nodes, connections } = singleNodeWorkflow('documentolog', parameters, items, {
		credentials: { documentologApi: { id: '1', name: 'Documentolog sandbox' } },
		...node,
	});
	return await runWorkflow({
		nodes,
		connections,
		// The AI tool variant n8n generates is the same node under the type name `…Tool`.
		nodeTypes: { documentolog: new Documentolog(), documentologTool: new Documentolog() },
		credentialTypes: { documentologApi: new DocumentologApi() },
		credentials: {
			documentologApi: (credentials ?? credentialsFor(sandbox, apiKey)) as never,
		},
		settings,
	});
}

export async function runOk(
	sandbox: Sandbox,
	parameters: INodeParameters,
	items?: INodeExecutionData[],
	options?: Parameters<typeof runDocumentolog>[3],
): Promise<INodeExecutionData[]> {
	const run = await runDocumentolog(sandbox, parameters, items, options);
	const error = errorOf(run);
	if (error) throw new Error(`run failed: ${error.message} (${error.description ?? ''})`);
	return outputOf(run);
}

/** Create Signing Session parameters with valid defaults. */
export function createParameters(sandbox: Sandbox, extra: INodeParameters = {}): INodeParameters {
	return {
		resource: 'document',
		operation: 'createSigningSession',
		attachmentsFrom: 'urls',
		attachmentUrls: [attachmentUrl(sandbox)],
		sender: SENDER_IIN,
		senderSignatureMethods: ['eds', 'egov-qr'],
		sendToRecipient: true,
		recipients: [RECIPIENT_IIN],
		recipientSignatureRequired: true,
		recipientSignatureMethods: ['eds', 'egov-qr'],
		...extra,
	};
}

export interface EmulatorDoc {
	docId: string;
	number: number;
	state: string;
	token: string;
	webhookUrl: string | null;
	attachments: Array<{ url: string; name: string; fileId: number }>;
	recipients: Array<{ id: string; status: string; name?: string }>;
	events: Array<Record<string, unknown>>;
}

/** The emulator's document behind an access token (the create answer carries no doc_id). */
export async function docOfToken(sandbox: Sandbox, token: string): Promise<EmulatorDoc> {
	const docs = await sandbox.control<EmulatorDoc[]>(
		'documentolog',
		'GET',
		`/__docs?token=${encodeURIComponent(token)}`,
	);
	if (docs.length !== 1) throw new Error(`expected one document for the token, got ${docs.length}`);
	return docs[0];
}

/** Acts through the control API: the sender signs, then each recipient signs. */
export async function signAll(sandbox: Sandbox, doc: EmulatorDoc): Promise<EmulatorDoc> {
	await sandbox.control('documentolog', 'POST', `/__docs/${doc.docId}/sender-sign`, {});
	for (const recipient of doc.recipients) {
		await sandbox.control(
			'documentolog',
			'POST',
			`/__docs/${doc.docId}/recipients/${encodeURIComponent(recipient.id)}/sign`,
			{ name: 'Сейтқали Нұрлан' },
		);
	}
	return await sandbox.control<EmulatorDoc>('documentolog', 'GET', `/__docs/${doc.docId}`);
}

/** Creates a session through the node and returns the node's output and the emulator's document. */
export async function createSession(sandbox: Sandbox, extra: INodeParameters = {}) {
	const [item] = await runOk(sandbox, createParameters(sandbox, extra));
	const doc = await docOfToken(sandbox, item.json.accessToken as string);
	return { json: item.json, doc };
}

export async function completedDoc(sandbox: Sandbox, extra: INodeParameters = {}) {
	const { doc } = await createSession(sandbox, extra);
	return await signAll(sandbox, doc);
}

/** The completion payload the emulator sent (or would have sent) for a document. */
export function completionOf(doc: EmulatorDoc): Record<string, unknown> {
	const payload = doc.events.find(
		(event) => event.event === 'document_completed' || event.content !== undefined,
	);
	if (!payload) throw new Error(`document ${doc.docId} has no completion`);
	return payload;
}
