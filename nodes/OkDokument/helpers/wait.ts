/**
 * Send and Wait for Signature / Wait for Signature: the execution waits in n8n's waiting state
 * (`putExecutionToWait`, resumed through `$execution.resumeUrl`) until OKdokument's one sendInfo
 * callback, sent to that resume URL, is borne out by the document (waitCallback.ts).
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { executionCustomData, reserveCustomData, vendorResumeProof } from '../../shared/resume';
import {
	computeWaitTill,
	endAtLimitWith,
	limitWaitTimeProperty,
	showSigningLinks,
	requireSingleItem,
} from '../../shared/wait';
import { credentialBaseUrl } from '../transport';
import { resolveHiddenOutcome } from './hiddenOutcome';
import { pollEvent } from './poll';
import { signedFileBinary } from './signedFile';
import type { DocumentMetadata } from './types';

/** Keys in the execution's custom data: the document, and the round, this execution waits for. */
export const WAITING_FOR_DOCUMENT = 'esignOkDokumentDocument';
export const WAITING_FOR_ROUND = 'esignOkDokumentRound';

/**
 * States after which no callback will come for the round. `errorsendinfo`: the document was signed
 * or canceled, but OKdokument's one callback failed (it does not retry, and the state hides which
 * of the two it was: docs/vendor-apis.md › OKdokument › States).
 */
export const TERMINAL_STATES = ['signed', 'canceled', 'errorsendinfo'] as const;
export type TerminalState = (typeof TERMINAL_STATES)[number];

export function isTerminalState(value: unknown): value is TerminalState {
	return typeof value === 'string' && (TERMINAL_STATES as readonly string[]).includes(value);
}

/**
 * How long a wait may outlast an explicit "Expires At": a signer who opened the page just before
 * the link expired may still submit, and clocks differ.
 */
export const EXPIRY_GRACE_MS = 10 * 60_000;

export const waitOptionsProperty: INodeProperties = {
	displayName: 'Wait Options',
	name: 'waitOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Download Signed File',
			name: 'downloadSignedFile',
			type: 'boolean',
			default: true,
			description: 'Whether to attach the signed PDF as binary when the document is signed',
		},
		{
			displayName: 'Put Signed File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			description: 'The name of the output binary field for the signed PDF',
		},
	],
};

export const waitProperties: INodeProperties[] = [waitOptionsProperty, limitWaitTimeProperty];

export interface WaitOptions {
	downloadSignedFile?: boolean;
	binaryPropertyName?: string;
}

/**
 * Who the signing link is for, as the waiting hint names them: the Signer Name the request
 * pre-fills, else the Signer E-Mail it is sent to, else just "Signer".
 */
export function signerLabel(rules: IDataObject): string {
	for (const value of [rules.guiSignerName, rules.emailTo]) {
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
	}
	return 'Signer';
}

export function assertSingleItem(ctx: IExecuteFunctions): void {
	requireSingleItem(ctx, 'signature request', 'Use Create with the OKdokument Trigger');
}

/** Claims the custom-data keys before anything is sent (shared/resume.ts). */
export function reserveWaitKeys(ctx: IExecuteFunctions): void {
	reserveCustomData(ctx, [WAITING_FOR_DOCUMENT, WAITING_FOR_ROUND]);
}

/** The resume proof (shared/resume.ts), keyed by the credential's API key. */
export const okDokumentResumeProof = vendorResumeProof(
	'okdokument',
	'okDokumentApi',
	(credentials) => String(credentials.apiKey ?? ''),
);

/** The wait ends at the limit, or shortly after an explicit expiry of the signing link. */
export function capAtExpiry(waitTill: Date, expiresAt: unknown): Date {
	const expiry = typeof expiresAt === 'string' ? Date.parse(expiresAt) : NaN;
	if (!Number.isFinite(expiry)) return waitTill;
	const end = expiry + EXPIRY_GRACE_MS;
	return end < waitTill.getTime() ? new Date(end) : waitTill;
}

/**
 * Records what the execution waits for, in the execution's custom data (saved with the waiting
 * execution and read back by the resume call in whichever process takes it), then waits. The
 * output before the wait is `waiting` plus `waitingFor`; its signing link is also shown as a note
 * in the editor (showSigningLinks), which hides a waiting node's output.
 */
export async function waitForOutcome(
	this: IExecuteFunctions,
	waiting: IDataObject,
	waitTill: Date,
	signer = 'Signer',
): Promise<INodeExecutionData[][]> {
	const documentId = typeof waiting.documentId === 'string' ? waiting.documentId : '';
	const round = typeof waiting.signatureRequestId === 'string' ? waiting.signatureRequestId : '';
	// The keys were reserved before anything was sent (reserveWaitKeys).
	const data = executionCustomData(this);
	if (documentId) data.set(WAITING_FOR_DOCUMENT, documentId);
	if (round) data.set(WAITING_FOR_ROUND, round);
	if (typeof waiting.signingUrl === 'string') {
		showSigningLinks(this, 'Signing link (send it to the signer):', [
			{ label: signer, url: waiting.signingUrl },
		]);
	}
	endAtLimitWith(this, waitTill, waiting);
	await this.putExecutionToWait(waitTill);
	return [
		[
			{
				json: { ...waiting, waitingFor: 'the signer to sign or cancel' },
				pairedItem: { item: 0 },
			},
		],
	];
}

/**
 * Wait for Signature when the document is already final: `outcome` plus the normalized event built
 * from the metadata (as the Polling Trigger builds it; `raw` is the metadata, no callback exists).
 */
export async function immediateOutcome(
	this: IExecuteFunctions,
	metadata: DocumentMetadata & { state: TerminalState },
): Promise<INodeExecutionData> {
	// errorsendinfo hides what the signer did; the signed PDF tells it where it can (hiddenOutcome.ts).
	const recovery =
		metadata.state === 'errorsendinfo'
			? await resolveHiddenOutcome.call(this, metadata)
			: undefined;
	const outcome = recovery && recovery.outcome !== 'unknown' ? recovery.outcome : metadata.state;
	const event = pollEvent(metadata, await credentialBaseUrl.call(this), new Date(), recovery);
	const item: INodeExecutionData = {
		json: { outcome, ...event } as unknown as IDataObject,
		pairedItem: { item: 0 },
	};
	const options = this.getNodeParameter('waitOptions', 0, {}) as WaitOptions;
	if (options.downloadSignedFile !== false && outcome === 'signed') {
		item.binary = await signedFileBinary.call(this, metadata.id, event, {
			storedName: metadata.filename,
			binaryPropertyName: options.binaryPropertyName,
			itemIndex: 0,
		});
	}
	return item;
}

export { computeWaitTill };
