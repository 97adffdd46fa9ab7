// Documentolog under injected faults (test/sandbox/frame.mjs), through n8n's engine over real HTTP.
// Its only API call, `POST /json/external/oauth/token`, creates a legally binding document and is
// sent exactly once whatever happens (the emulator's log and documents prove it); file downloads
// are read-only and recover within a bounded number of retries (Retry-After honoured, 5xx, a reset
// connection, a hang past the request timeout, a slow body); a download cut short never becomes a
// binary.
import type { INodeParameters } from 'n8n-workflow';
import { MAX_RETRIES, requestTimeouts } from '../../../nodes/shared/http';
import { errorOf, outputOf } from '../../helpers/engine';
import { startSandbox, type Sandbox } from '../../helpers/sandbox';
import {
	type EmulatorDoc,
	apiRequests,
	attachmentUrl,
	clearLog,
	completedDoc,
	completionOf,
	createParameters,
	runDocumentolog,
	SIGNED_MARK,
} from './harness';

const CREATE_PATH = '/json/external/oauth/token';

let sandbox: Sandbox;
let completion: Record<string, unknown>;

beforeAll(async () => {
	sandbox = await startSandbox(['documentolog']);
	const doc = await completedDoc(sandbox, { attachmentUrls: [attachmentUrl(sandbox)] });
	completion = completionOf(doc);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

async function fault(match: Record<string, unknown>, action: Record<string, unknown>) {
	await sandbox.control('documentolog', 'POST', '/__faults', { match, action });
}

function shortTimeouts(ms: number) {
	const saved = { ...requestTimeouts };
	beforeAll(() => Object.assign(requestTimeouts, { defaultMs: ms, downloadMs: ms }));
	afterAll(() => Object.assign(requestTimeouts, saved));
}

const docs = async () => await sandbox.control<EmulatorDoc[]>('documentolog', 'GET', '/__docs');
const downloadParameters = (): INodeParameters => ({
	resource: 'document',
	operation: 'downloadFiles',
	completionEvent: JSON.stringify(completion),
	fileKind: 'signed',
	which: 'all',
	binaryPropertyName: 'data',
});
const DOWNLOAD = '^/external/media/download-eds/';
const downloads = async () =>
	(await apiRequests(sandbox)).filter((r) => r.path.startsWith('/external/media/download-eds/'));
const creates = async () => (await apiRequests(sandbox)).filter((r) => r.path === CREATE_PATH);

function signedFile(run: Awaited<ReturnType<typeof runDocumentolog>>): Buffer {
	expect(errorOf(run)).toBeUndefined();
	const [item] = outputOf(run);
	return Buffer.from(item.binary!.data.data, 'base64');
}

describe('the create is never sent twice', () => {
	it.each([
		[
			'HTTP 429 with Retry-After',
			{ status: 429, retryAfter: 1 },
			'Item 0: Documentolog rate limit reached (HTTP 429)',
		],
		['HTTP 500', { status: 500 }, 'Item 0: Documentolog answered HTTP 500'],
		['HTTP 502', { status: 502, html: true }, 'Item 0: Documentolog answered HTTP 502'],
		[
			'HTTP 503',
			{ status: 503, body: { status: 0, message: 'Maintenance' } },
			'Item 0: Documentolog answered HTTP 503',
		],
		[
			'a connection reset',
			{ drop: 'before-headers' },
			'Item 0: Could not reach Documentolog: the connection was closed unexpectedly; check at Documentolog before sending it again',
		],
	])('%s: one attempt, a clear error, no document', async (_label, action, message) => {
		const before = (await docs()).length;
		await fault({ method: 'POST', path: `^${CREATE_PATH}$` }, action);
		const run = await runDocumentolog(sandbox, createParameters(sandbox));
		const error = errorOf(run);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe(message);
		expect(error?.context?.itemIndex).toBe(0);
		expect(await creates()).toHaveLength(1);
		expect(await docs()).toHaveLength(before);
	});

	it('an answer cut off mid-body: the document was made once and is not requested again', async () => {
		const before = (await docs()).length;
		await fault({ method: 'POST', path: `^${CREATE_PATH}$` }, { drop: 'mid-body' });
		const run = await runDocumentolog(sandbox, createParameters(sandbox));
		expect(errorOf(run)?.name).toBe('NodeApiError');
		expect(errorOf(run)?.message).toMatch(/^Item 0: /);
		expect(outputOf(run)).toEqual([]);
		expect(await creates()).toHaveLength(1);
		expect(await docs()).toHaveLength(before + 1);
	});

	it('with "On Error: continue" a failed create becomes an error item; the next item is still sent once', async () => {
		await fault({ method: 'POST', path: `^${CREATE_PATH}$`, times: 1 }, { status: 503 });
		const run = await runDocumentolog(
			sandbox,
			createParameters(sandbox),
			[{ json: {} }, { json: {} }],
			{
				node: { onError: 'continueRegularOutput' },
			},
		);
		expect(errorOf(run)).toBeUndefined();
		const output = outputOf(run);
		expect(output[0]).toMatchObject({
			json: { error: 'Item 0: Documentolog answered HTTP 503', httpCode: '503' },
			pairedItem: { item: 0 },
		});
		expect(output[1].json.accessToken).toEqual(expect.any(String));
		expect(await creates()).toHaveLength(2);
	});
});

describe('downloads recover', () => {
	it('waits out a 429 with Retry-After: 1', async () => {
		await fault({ method: 'GET', path: DOWNLOAD, times: 1 }, { status: 429, retryAfter: 1 });
		const started = Date.now();
		const bytes = signedFile(await runDocumentolog(sandbox, downloadParameters()));
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(bytes.toString('latin1')).toContain(SIGNED_MARK);
		expect(await downloads()).toHaveLength(2);
	});

	it.each([500, 502])('retries through an HTTP %i', async (status) => {
		await fault({ method: 'GET', path: DOWNLOAD, times: 1 }, { status, retryAfter: 0 });
		const bytes = signedFile(await runDocumentolog(sandbox, downloadParameters()));
		expect(bytes.toString('latin1')).toContain(SIGNED_MARK);
		expect(await downloads()).toHaveLength(2);
	});

	it('retries a connection reset before the headers', async () => {
		await fault({ method: 'GET', path: DOWNLOAD, times: 1 }, { drop: 'before-headers' });
		const bytes = signedFile(await runDocumentolog(sandbox, downloadParameters()));
		expect(bytes.toString('latin1')).toContain(SIGNED_MARK);
		expect(await downloads()).toHaveLength(2);
	});

	it('takes a slowly dripping body as a whole file', async () => {
		const whole = signedFile(await runDocumentolog(sandbox, downloadParameters()));
		await clearLog(sandbox);
		await fault({ method: 'GET', path: DOWNLOAD, times: 1 }, { slowBodyMs: 400 });
		const bytes = signedFile(await runDocumentolog(sandbox, downloadParameters()));
		expect(bytes.equals(whole)).toBe(true);
		expect(await downloads()).toHaveLength(1);
	});

	it(`gives up after ${MAX_RETRIES} retries of a download that keeps failing`, async () => {
		await fault({ method: 'GET', path: DOWNLOAD }, { status: 503, retryAfter: 0 });
		const run = await runDocumentolog(sandbox, downloadParameters());
		expect(errorOf(run)?.message).toBe('Item 0: Documentolog answered HTTP 503');
		expect(outputOf(run)).toEqual([]);
		expect(await downloads()).toHaveLength(1 + MAX_RETRIES);
	});

	describe('with a 400 ms request timeout', () => {
		shortTimeouts(400);

		it('retries a download that hangs past the timeout', async () => {
			await fault({ method: 'GET', path: DOWNLOAD, times: 1 }, { hangMs: 3000 });
			const bytes = signedFile(await runDocumentolog(sandbox, downloadParameters()));
			expect(bytes.toString('latin1')).toContain(SIGNED_MARK);
			expect(await downloads()).toHaveLength(2);
		});

		it('ends a create that hangs with a timeout error that warns it may have arrived, sent once', async () => {
			const before = (await docs()).length;
			await fault({ method: 'POST', path: `^${CREATE_PATH}$` }, { hangMs: 3000 });
			const run = await runDocumentolog(sandbox, createParameters(sandbox));
			const error = errorOf(run);
			expect(error?.message).toBe(
				'Item 0: Documentolog did not answer within 0.4 s (timeout); check at Documentolog before sending it again',
			);
			expect(error?.description).toBe(
				'The request may still have reached Documentolog; check there before sending it again.',
			);
			expect(await creates()).toHaveLength(1);
			expect(await docs()).toHaveLength(before);
		});
	});
});

describe('a download cut short never becomes a binary', () => {
	it.each([
		['dropped mid-body', { drop: 'mid-body' }],
		['truncated after 100 bytes', { truncateAt: 100 }],
	])('fails a download %s, without retrying it', async (_label, action) => {
		await fault({ method: 'GET', path: DOWNLOAD, times: 5 }, action);
		const run = await runDocumentolog(sandbox, downloadParameters());
		const error = errorOf(run);
		expect(error?.message).toBe(
			'Item 0: The download of "contract.pdf" from Documentolog was interrupted',
		);
		expect(error?.context?.itemIndex).toBe(0);
		expect(outputOf(run)).toEqual([]);
		expect(await downloads()).toHaveLength(1);
	});
});
