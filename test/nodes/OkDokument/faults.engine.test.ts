// OKdokument under injected faults (test/sandbox/frame.mjs), through n8n's engine over real HTTP:
// read-only calls recover within a bounded number of retries (Retry-After honoured, 5xx, a reset
// connection, a hang past the request timeout, a slow body); creates and uploads are sent exactly
// once whatever happens (the emulator's log and its documents prove it); a timeout ends with a
// clear error; a download cut short never becomes a binary.
import { MAX_RETRIES, MAX_TIMEOUT_RETRIES, requestTimeouts } from '../../../nodes/shared/http';
import { errorOf, outputOf } from '../../helpers/engine';
import { startSandbox, type Sandbox } from '../../helpers/sandbox';
import {
	apiRequests,
	clearLog,
	createRequest,
	emulatorDocuments,
	fileItem,
	runOkDokument,
	samplePdf,
	signerAction,
} from './harness';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['okdokument']);
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

async function fault(match: Record<string, unknown>, action: Record<string, unknown>) {
	await sandbox.control('okdokument', 'POST', '/__faults', { match, action });
}

/** Short request time limits for the hang tests; restored afterwards. */
function shortTimeouts(ms: number) {
	const saved = { ...requestTimeouts };
	beforeAll(() => Object.assign(requestTimeouts, { defaultMs: ms, downloadMs: ms }));
	afterAll(() => Object.assign(requestTimeouts, saved));
}

const get = (documentId: string) => ({ resource: 'document', operation: 'get', documentId });
const download = (documentId: string) => ({
	resource: 'document',
	operation: 'download',
	documentId,
	binaryPropertyName: 'data',
});
const create = {
	resource: 'signatureRequest',
	operation: 'create',
	documentSource: 'upload',
	fileSource: 'binary',
	binaryPropertyName: 'data',
};
const metadataPath = (documentId: string) => `^/JSON/document/metadata/${documentId}$`;
const documentPath = (documentId: string) => `^/JSON/document/${documentId}$`;

async function countOf(path: string): Promise<number> {
	return (await apiRequests(sandbox)).filter((r) => r.path === path).length;
}

