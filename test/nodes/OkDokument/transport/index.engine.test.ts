// The OKdokument transport through the engine: GETs retried (honouring Retry-After), creates and
// uploads never, refused keys reported plainly, and the key kept out of the run data.
import { errorOf, outputOf } from '../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../helpers/sandbox';
import { stringifyRun } from '../../DokobitGateway/harness';
import {
	API_KEY,
	RESTRICTED_KEY,
	apiRequests,
	clearLog,
	createRequest,
	emulatorDocuments,
	fileItem,
	runOkDokument,
	samplePdf,
	signerAction,
} from '../harness';

/** A second key the emulator accepts, planted to be searched for in the run data. */
const PLANTED = 'example-planted-okdokument-key-7c2e';
const WRONG = 'example-wrong-okdokument-key-31d0';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['okdokument'], { options: { apiKeys: [API_KEY, PLANTED] } });
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

async function fault(match: Record<string, unknown>, action: Record<string, unknown>) {
	await sandbox.control('okdokument', 'POST', '/__faults', { match, action });
}

const get = (documentId: string) => ({ resource: 'document', operation: 'get', documentId });
const create = {
	resource: 'signatureRequest',
	operation: 'create',
	documentSource: 'upload',
	fileSource: 'binary',
	binaryPropertyName: 'data',
};

async function expectKeyHidden(run: Parameters<typeof stringifyRun>[0], key: string) {
	const sent = (await apiRequests(sandbox)).map((r) => r.headers['x-api-key']);
	expect(sent).toContain(key);
	const text = stringifyRun(run);
	expect(text.length).toBeGreaterThan(500);
	expect(text).not.toContain(key);
}

describe('retries of read-only calls', () => {
	it('waits out a 429 with Retry-After: 0 and then succeeds', async () => {
		const { documentId } = await createRequest(sandbox, pdf);
		await clearLog(sandbox);
		await fault(
			{ method: 'GET', path: '^/JSON/document/metadata/', times: 1 },
			{ status: 429, retryAfter: 0 },
		);
		const run = await runOkDokument(sandbox, get(documentId));
		expect(errorOf(run)).toBeUndefined();
		expect(outputOf(run)[0].json).toMatchObject({ id: documentId, state: 'tosign' });
		expect((await apiRequests(sandbox)).map((r) => r.path)).toEqual([
			`/JSON/document/metadata/${documentId}`,
			`/JSON/document/metadata/${documentId}`,
		]);
	});

	it('retries a list through a 503', async () => {
		await fault(
			{ method: 'GET', path: '^/JSON/list/flat$', times: 1 },
			{ status: 503, retryAfter: 0 },
		);
		const run = await runOkDokument(sandbox, {
			resource: 'document',
			operation: 'getAll',
			state: '*',
			returnAll: true,
		});
		expect(errorOf(run)).toBeUndefined();
		expect((await apiRequests(sandbox)).filter((r) => r.path === '/JSON/list/flat')).toHaveLength(
			2,
		);
	});

	it('retries a download dropped before the headers', async () => {
		const created = await createRequest(sandbox, pdf);
		await signerAction(sandbox, created.signatureRequestId);
		await clearLog(sandbox);
		await fault(
			{ method: 'GET', path: `^/JSON/document/${created.documentId}$`, times: 1 },
			{ drop: 'before-headers' },
		);
		const run = await runOkDokument(sandbox, {
			resource: 'document',
			operation: 'download',
			documentId: created.documentId,
			binaryPropertyName: 'data',
		});
		expect(errorOf(run)).toBeUndefined();
		const bytes = Buffer.from(outputOf(run)[0].binary!.data.data, 'base64');
		expect(bytes.subarray(0, pdf.length).equals(pdf)).toBe(true);
		expect(bytes.length).toBeGreaterThan(pdf.length);
	});

	it('fails a download cut off mid-body instead of keeping a truncated file', async () => {
		const created = await createRequest(sandbox, pdf);
		await clearLog(sandbox);
		await fault(
			{ method: 'GET', path: `^/JSON/document/${created.documentId}$`, times: 1 },
			{ drop: 'mid-body' },
		);
		const run = await runOkDokument(sandbox, {
			resource: 'document',
			operation: 'download',
			documentId: created.documentId,
			binaryPropertyName: 'data',
		});
		const error = errorOf(run);
		expect(error?.message).toBe('The download of "agreement.pdf" from OKdokument was interrupted');
		expect(error?.context?.itemIndex).toBe(0);
		expect(outputOf(run)).toEqual([]);
	});
});

