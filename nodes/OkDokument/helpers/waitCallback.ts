/**
 * The resume endpoint of Send and Wait / Wait for Signature: OKdokument's one sendInfo callback
 * (docs/vendor-apis.md › OKdokument › Callback), sent to the execution's resume URL, resumes it
 * once the document's own metadata (`GET /JSON/document/metadata/{id}`) confirms a final state.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import type { EsignEventOutput } from '../../shared/events';
import { emitVerified } from '../../shared/callback';
import { describeFailure } from '../../shared/http';
import { readCustomData } from '../../shared/resume';
import {
	acknowledge,
	badRequest,
	headersForAudit,
	readJsonObjectBody,
	refuseBody,
	tryLater,
	unauthorized,
} from '../../shared/webhook';
import { credentialBaseUrl, fetchDocumentMetadata } from '../transport';
import { type ParsedCallback, parseCallback, toEsignEvent } from './callback';
import { pollEvent } from './poll';
import { signedFileBinary } from './signedFile';
import type { DocumentMetadata } from './types';
import {
	type TerminalState,
	type WaitOptions,
	WAITING_FOR_DOCUMENT,
	WAITING_FOR_ROUND,
	isTerminalState,
	okDokumentResumeProof,
} from './wait';

function readWaitOptions(ctx: IWebhookFunctions): WaitOptions {
	return (ctx.getNodeParameter('waitOptions', {}) ?? {}) as WaitOptions;
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
				? async () =>
						await signedFileBinary.call(this, callback.id, event, {
							storedName: metadata.filename,
							binaryPropertyName: options.binaryPropertyName,
						})
				: undefined,
		secrets: [await okDokumentResumeProof.key(this)],
	});
}
