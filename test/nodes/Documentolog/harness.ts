import type { INodeParameters } from 'n8n-workflow';
import { DocumentologApi } from '../../../credentials/DocumentologApi.credentials';
import { Documentolog } from '../../../nodes/Documentolog/Documentolog.node';
import type { Sandbox } from '../../helpers/sandbox';
import { vendorHarness } from '../../helpers/vendorHarness';

export { SIGNED_MARK, type LoggedRequest } from '../../helpers/vendorHarness';

/** The emulator's accepted key (test/sandbox/documentolog.mjs `DOCUMENTOLOG_KEY`). */
export const GOOD_KEY = 'example-documentolog-key';

/** Valid identifiers (check-digit vectors, see identifiers.test.ts). */
export const SENDER_IIN = '900101300017';
export const RECIPIENT_IIN = '900101300811';
export const RECIPIENT_BIN = '040740000001';

export function attachmentUrl(sandbox: Sandbox, name = 'contract.pdf'): string {
	return `${sandbox.url('documentolog')}/__files/${name}`;
}

export function credentialsFor(sandbox: Sandbox, apiKey = GOOD_KEY, extra = {}) {
	return { host: 'custom', baseUrl: sandbox.url('documentolog'), apiKey, ...extra };
}

const harness = vendorHarness<{
	apiKey?: string;
	/** The whole credential, instead of the sandbox's with `apiKey`. */
	credentials?: Record<string, unknown>;
}>({
	vendor: 'documentolog',
	nodeType: 'documentolog',
	node: () => new Documentolog(),
	credentialType: 'documentologApi',
	credential: () => new DocumentologApi(),
	credentialName: 'Documentolog sandbox',
	credentials: (sandbox, { apiKey = GOOD_KEY, credentials }) =>
		(credentials ?? credentialsFor(sandbox, apiKey)) as never,
});

export const { apiRequests, clearLog, runOk } = harness;
export const runDocumentolog = harness.run;

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
