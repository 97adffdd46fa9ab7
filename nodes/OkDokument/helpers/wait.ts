/**
 * Send and Wait for Signature / Wait for Signature: the execution waits in n8n's waiting state
 * (`putExecutionToWait`, resumed through `$execution.resumeUrl`), and OKdokument's one sendInfo
 * callback (docs/vendor-apis.md › OKdokument › Callback), sent to that resume URL, resumes it once
 * the document's own metadata (`GET /JSON/document/metadata/{id}`) confirms a final state.
 */
import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import type { EsignEventOutput } from '../../shared/events';
import { binaryFieldName, emitVerified } from '../../shared/callback';
import { describeFailure } from '../../shared/http';
import {
	executionCustomData,
	readCustomData,
	reserveCustomData,
	vendorResumeProof,
} from '../../shared/resume';
import {
	computeWaitTill,
	endAtLimitWith,
	limitWaitTimeProperty,
	showSigningLinks,
	requireSingleItem,
} from '../../shared/wait';
import {
	acknowledge,
	badRequest,
	headersForAudit,
	readJsonObjectBody,
	refuseBody,
	tryLater,
	unauthorized,
} from '../../shared/webhook';
import { credentialBaseUrl, fetchDocumentMetadata, okDokumentDownload } from '../transport';
import { type ParsedCallback, parseCallback, toEsignEvent } from './callback';
import { resolveHiddenOutcome } from './hiddenOutcome';
import { pollEvent } from './poll';
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

interface WaitOptions {
	downloadSignedFile?: boolean;
	binaryPropertyName?: string;
}

function readWaitOptions(ctx: IWebhookFunctions): WaitOptions {
	return (ctx.getNodeParameter('waitOptions', {}) ?? {}) as WaitOptions;
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
		item.binary = await signedPdf.call(this, metadata.id, metadata, event, options, 0);
	}
	return item;
}

function stored(ctx: IWebhookFunctions, key: string): string | undefined {
	return readCustomData(ctx, key) || undefined;
}

/**
 * Whether the callback is about what this execution waits for: its document, and, when the round
 * is known, its signature request. A callback without a signatureRequestId is judged by the
 * document alone.
 */
export function isAwaited(
	callback: ParsedCallback,
	expected: { documentId?: string; round?: string },
): boolean {
	if (!expected.documentId && !expected.round) return false;
	if (expected.documentId && callback.id !== expected.documentId) return false;
	if (expected.round && callback.signatureRequestId !== undefined) {
		return callback.signatureRequestId === expected.round;
	}
	return expected.documentId !== undefined;
}

/**
 * The outcome the verified metadata supports, or undefined to keep waiting. `signed` and
 * `canceled` must agree with the callback's own state when it names one (a contradiction is a
 * forgery or a stale callback). `errorsendinfo` hides the outcome, so it cannot contradict.
 */
export function verifiedOutcome(
	callback: ParsedCallback,
	metadata: DocumentMetadata,
): TerminalState | undefined {
	if (!isTerminalState(metadata.state)) return undefined;
	if (metadata.state === 'errorsendinfo') return 'errorsendinfo';
	if (callback.state !== undefined && callback.state !== metadata.state) return undefined;
	return metadata.state;
}

/** The normalized event for a verified outcome. */
export function resumeEvent(
	callback: ParsedCallback,
	outcome: TerminalState,
	raw: { body: unknown; headers: IDataObject; query: IDataObject },
	receivedAt: Date,
	baseUrl: string,
	metadata: DocumentMetadata,
): EsignEventOutput {
	if (outcome !== 'errorsendinfo') {
		return toEsignEvent(callback, outcome, raw, receivedAt, baseUrl, metadata);
	}
	const event = pollEvent(metadata, baseUrl, receivedAt);
	event.raw = raw;
	if (callback.signatureRequestId) {
		event.signer = { id: callback.signatureRequestId };
		event.dedupeKey = `${event.dedupeKey}${callback.signatureRequestId}`;
	}
	return event;
}

/**
 * The resume endpoint. A call without the package's resume proof gets 401 (where n8n signs resume
 * URLs, it has checked its own signature too). A malformed body gets 400; a callback for another
 * document or round, or one the metadata does not bear out, gets 200 and the execution keeps
 * waiting. Only a final state read back from OKdokument resumes it.
 */
export async function resumeOnOutcome(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const receivedAt = new Date();
	if (!(await okDokumentResumeProof.isCarriedBy(this))) return unauthorized(this);
	const body = readJsonObjectBody(this);
	if (!body.ok) return refuseBody(this, body);
	const parsed = parseCallback(body.body);
	if (!parsed.ok) return badRequest(this, parsed.problem);
	const callback = parsed.callback;
	const expected = {
		documentId: stored(this, WAITING_FOR_DOCUMENT),
		round: stored(this, WAITING_FOR_ROUND),
	};
	if (!isAwaited(callback, expected)) return acknowledge(this);

	let metadata: DocumentMetadata;
	try {
		// One attempt, bounded: OKdokument waits for this answer and never calls again.
		metadata = await fetchDocumentMetadata.call(this, callback.id, undefined, { retry: false });
	} catch (error) {
		// 404: unknown or deleted document, nothing to confirm. Anything else: non-2xx, so the
		// document at least shows "errorsendinfo" (Document → Get / Get Many find it).
		if (describeFailure(error).status === 404) return acknowledge(this);
		this.logger.warn('OKdokument callback could not be verified', {
			id: callback.id,
			error: (error as Error).message,
		});
		return tryLater(this, 'Could not verify the callback');
	}
	const outcome = verifiedOutcome(callback, metadata);
	if (outcome === undefined) return acknowledge(this);

	const event = resumeEvent(
		callback,
		outcome,
		{ body: body.body, headers: headersForAudit(this.getHeaderData()), query: {} },
		receivedAt,
		await credentialBaseUrl.call(this),
		metadata,
	);
	const options = readWaitOptions(this);
	// Answered before the (possibly slow) download: a late answer turns the document into
	// "errorsendinfo" at OKdokument.
	return await emitVerified(this, {
		item: { json: { outcome, ...(event as unknown as IDataObject) } },
		answer: 'now',
		files:
			options.downloadSignedFile !== false && outcome === 'signed'
				? async () => await signedPdf.call(this, callback.id, metadata, event, options)
				: undefined,
		secrets: [await okDokumentResumeProof.key(this)],
	});
}

/** The signed PDF in the chosen field; the event's file entry takes its real name. */
async function signedPdf(
	this: IWebhookFunctions | IExecuteFunctions,
	documentId: string,
	metadata: DocumentMetadata,
	event: EsignEventOutput,
	options: WaitOptions,
	itemIndex?: number,
): Promise<Record<string, IBinaryData>> {
	const file = await okDokumentDownload.call(this, documentId, {
		storedName: metadata.filename,
		itemIndex,
	});
	if (event.files?.[0] && file.fileName) event.files[0].name = file.fileName;
	return { [binaryFieldName(options.binaryPropertyName)]: file };
}

export { computeWaitTill };