describe('read-only calls recover', () => {
	it('waits out a 429 with Retry-After: 1 and then succeeds', async () => {
		const { documentId } = await createRequest(sandbox, pdf);
		await clearLog(sandbox);
		await fault(
			{ method: 'GET', path: metadataPath(documentId), times: 1 },
			{
				status: 429,
				retryAfter: 1,
			},
		);
		const started = Date.now();
		const run = await runOkDokument(sandbox, get(documentId));
		expect(errorOf(run)).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(outputOf(run)[0].json).toMatchObject({ id: documentId, state: 'tosign' });
		expect(await countOf(`/JSON/document/metadata/${documentId}`)).toBe(2);
	});

	it.each([500, 502, 503])('retries a list through an HTTP %i', async (status) => {
		await fault({ method: 'GET', path: '^/JSON/list/flat$', times: 1 }, { status, retryAfter: 0 });
		const run = await runOkDokument(sandbox, {
			resource: 'document',
			operation: 'getAll',
			state: '*',
			returnAll: true,
		});
		expect(errorOf(run)).toBeUndefined();
		expect(await countOf('/JSON/list/flat')).toBe(2);
	});

	it('retries a download whose connection is reset before the headers', async () => {
		const created = await createRequest(sandbox, pdf);
		await signerAction(sandbox, created.signatureRequestId);
		await clearLog(sandbox);
		await fault(
			{ method: 'GET', path: documentPath(created.documentId), times: 1 },
			{ drop: 'before-headers' },
		);
		const run = await runOkDokument(sandbox, download(created.documentId));
		expect(errorOf(run)).toBeUndefined();
		const bytes = Buffer.from(outputOf(run)[0].binary!.data.data, 'base64');
		expect(bytes.subarray(0, pdf.length).equals(pdf)).toBe(true);
		expect(bytes.length).toBeGreaterThan(pdf.length);
		expect(await countOf(`/JSON/document/${created.documentId}`)).toBe(2);
	});

	it('takes a slowly dripping body as a whole file', async () => {
		const created = await createRequest(sandbox, pdf);
		await clearLog(sandbox);
		await fault(
			{ method: 'GET', path: documentPath(created.documentId), times: 1 },
			{ slowBodyMs: 400 },
		);
		const run = await runOkDokument(sandbox, download(created.documentId));
		expect(errorOf(run)).toBeUndefined();
		const bytes = Buffer.from(outputOf(run)[0].binary!.data.data, 'base64');
		expect(bytes.equals(pdf)).toBe(true);
		expect(await countOf(`/JSON/document/${created.documentId}`)).toBe(1);
	});

	it(`gives up after ${MAX_RETRIES} retries of a read that keeps failing`, async () => {
		const { documentId } = await createRequest(sandbox, pdf);
		await clearLog(sandbox);
		await fault({ method: 'GET', path: metadataPath(documentId) }, { status: 503, retryAfter: 0 });
		const run = await runOkDokument(sandbox, get(documentId));
		const error = errorOf(run);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('Item 0: OKdokument answered HTTP 503');
		expect(await countOf(`/JSON/document/metadata/${documentId}`)).toBe(1 + MAX_RETRIES);
	});

	describe('with a 400 ms request timeout', () => {
		shortTimeouts(400);

		it('retries a read that hangs past the timeout', async () => {
			const { documentId } = await createRequest(sandbox, pdf);
			await clearLog(sandbox);
			await fault({ method: 'GET', path: metadataPath(documentId), times: 1 }, { hangMs: 3000 });
			const run = await runOkDokument(sandbox, get(documentId));
			expect(errorOf(run)).toBeUndefined();
			expect(outputOf(run)[0].json).toMatchObject({ id: documentId });
			expect(await countOf(`/JSON/document/metadata/${documentId}`)).toBe(2);
		});

		it('ends a read that always hangs with a clear timeout error, after one more try', async () => {
			const { documentId } = await createRequest(sandbox, pdf);
			await clearLog(sandbox);
			await fault({ method: 'GET', path: metadataPath(documentId) }, { hangMs: 3000 });
			const run = await runOkDokument(sandbox, get(documentId));
			const error = errorOf(run);
			expect(error?.name).toBe('NodeApiError');
			expect(error?.message).toBe('Item 0: OKdokument did not answer within 0.4 s (timeout)');
			expect(error?.description).toBe('The request was read-only and can be run again.');
			expect(error?.context?.itemIndex).toBe(0);
			// Tried once more, not MAX_RETRIES times: a hanging server would stall the run for minutes.
			expect(await countOf(`/JSON/document/metadata/${documentId}`)).toBe(1 + MAX_TIMEOUT_RETRIES);
		}, 30_000);

		it('ends a create that hangs with a timeout error that warns it may have arrived, sent once', async () => {
			const before = (await emulatorDocuments(sandbox)).length;
			await fault({ method: 'POST', path: '^/JSON/signatureRequest$' }, { hangMs: 3000 });
			const run = await runOkDokument(sandbox, create, [fileItem(pdf)]);
			const error = errorOf(run);
			expect(error?.name).toBe('NodeApiError');
			expect(error?.message).toBe(
				'Item 0: OKdokument did not answer within 0.4 s (timeout); check at OKdokument before sending it again',
			);
			expect(error?.description).toBe(
				'The request may still have reached OKdokument; check there before sending it again.',
			);
			expect(await countOf('/JSON/signatureRequest')).toBe(1);
			expect(await emulatorDocuments(sandbox)).toHaveLength(before);
		});
	});
});

