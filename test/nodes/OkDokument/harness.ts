import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { OkDokumentApi } from '../../../credentials/OkDokumentApi.credentials';
import { OkDokument } from '../../../nodes/OkDokument/OkDokument.node';
import { findPdfSignatures } from '../../../nodes/OkDokument/helpers/pdfSignatures';
import { fetchBytes, type Sandbox } from '../../helpers/sandbox';
import { SIGNED_MARK, type LoggedRequest, vendorHarness } from '../../helpers/vendorHarness';

export { SIGNED_MARK, type LoggedRequest } from '../../helpers/vendorHarness';

/** The emulator's accepted key (test/sandbox/okdokument.mjs `OKDOKUMENT_API_KEY`). */
export const API_KEY = 'example-okdokument-key';
/** A key the emulator knows but refuses with 403 (`OKDOKUMENT_RESTRICTED_KEY`). */
export const RESTRICTED_KEY = 'example-okdokument-restricted-key';

/**
 * The emulator's file after one signed round: the upload byte for byte, the signed-by trailer,
 * then the round's PDF signature (an incremental update, test/sandbox/pdf.mjs withPdfSignature).
 */
export function expectSignedOnce(bytes: Buffer, original: Buffer, signer: string): void {
	const head = Buffer.concat([original, Buffer.from(`\n${SIGNED_MARK} by ${signer}\n`, 'utf8')]);
	expect(bytes.subarray(0, head.length).equals(head)).toBe(true);
	expect(findPdfSignatures(bytes)).toHaveLength(1);
}

export const VENDOR = 'okdokument';

export function credentials(sandbox: Sandbox, apiKey = API_KEY) {
	return { environment: 'custom', baseUrl: sandbox.url(VENDOR), apiKey };
}

const harness = vendorHarness<{ apiKey?: string }>({
	vendor: VENDOR,
	nodeType: 'okDokument',
	node: () => new OkDokument(),
	credentialType: 'okDokumentApi',
	credential: () => new OkDokumentApi(),
	credentialName: 'OKdokument sandbox',
	credentials: (sandbox, { apiKey = API_KEY }) => credentials(sandbox, apiKey),
});

export const { apiRequests, clearLog, runOk } = harness;
export const runOkDokument = harness.run;

export async function samplePdf(sandbox: Sandbox): Promise<Buffer> {
	return await fetchBytes(`${sandbox.url(VENDOR)}/__files/sample.pdf`);
}

export function fileItem(
	bytes: Buffer,
	fileName = 'agreement.pdf',
	mimeType = 'application/pdf',
	json = {},
): INodeExecutionData {
	return { json, binary: { data: { data: bytes.toString('base64'), mimeType, fileName } } };
}

export interface CreatedRequest {
	signatureRequestId: string;
	documentId: string;
	signingUrl: string;
	message: string;
	[key: string]: unknown;
}

/** Creates a signature request through the node from a binary PDF. */
export async function createRequest(
	sandbox: Sandbox,
	pdf: Buffer,
	extra: INodeParameters = {},
): Promise<CreatedRequest> {
	const [item] = await runOk(
		sandbox,
		{
			resource: 'signatureRequest',
			operation: 'create',
			documentSource: 'upload',
			fileSource: 'binary',
			binaryPropertyName: 'data',
			...extra,
		},
		[fileItem(pdf)],
	);
	return item.json as unknown as CreatedRequest;
}

export interface SignerResult {
	ok: boolean;
	state: string;
	documentId: string;
	signatureRequestId: string;
	redirect: string;
	message?: string;
}

/** Acts as the signer through the emulator's control API. */
export async function signerAction(
	sandbox: Sandbox,
	signatureRequestId: string,
	action: 'submit' | 'cancel' | 'mobile' = 'submit',
	signerName?: string,
): Promise<SignerResult> {
	return await sandbox.control<SignerResult>(
		VENDOR,
		'POST',
		`/__signature-requests/${encodeURIComponent(signatureRequestId)}/${action}`,
		signerName ? { signerName } : {},
	);
}

export interface EmulatorRequest {
	id: string;
	documentId: string;
	state: string;
	round: number;
	sendInfoURL?: string;
	resulturl?: string;
	expiresAt: number;
	rules: Record<string, unknown>;
	callback?: { attempts: number; ok?: boolean; lastStatus?: number };
}

export async function emulatorRequests(sandbox: Sandbox): Promise<EmulatorRequest[]> {
	return await sandbox.control<EmulatorRequest[]>(VENDOR, 'GET', '/__signature-requests');
}

/**
 * The round's sendInfo callback as OKdokument recorded it once the answer came back (`ok` set; an
 * answer that is not 2xx has then turned the document into "errorsendinfo"). The receiver answers
 * after the node returns, and the emulator reads that answer later still: wait for it here.
 */
export async function answeredCallback(
	sandbox: Sandbox,
	signatureRequestId: string,
): Promise<NonNullable<EmulatorRequest['callback']>> {
	const until = Date.now() + 8_000;
	for (;;) {
		const entry = (await emulatorRequests(sandbox)).find((r) => r.id === signatureRequestId);
		if (entry?.callback?.ok !== undefined) return entry.callback;
		if (Date.now() > until) throw new Error(`no answer recorded for ${signatureRequestId}`);
		await sleep(10);
	}
}

export interface EmulatorDocument {
	id: string;
	filename: string;
	state: string;
	deleted: boolean;
	deletedBy?: string;
	converted: boolean;
	rounds: number;
}

export async function emulatorDocuments(sandbox: Sandbox): Promise<EmulatorDocument[]> {
	return await sandbox.control<EmulatorDocument[]>(VENDOR, 'GET', '/__documents');
}

/** Every logged API call carried the key in the x-api-key header only. */
export function expectKeyOnlyInHeader(log: LoggedRequest[], key = API_KEY): void {
	expect(log.length).toBeGreaterThan(0);
	for (const request of log) {
		expect(request.headers['x-api-key']).toBe(key);
		expect(JSON.stringify(request.query)).not.toContain(key);
		expect(JSON.stringify(request.body ?? null)).not.toContain(key);
	}
}

/** A DOCX stand-in: the ZIP signature OKdokument and the node check, then some text. */
export function docxBytes(): Buffer {
	return Buffer.concat([
		Buffer.from([0x50, 0x4b, 0x03, 0x04]),
		Buffer.from('word/document.xml sandbox'),
	]);
}

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
