import type { IDataObject, IHttpRequestOptions, IPollFunctions } from 'n8n-workflow';
import {
	CLOCK_SKEW_MS,
	STAMP_WINDOW_MS,
	readHiddenOutcome,
	resolveHiddenOutcome,
	uploadTime,
} from '../../../../nodes/OkDokument/helpers/hiddenOutcome';
import {
	findPdfSignatures,
	parsePdfDate,
} from '../../../../nodes/OkDokument/helpers/pdfSignatures';
import { sandboxPdf } from '../../../helpers/pdf';

const UPLOAD = Date.UTC(2026, 4, 1, 8, 0, 0);
const MINUTE = 60_000;

// Real bytes from the sandbox's generator, built once (each call runs the generator).
const unsigned = sandboxPdf();
const signedOnce = sandboxPdf([{ signer: 'Ján Novák', signedAt: UPLOAD + 10 * MINUTE }]);
const signedTwice = sandboxPdf([
	{ signer: 'Ján Novák', signedAt: UPLOAD + 10 * MINUTE },
	{ signer: 'Ona Onaitė', signedAt: UPLOAD + 3 * 60 * MINUTE },
]);

/** Replaces text in the file without moving a byte (the byte ranges stay right). */
function patch(bytes: Buffer, from: string, to: string): Buffer {
	expect(to).toHaveLength(from.length);
	const text = bytes.toString('latin1');
	expect(text).toContain(from);
	return Buffer.from(text.split(from).join(to), 'latin1');
}

describe('findPdfSignatures', () => {
	it('finds none in an unsigned file, one per signed round, each with its signing time', () => {
		expect(findPdfSignatures(unsigned)).toEqual([]);
		expect(findPdfSignatures(signedOnce).map((s) => s.signedAt)).toEqual([UPLOAD + 10 * MINUTE]);
		expect(findPdfSignatures(signedTwice).map((s) => s.signedAt)).toEqual([
			UPLOAD + 10 * MINUTE,
			UPLOAD + 180 * MINUTE,
		]);
	});

	it('ignores /ByteRange text that does not frame a /Contents CMS of its own', () => {
		const text = Buffer.concat([
			unsigned,
			Buffer.from('\n%/ByteRange [0 10 20 30]\n9 0 obj\n<< /ByteRange [0 1 2 3] >>\nendobj\n'),
		]);
		expect(findPdfSignatures(text)).toEqual([]);
		// Contents that are not hex, or not a DER SEQUENCE: not a signature.
		expect(findPdfSignatures(patch(signedOnce, '<3082000B', '<XX82000B'))).toEqual([]);
		expect(findPdfSignatures(patch(signedOnce, '<3082000B', '<3182000B'))).toEqual([]);
		// A byte range that runs past the end of the file (cut off): not a signature.
		expect(findPdfSignatures(signedOnce.subarray(0, signedOnce.length - 40))).toEqual([]);
	});

	it('does not count a document timestamp, which nobody signed', () => {
		const timestamp = patch(
			signedOnce,
			'/SubFilter /ETSI.CAdES.detached',
			'/SubFilter /ETSI.RFC3161       ',
		);
		expect(findPdfSignatures(timestamp)).toEqual([]);
	});

	it('leaves a signature without /M undated', () => {
		const undated = patch(signedOnce, '/M (D:', '/X (D:');
		expect(findPdfSignatures(undated)).toEqual([expect.objectContaining({ signedAt: undefined })]);
	});
});

describe('parsePdfDate', () => {
	it('reads the zone, and refuses a date whose zone is not given', () => {
		expect(parsePdfDate("D:20260501100000+02'00'")).toBe(Date.UTC(2026, 4, 1, 8));
		expect(parsePdfDate("D:20260501100000-05'30'")).toBe(Date.UTC(2026, 4, 1, 15, 30));
		expect(parsePdfDate('D:20260501100000Z')).toBe(Date.UTC(2026, 4, 1, 10));
		expect(parsePdfDate("D:202605011000+01'00")).toBe(Date.UTC(2026, 4, 1, 9));
		expect(parsePdfDate('D:20260501100000')).toBeUndefined();
		expect(parsePdfDate('D:2026')).toBeUndefined();
		expect(parsePdfDate(undefined)).toBeUndefined();
	});
});

