/**
 * What the signer did with a document whose state shows only `errorsendinfo` (docs/vendor-apis.md ›
 * OKdokument › States): OKdokument's one sendInfo callback failed, and the state no longer says
 * signed or canceled.
 *
 * Confirmed by the vendor's documentation:
 * - `errorsendinfo` follows a failed callback after Submit or Cancel, and hides which it was.
 * - `GET /JSON/document/{id}` serves the current file, the signed one once signed. The metadata and
 *   the list carry no outcome field.
 * - Only a signed document can start another round (`changeState: "tosign"`), so one file can hold
 *   the signatures of earlier rounds.
 * Inferred (not documented):
 * - Submit leaves a PDF signature (a signature dictionary, pdfSignatures.ts) dated by its `/M`;
 *   Cancel adds none. A `tostamp` document also gets the service's own stamp, very likely a PDF
 *   signature too, made right after the upload.
 * - `date` is the upload time, on the same clock as `/M`.
 *
 * So the signal is a signature made after this round began. Anything that cannot be placed in time
 * is not read either way, and the answer is then 'unknown': a signature without a zoned `/M`, one
 * within a minute of the upload (perhaps the stamp), one too close to the round start for the two
 * clocks. A file without any signature, or with only signatures older than the round, reads as
 * canceled. The first round is bounded by the upload; a later round only by a caller who knows when
 * it began (`roundStartedAt`): without that, a signature from an earlier round reads as this
 * round's.
 */
import { type ApiContext, describeFailure } from '../../shared/http';
import { fetchDocumentBytes } from '../transport';
import { findPdfSignatures } from './pdfSignatures';
import { type DocumentMetadata, type OutcomeState, isOutcomeState } from './types';
import { isPdf } from './documentFile';

export type HiddenOutcome = OutcomeState | 'unknown';

export type HiddenOutcomeEvidence =
	/** The state itself is signed or canceled: nothing was hidden. */
	| 'state'
	/** A signature dated after the round began: signed. */
	| 'signature-this-round'
	/** No signature in the file: canceled. */
	| 'no-signature'
	/** Only signatures older than the round: canceled. */
	| 'only-earlier-signatures'
	/** A signature that cannot be placed before or after the round began: unknown. */
	| 'signature-unplaced'
	/** The poll saw the document signed before; its lost callback and a canceled next round look the same. */
	| 'seen-signed-before'
	| 'not-a-pdf'
	/** `GET /JSON/document/{id}` answered 404: deleted (retention) since it was listed. */
	| 'document-gone'
	/** Still open (`tosign`, `tags`, `tostamp`): there is no outcome yet. */
	| 'not-finished';

export interface HiddenOutcomeResult {
	outcome: HiddenOutcome;
	evidence: HiddenOutcomeEvidence;
	/** Signatures in the file, of every round (when the file was read). */
	signatures?: number;
	/** When signed: the newest signature of this round (ISO-8601, the signature's own `/M`). */
	signedAt?: string;
}

export interface RoundBounds {
	/** Epoch ms of the upload (the metadata's or list entry's `date`, OKdokument's clock). */
	uploadedAt?: number;
	/**
	 * Epoch ms (the caller's clock) no earlier than the end of the previous round and no later than
	 * this round's outcome: when the round's request was created, or when the document was last
	 * seen in an earlier outcome.
	 */
	roundStartedAt?: number;
}

/** A signature this soon after the upload may be OKdokument's stamp (`tostamp`), not the signer's. */
export const STAMP_WINDOW_MS = 60_000;
/** How far apart the caller's clock and OKdokument's may be. */
export const CLOCK_SKEW_MS = 120_000;

type Placement = 'earlier' | 'this-round' | 'unplaced';

function place(signedAt: number | undefined, bounds: RoundBounds): Placement {
	const { uploadedAt, roundStartedAt } = bounds;
	if (signedAt === undefined) return 'unplaced';
	if (roundStartedAt !== undefined) {
		if (signedAt < roundStartedAt - CLOCK_SKEW_MS) return 'earlier';
		if (signedAt <= roundStartedAt + CLOCK_SKEW_MS) return 'unplaced';
	}
	// The upload only bounds from below: were `date` ever the time of the last change rather than
	// the upload, a signature before it would be this round's, so it is never read as earlier.
	if (uploadedAt !== undefined && signedAt <= uploadedAt + STAMP_WINDOW_MS) return 'unplaced';
	if (uploadedAt === undefined && roundStartedAt === undefined) return 'unplaced';
	return 'this-round';
}

/** The outcome a file shows (see the top of this file). Pure: the bytes and the bounds only. */
export function readHiddenOutcome(bytes: Buffer, bounds: RoundBounds): HiddenOutcomeResult {
	if (!isPdf(bytes)) return { outcome: 'unknown', evidence: 'not-a-pdf' };
	const signatures = findPdfSignatures(bytes);
	if (signatures.length === 0) {
		return { outcome: 'canceled', evidence: 'no-signature', signatures: 0 };
	}
	const placed = signatures.map((signature) => ({
		at: signature.signedAt,
		placement: place(signature.signedAt, bounds),
	}));
	const thisRound = placed
		.filter((signature) => signature.placement === 'this-round')
		.map((signature) => signature.at as number);
	if (thisRound.length > 0) {
		return {
			outcome: 'signed',
			evidence: 'signature-this-round',
			signatures: signatures.length,
			signedAt: new Date(Math.max(...thisRound)).toISOString(),
		};
	}
	if (placed.some((signature) => signature.placement === 'unplaced')) {
		return { outcome: 'unknown', evidence: 'signature-unplaced', signatures: signatures.length };
	}
	return {
		outcome: 'canceled',
		evidence: 'only-earlier-signatures',
		signatures: signatures.length,
	};
}

const PLAUSIBLE_MS = /^\d{13}$/;

/**
 * The upload time: `date`, or the document `number` when that is earlier (both look like epoch ms
 * of the upload in the vendor's examples; the earlier one is the safer lower bound).
 */
export function uploadTime(
	document: Pick<DocumentMetadata, 'date' | 'number'>,
): number | undefined {
	const candidates = [document.date, document.number]
		.map((value) => String(value ?? ''))
		.filter((value) => PLAUSIBLE_MS.test(value))
		.map(Number);
	return candidates.length > 0 ? Math.min(...candidates) : undefined;
}

/**
 * Reads what an `errorsendinfo` document's signer did. Downloads the file only for that state; a
 * document that shows signed or canceled is answered from its state. A 404 (deleted since it was
 * listed) is 'unknown'; any other failure is thrown, so the caller can try again.
 */
export async function resolveHiddenOutcome(
	this: ApiContext,
	document: DocumentMetadata,
	{ roundStartedAt }: { roundStartedAt?: number } = {},
): Promise<HiddenOutcomeResult> {
	if (isOutcomeState(document.state)) return { outcome: document.state, evidence: 'state' };
	if (document.state !== 'errorsendinfo') return { outcome: 'unknown', evidence: 'not-finished' };
	// vendorRequest has already made any failure a NodeApiError; only a 404 is an answer here.
	const bytes = await fetchDocumentBytes.call(this, document.id).catch((error: unknown) => {
		if (describeFailure(error).status === 404) return undefined;
		throw error;
	});
	if (bytes === undefined) return { outcome: 'unknown', evidence: 'document-gone' };
	return readHiddenOutcome(bytes, { uploadedAt: uploadTime(document), roundStartedAt });
}
