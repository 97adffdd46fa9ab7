import { createHash } from 'crypto';
import type { INodeExecutionData, INodeParameters, IRun } from 'n8n-workflow';
import { DokobitGatewayApi } from '../../../credentials/DokobitGatewayApi.credentials';
import { DokobitGateway } from '../../../nodes/DokobitGateway/DokobitGateway.node';
import { fetchBytes, type Sandbox } from '../../helpers/sandbox';
import { type LoggedRequest, vendorHarness } from '../../helpers/vendorHarness';

export { SIGNED_MARK, type LoggedRequest } from '../../helpers/vendorHarness';

/** The node version new workflows get (the structured signer block); version 1 is tested on its own. */
export const DOKOBIT_VERSION = 1.1;

/** The emulator's accepted sandbox token (test/sandbox/dokobit.mjs). */
export const GOOD_TOKEN = 'example-dokobit-token';

const harness = vendorHarness<{ accessToken?: string }>({
	vendor: 'dokobit',
	nodeType: 'dokobitGateway',
	node: () => new DokobitGateway(),
	credentialType: 'dokobitGatewayApi',
	credential: () => new DokobitGatewayApi(),
	credentialName: 'Dokobit sandbox',
	typeVersion: DOKOBIT_VERSION,
	credentials: (sandbox, { accessToken = GOOD_TOKEN }) => ({
		environment: 'custom',
		baseUrl: sandbox.url('dokobit'),
		accessToken,
	}),
});

export const { apiRequests, clearLog, runOk } = harness;
export const runDokobit = harness.run;

export async function samplePdf(sandbox: Sandbox): Promise<Buffer> {
	return await fetchBytes(`${sandbox.url('dokobit')}/__files/sample.pdf`);
}

export function pdfItem(pdf: Buffer, fileName = 'agreement.pdf', json = {}): INodeExecutionData {
	return {
		json,
		binary: { data: { data: pdf.toString('base64'), mimeType: 'application/pdf', fileName } },
	};
}

export interface SignerInput extends INodeParameters {
	id: string;
	name: string;
	surname: string;
	signing_purpose?: string;
}

export const JONAS: SignerInput = {
	id: '50001018865',
	name: 'Jonas',
	surname: 'Jonaitis',
	signing_purpose: 'signature',
};
export const ONA: SignerInput = {
	id: '60001019906',
	name: 'Ona',
	surname: 'Onaitė',
	signing_purpose: 'signature',
};

/**
 * The Signers parameter of node version 1.1 for signers written in the Gateway's field names:
 * name, surname, purpose and personal code on the signer, everything else under Additional Fields.
 */
export function signersFields(...signers: INodeParameters[]): INodeParameters {
	return {
		signer: signers.map(({ name, surname, signing_purpose, code, ...additionalFields }) => ({
			name,
			surname,
			...(signing_purpose === undefined ? {} : { signing_purpose }),
			...(code === undefined ? {} : { code }),
			additionalFields,
		})),
	};
}

/**
 * Signing → Create once per item in File Tokens mode, signed by Jonas: the document name (`n`) and
 * the file token (`file`) come from the item.
 */
export function createEachItem(concurrency?: number): INodeParameters {
	return {
		resource: 'signing',
		operation: 'create',
		name: '={{ "Contract " + $json.n }}',
		type: 'pdf',
		filesFrom: 'tokens',
		fileTokens: '={{ $json.file }}',
		signersInput: 'fields',
		signers: signersFields(JONAS),
		...(concurrency === undefined ? {} : { requestConcurrency: concurrency }),
	};
}

export interface CreatedSigning {
	token: string;
	signers: Array<{ id: string; token: string; signingUrl: string }>;
	[key: string]: unknown;
}

/** Creates a pdf signing through the node (binary upload in one step). */
export async function createSigning(
	sandbox: Sandbox,
	pdf: Buffer,
	signers: SignerInput[] = [JONAS],
	extra: INodeParameters = {},
): Promise<CreatedSigning> {
	const [item] = await runOk(
		sandbox,
		{
			resource: 'signing',
			operation: 'create',
			name: 'Agreement',
			type: 'pdf',
			filesFrom: 'upload',
			fileSource: 'binary',
			binaryPropertyName: 'data',
			signersInput: 'json',
			signersJson: JSON.stringify(signers),
			...extra,
		},
		[pdfItem(pdf)],
	);
	return item.json as unknown as CreatedSigning;
}

/** Acts as the signer through the emulator's control API. */
export async function signAs(sandbox: Sandbox, signingToken: string, signerId: string) {
	return await sandbox.control<{ ok: boolean; status: string }>(
		'dokobit',
		'POST',
		`/__signings/${signingToken}/signers/${encodeURIComponent(signerId)}/sign`,
		{},
	);
}

/** The signings the emulator holds (control API). */
export async function emulatorSignings(sandbox: Sandbox): Promise<
	Array<{
		token: string;
		name: string;
		status: string;
		signers: Array<{ id: string; status: string }>;
	}>
> {
	return await sandbox.control('dokobit', 'GET', '/__signings');
}

/**
 * The whole run as text, for "this secret appears nowhere" checks. Unlike a bare JSON.stringify it
 * survives circular references, keeps error messages, stacks and causes (non-enumerable on Error),
 * writes Buffers as text, and marks only true cycles: a repeated, non-circular reference is written
 * out again, so nothing is hidden from the search.
 */
export function stringifyRun(run: IRun): string {
	const ancestors = new Set<object>();
	const plain = (value: unknown): unknown => {
		if (typeof value === 'bigint') return String(value);
		if (typeof value !== 'object' || value === null) return value;
		if (Buffer.isBuffer(value)) return value.toString('latin1');
		if (value instanceof Date) return value.toISOString();
		if (ancestors.has(value)) return '[Circular]';
		ancestors.add(value);
		try {
			if (Array.isArray(value)) return value.map(plain);
			const keys = value instanceof Error ? Object.getOwnPropertyNames(value) : Object.keys(value);
			const out: Record<string, unknown> = {};
			for (const key of keys) {
				try {
					out[key] = plain((value as Record<string, unknown>)[key]);
				} catch (error) {
					out[key] = `[unreadable: ${(error as Error).message}]`;
				}
			}
			return out;
		} finally {
			ancestors.delete(value);
		}
	};
	return JSON.stringify(plain(run));
}

/** Every logged call carried the API key in the query string, and nowhere else. */
export function expectKeyOnlyInQuery(log: LoggedRequest[], key = GOOD_TOKEN): void {
	expect(log.length).toBeGreaterThan(0);
	for (const request of log) {
		expect(request.query.access_token).toBe(key);
		expect(JSON.stringify(request.headers)).not.toContain(key);
		expect(JSON.stringify(request.body ?? null)).not.toContain(key);
	}
}

export function sha256(bytes: Buffer): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** Uploads a file through the node (File → Upload) and returns its file token. */
export async function uploadFile(sandbox: Sandbox, pdf: Buffer, fileName = 'agreement.pdf') {
	const [item] = await runOk(
		sandbox,
		{ resource: 'file', operation: 'upload', fileSource: 'binary', binaryPropertyName: 'data' },
		[pdfItem(pdf, fileName)],
	);
	return item.json.token as string;
}