describe('creates and uploads are never sent twice', () => {
	it.each([
		[
			'HTTP 429 with Retry-After',
			{ status: 429, retryAfter: 0 },
			'Item 0: OKdokument rate limit reached (HTTP 429)',
		],
		['HTTP 500', { status: 500 }, 'Item 0: OKdokument answered HTTP 500'],
		['HTTP 502', { status: 502 }, 'Item 0: OKdokument answered HTTP 502'],
		['HTTP 503', { status: 503, retryAfter: 0 }, 'Item 0: OKdokument answered HTTP 503'],
		[
			'a connection reset',
			{ drop: 'before-headers' },
			'Item 0: Could not reach OKdokument: the connection was closed unexpectedly; check at OKdokument before sending it again',
		],
	])(
		'a create answered with %s fails after one attempt and leaves no document',
		async (_l, action, message) => {
			const before = (await emulatorDocuments(sandbox)).length;
			await fault({ method: 'POST', path: '^/JSON/signatureRequest$' }, action);
			const run = await runOkDokument(sandbox, create, [fileItem(pdf)]);
			const error = errorOf(run);
			expect(error?.name).toBe('NodeApiError');
			expect(error?.message).toBe(message);
			expect(error?.context?.itemIndex).toBe(0);
			expect(await countOf('/JSON/signatureRequest')).toBe(1);
			expect(await emulatorDocuments(sandbox)).toHaveLength(before);
		},
	);

	it('a create whose answer is cut off mid-body was made once, and is not sent again', async () => {
		const before = (await emulatorDocuments(sandbox)).length;
		await fault({ method: 'POST', path: '^/JSON/signatureRequest$' }, { drop: 'mid-body' });
		const run = await runOkDokument(sandbox, create, [fileItem(pdf)]);
		expect(errorOf(run)?.name).toBe('NodeApiError');
		expect(errorOf(run)?.message).toMatch(/^Item 0: /);
		expect(outputOf(run)).toEqual([]);
		expect(await countOf('/JSON/signatureRequest')).toBe(1);
		// The emulator did create it: exactly one new document, not two.
		expect(await emulatorDocuments(sandbox)).toHaveLength(before + 1);
	});

	it('an upload answered 429 is not retried either', async () => {
		await fault({ method: 'POST', path: '^/JSON/upload$' }, { status: 429, retryAfter: 0 });
		const run = await runOkDokument(
			sandbox,
			{ resource: 'document', operation: 'upload', fileSource: 'binary', uploadMode: 'storage' },
			[fileItem(pdf)],
		);
		expect(errorOf(run)?.message).toBe('Item 0: OKdokument rate limit reached (HTTP 429)');
		expect(await apiRequests(sandbox)).toHaveLength(1);
	});
});

describe('a download cut short never becomes a binary', () => {
	it.each([
		['dropped mid-body', { drop: 'mid-body' }],
		['truncated after 100 bytes', { truncateAt: 100 }],
	])('fails a download %s', async (_label, action) => {
		const created = await createRequest(sandbox, pdf);
		await clearLog(sandbox);
		await fault({ method: 'GET', path: documentPath(created.documentId), times: 1 }, action);
		const run = await runOkDokument(sandbox, download(created.documentId));
		const error = errorOf(run);
		expect(error?.message).toBe(
			'Item 0: The download of "agreement.pdf" from OKdokument was interrupted',
		);
		expect(error?.description).toMatch(/^The connection closed before the whole file arrived/);
		expect(error?.context?.itemIndex).toBe(0);
		expect(outputOf(run)).toEqual([]);
		// A body cut off after the headers is not retried: the bytes may have been partly stored.
		expect(await countOf(`/JSON/document/${created.documentId}`)).toBe(1);
	});

	it('with "On Error: continue" the item carries the error and no binary', async () => {
		const created = await createRequest(sandbox, pdf);
		await clearLog(sandbox);
		await fault(
			{ method: 'GET', path: documentPath(created.documentId), times: 1 },
			{ drop: 'mid-body' },
		);
		const run = await runOkDokument(sandbox, download(created.documentId), undefined, {
			node: { onError: 'continueRegularOutput' },
		});
		expect(errorOf(run)).toBeUndefined();
		const [item] = outputOf(run);
		expect(item.json.error).toBe(
			'Item 0: The download of "agreement.pdf" from OKdokument was interrupted',
		);
		expect(item.binary).toBeUndefined();
		expect(item.pairedItem).toEqual({ item: 0 });
	});
});