describe('no retry of calls that are not idempotent', () => {
	it('fails a create answered 503 after exactly one attempt, leaving no document', async () => {
		const before = (await emulatorDocuments(sandbox)).length;
		await fault(
			{ method: 'POST', path: '^/JSON/signatureRequest$' },
			{ status: 503, retryAfter: 0 },
		);
		const run = await runOkDokument(sandbox, create, [fileItem(pdf)]);
		const error = errorOf(run);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('OKdokument answered HTTP 503');
		expect(error?.context?.itemIndex).toBe(0);
		expect(
			(await apiRequests(sandbox)).filter((r) => r.path === '/JSON/signatureRequest'),
		).toHaveLength(1);
		expect(await emulatorDocuments(sandbox)).toHaveLength(before);
	});

	it('does not retry an upload answered 429 either', async () => {
		await fault({ method: 'POST', path: '^/JSON/upload$' }, { status: 429, retryAfter: 0 });
		const run = await runOkDokument(
			sandbox,
			{ resource: 'document', operation: 'upload', fileSource: 'binary', uploadMode: 'storage' },
			[fileItem(pdf)],
		);
		expect(errorOf(run)?.message).toBe('OKdokument rate limit reached (HTTP 429)');
		expect(await apiRequests(sandbox)).toHaveLength(1);
	});
});

describe('credentials', () => {
	it('reports a wrong key as refused; the key appears nowhere in the run', async () => {
		const run = await runOkDokument(
			sandbox,
			{ resource: 'account', operation: 'getCounters' },
			undefined,
			{
				apiKey: WRONG,
			},
		);
		const error = errorOf(run);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('OKdokument refused the credentials (HTTP 401)');
		expect(error?.description).toBe('err.unauthorized');
		// n8n itself sends a 401-refused request once more after refreshing the credential; the
		// transport adds no retry of its own.
		expect(await apiRequests(sandbox)).toHaveLength(2);
		await expectKeyHidden(run, WRONG);
	});

	it('reports a key without permissions (403)', async () => {
		const run = await runOkDokument(
			sandbox,
			{ resource: 'account', operation: 'getCounters' },
			undefined,
			{
				apiKey: RESTRICTED_KEY,
			},
		);
		expect(errorOf(run)?.message).toBe('OKdokument refused the credentials (HTTP 403)');
		expect(errorOf(run)?.description).toBe('err.forbidden');
		expect(await apiRequests(sandbox)).toHaveLength(1);
	});

	it('keeps a planted key out of the data of a successful create', async () => {
		const run = await runOkDokument(sandbox, create, [fileItem(pdf)], { apiKey: PLANTED });
		expect(errorOf(run)).toBeUndefined();
		expect(outputOf(run)[0].json.signatureRequestId).toEqual(expect.any(String));
		await expectKeyHidden(run, PLANTED);
	});

	it('keeps a planted key out of a failing call whose error body echoes it', async () => {
		await fault(
			{ method: 'GET', path: '^/JSON/counter$' },
			{ status: 400, body: { message: 'err.bad.key', value: PLANTED } },
		);
		const run = await runOkDokument(
			sandbox,
			{ resource: 'account', operation: 'getCounters' },
			undefined,
			{
				apiKey: PLANTED,
			},
		);
		expect(errorOf(run)?.description).toBe('err.bad.key ([redacted])');
		await expectKeyHidden(run, PLANTED);
	});
});