describe('readHiddenOutcome', () => {
	const first = { uploadedAt: UPLOAD };

	it('reads a file without a signature as canceled', () => {
		expect(readHiddenOutcome(unsigned, first)).toEqual({
			outcome: 'canceled',
			evidence: 'no-signature',
			signatures: 0,
		});
	});

	it('reads a signature made after the upload as signed, dated by the signature', () => {
		expect(readHiddenOutcome(signedOnce, first)).toEqual({
			outcome: 'signed',
			evidence: 'signature-this-round',
			signatures: 1,
			signedAt: new Date(UPLOAD + 10 * MINUTE).toISOString(),
		});
	});

	it('does not read a signature within a minute of the upload (perhaps the stamp) or before it', () => {
		const early = sandboxPdf([{ signedAt: UPLOAD + STAMP_WINDOW_MS / 2 }]);
		expect(readHiddenOutcome(early, first)).toMatchObject({
			outcome: 'unknown',
			evidence: 'signature-unplaced',
		});
		const preSigned = sandboxPdf([{ signedAt: UPLOAD - 60 * MINUTE }]);
		expect(readHiddenOutcome(preSigned, first).outcome).toBe('unknown');
	});

	it('tells a later round apart when the caller knows when it began', () => {
		const roundTwo = { uploadedAt: UPLOAD, roundStartedAt: UPLOAD + 60 * MINUTE };
		// Round 2 canceled: only round 1's signature is in the file.
		expect(readHiddenOutcome(signedOnce, roundTwo)).toEqual({
			outcome: 'canceled',
			evidence: 'only-earlier-signatures',
			signatures: 1,
		});
		// Round 2 signed: the newest signature is round 2's.
		expect(readHiddenOutcome(signedTwice, roundTwo)).toMatchObject({
			outcome: 'signed',
			signatures: 2,
			signedAt: new Date(UPLOAD + 180 * MINUTE).toISOString(),
		});
		// A signature too close to the round start for two clocks: not read either way.
		const close = { uploadedAt: UPLOAD, roundStartedAt: UPLOAD + 10 * MINUTE + CLOCK_SKEW_MS / 2 };
		expect(readHiddenOutcome(signedOnce, close).outcome).toBe('unknown');
	});

	it('answers unknown rather than guess: undated signature, no bounds, not a PDF', () => {
		expect(readHiddenOutcome(patch(signedOnce, '/M (D:', '/X (D:'), first).outcome).toBe('unknown');
		expect(readHiddenOutcome(signedOnce, {})).toMatchObject({
			outcome: 'unknown',
			evidence: 'signature-unplaced',
		});
		// An unsigned file needs no bounds: nothing in it can be a signature.
		expect(readHiddenOutcome(unsigned, {}).outcome).toBe('canceled');
		expect(readHiddenOutcome(Buffer.from('{"message":"err.not.found"}'), first)).toEqual({
			outcome: 'unknown',
			evidence: 'not-a-pdf',
		});
	});
});

describe('uploadTime', () => {
	it('takes the earlier of date and number when both are epoch ms', () => {
		expect(uploadTime({ date: 1655814644472, number: '1655814644463' })).toBe(1655814644463);
		expect(uploadTime({ date: 1655814644472, number: 'A-17' })).toBe(1655814644472);
		expect(uploadTime({})).toBeUndefined();
	});
});

describe('resolveHiddenOutcome', () => {
	/**
	 * A context whose document download answers with `answer` (bytes, or an HTTP status to fail
	 * with).
	 */
	function context(answer: Buffer | number, calls: IHttpRequestOptions[] = []): IPollFunctions {
		return {
			getNode: () => ({ name: 'OKdokument', type: 'okDokumentPollingTrigger', credentials: {} }),
			getCredentials: async () => ({
				environment: 'custom',
				baseUrl: 'https://okdokument.example',
				apiKey: 'example-key',
			}),
			helpers: {
				async httpRequestWithAuthentication(_type: string, options: IHttpRequestOptions) {
					calls.push(options);
					if (typeof answer === 'number') {
						throw Object.assign(new Error(`HTTP ${answer}`), {
							response: { status: answer, headers: {}, data: { message: 'err.not.found' } },
						});
					}
					return answer;
				},
			},
		} as unknown as IPollFunctions;
	}
	const listed = (state: string): IDataObject & { id: string; state: string } => ({
		id: 'doc-1',
		state,
		date: UPLOAD,
		number: String(UPLOAD),
	});

	it('downloads the file for an errorsendinfo document only, and reads the file', async () => {
		const calls: IHttpRequestOptions[] = [];
		const result = await resolveHiddenOutcome.call(
			context(signedOnce, calls),
			listed('errorsendinfo'),
		);
		expect(result).toMatchObject({ outcome: 'signed', evidence: 'signature-this-round' });
		expect(calls.map((call) => [call.method, call.url, call.encoding])).toEqual([
			['GET', '/JSON/document/doc-1', 'arraybuffer'],
		]);

		const none: IHttpRequestOptions[] = [];
		expect(await resolveHiddenOutcome.call(context(signedOnce, none), listed('canceled'))).toEqual({
			outcome: 'canceled',
			evidence: 'state',
		});
		expect(await resolveHiddenOutcome.call(context(signedOnce, none), listed('tosign'))).toEqual({
			outcome: 'unknown',
			evidence: 'not-finished',
		});
		expect(none).toEqual([]);
	});

	it('answers unknown for a deleted document, and throws any other failure', async () => {
		expect(await resolveHiddenOutcome.call(context(404), listed('errorsendinfo'))).toEqual({
			outcome: 'unknown',
			evidence: 'document-gone',
		});
		await expect(
			resolveHiddenOutcome.call(context(403), listed('errorsendinfo')),
		).rejects.toMatchObject({ httpCode: '403' });
	});
});
