// The Dokobit transport through the engine: retries (GET only, honouring Retry-After), no retry of
// creates, refused credentials, and the API key never reaching the run data.
import { errorOf, outputOf } from '../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../helpers/sandbox';
import {
	GOOD_TOKEN,
	JONAS,
	apiRequests,
	clearLog,
	createSigning,
	emulatorSignings,
	pdfItem,
	runDokobit,
	samplePdf,
	signAs,
	stringifyRun,
	signersFields,
} from '../harness';

/** A second API key the emulator accepts, planted to be searched for in the run data. */
const PLANTED = 'example-planted-api-key-5f1c';
const WRONG = 'example-wrong-api-key-90ab';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit'], { options: { tokens: [GOOD_TOKEN, PLANTED] } });
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

async function fault(match: Record<string, unknown>, action: Record<string, unknown>) {
	await sandbox.control('dokobit', 'POST', '/__faults', { match, action });
}

const getStatus = (signingToken: string) => ({
	resource: 'signing',
	operation: 'getStatus',
	signingToken,
});

const createParameters = (name: string) => ({
	resource: 'signing',
	operation: 'create',
	name,
	type: 'pdf',
	filesFrom: 'upload',
	fileSource: 'binary',
	binaryPropertyName: 'data',
	signersInput: 'fields',
	signers: signersFields(JONAS),
});

/** The planted key was really sent (so the search below can fail) and is nowhere in the run. */
async function expectKeyHidden(run: Parameters<typeof stringifyRun>[0], key: string) {
	const sent = (await apiRequests(sandbox)).map((r) => r.query.access_token);
	expect(sent).toContain(key);
	const text = stringifyRun(run);
	expect(text.length).toBeGreaterThan(500);
	expect(text).not.toContain(key);
	expect(text).not.toContain(encodeURIComponent(key));
}

describe('retries of idempotent calls', () => {
	it('waits out a 429 with Retry-After: 1 and then succeeds', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS]);
		await clearLog(sandbox);
		await fault(
			{ method: 'GET', path: '/status\\.json$', times: 1 },
			{ status: 429, retryAfter: 1 },
		);
		const run = await runDokobit(sandbox, getStatus(signing.token));
		expect(errorOf(run)).toBeUndefined();
		expect(outputOf(run)[0].json).toMatchObject({ token: signing.token, status: 'pending' });
		const log = await apiRequests(sandbox);
		expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET /api/signing/${signing.token}/status.json`,
			`GET /api/signing/${signing.token}/status.json`,
		]);
	});

	it('retries a GET through two 503s and then succeeds', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS]);
		await clearLog(sandbox);
		await fault({ method: 'GET', path: '/status\\.json$', times: 2 }, { status: 503 });
		const run = await runDokobit(sandbox, getStatus(signing.token));
		expect(errorOf(run)).toBeUndefined();
		expect(outputOf(run)[0].json.status).toBe('pending');
		expect(
			(await apiRequests(sandbox)).filter((r) => r.path.endsWith('/status.json')),
		).toHaveLength(3);
	});

	it('retries a download dropped before the headers', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS]);
		await signAs(sandbox, signing.token, JONAS.id);
		await clearLog(sandbox);
		await fault({ method: 'GET', path: '/download$', times: 1 }, { drop: 'before-headers' });
		const run = await runDokobit(sandbox, {
			resource: 'signing',
			operation: 'download',
			signingToken: signing.token,
			binaryPropertyName: 'data',
		});
		expect(errorOf(run)).toBeUndefined();
		const bytes = Buffer.from(outputOf(run)[0].binary!.data.data, 'base64');
		expect(bytes.subarray(0, pdf.length).equals(pdf)).toBe(true);
		expect((await apiRequests(sandbox)).filter((r) => r.path.endsWith('/download'))).toHaveLength(
			2,
		);
	});

	it('fails a download cut off mid-body instead of keeping a truncated file', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS]);
		await signAs(sandbox, signing.token, JONAS.id);
		await clearLog(sandbox);
		await fault({ method: 'GET', path: '/download$', times: 1 }, { drop: 'mid-body' });
		const run = await runDokobit(
			sandbox,
			{
				resource: 'signing',
				operation: 'download',
				signingToken: signing.token,
				binaryPropertyName: 'data',
			},
			undefined,
			{ accessToken: PLANTED },
		);
		const error = errorOf(run);
		expect(error?.message).toBe(
			`Item 0: The download of "Agreement.pdf" from Dokobit Gateway was interrupted`,
		);
		expect(error?.description).toMatch(/^The connection closed before the whole file arrived/);
		expect(error?.context?.itemIndex).toBe(0);
		expect(outputOf(run)).toEqual([]);
		await expectKeyHidden(run, PLANTED);
	});
});

describe('no retry of calls that are not idempotent', () => {
	it('fails a create answered 503 after exactly one attempt, leaving no signing', async () => {
		const before = (await emulatorSignings(sandbox)).length;
		await fault({ method: 'POST', path: '^/api/signing/create\\.json$' }, { status: 503 });
		const run = await runDokobit(sandbox, createParameters('Never twice'), [pdfItem(pdf)]);
		const error = errorOf(run);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('Item 0: Dokobit Gateway answered HTTP 503');
		expect(error?.description).toBe('Injected 503');
		expect(error?.context?.itemIndex).toBe(0);
		const creates = (await apiRequests(sandbox)).filter(
			(r) => r.path === '/api/signing/create.json',
		);
		expect(creates).toHaveLength(1);
		const signings = await emulatorSignings(sandbox);
		expect(signings).toHaveLength(before);
		expect(signings.some((s) => s.name === 'Never twice')).toBe(false);
	});

	it('does not retry a create answered 429 either', async () => {
		await fault(
			{ method: 'POST', path: '^/api/signing/create\\.json$' },
			{ status: 429, retryAfter: 1 },
		);
		const run = await runDokobit(sandbox, createParameters('Rate limited'), [pdfItem(pdf)]);
		expect(errorOf(run)?.message).toBe('Item 0: Dokobit Gateway rate limit reached (HTTP 429)');
		const creates = (await apiRequests(sandbox)).filter(
			(r) => r.path === '/api/signing/create.json',
		);
		expect(creates).toHaveLength(1);
	});
});

describe('credentials', () => {
	it('says the credentials were refused, and the wrong key appears nowhere in the run', async () => {
		const run = await runDokobit(sandbox, getStatus('s-unknown-signing'), undefined, {
			accessToken: WRONG,
		});
		const error = errorOf(run);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('Item 0: Dokobit Gateway refused the credentials (HTTP 403)');
		expect(error?.description).toBe('Access forbidden. Invalid API key.');
		// 403 is not retried.
		expect(await apiRequests(sandbox)).toHaveLength(1);
		await expectKeyHidden(run, WRONG);
	});

	it('keeps a planted key out of a failing call whose error body echoes it', async () => {
		await fault(
			{ method: 'POST', path: '^/api/signing/create\\.json$' },
			{
				status: 400,
				body: {
					status: 'error',
					message: `Token ${PLANTED} is not allowed here`,
					errors: [`access_token=${encodeURIComponent(PLANTED)}`],
				},
			},
		);
		const run = await runDokobit(sandbox, createParameters('Echo'), [pdfItem(pdf)], {
			accessToken: PLANTED,
		});
		expect(errorOf(run)?.description).toBe(
			'Token [redacted] is not allowed here; access_token=[redacted]',
		);
		await expectKeyHidden(run, PLANTED);
	});

	it('keeps a planted key out of an HTTP 200 status:"error" answer that echoes it', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS]);
		await clearLog(sandbox);
		await fault(
			{ method: 'GET', path: '/status\\.json$', times: 1 },
			{ status: 200, body: { status: 'error', message: `Key ${PLANTED} is over quota` } },
		);
		const run = await runDokobit(sandbox, getStatus(signing.token), undefined, {
			accessToken: PLANTED,
		});
		const error = errorOf(run);
		expect(error?.message).toBe('Item 0: Dokobit Gateway reported an error');
		expect(error?.description).toBe('Key [redacted] is over quota');
		await expectKeyHidden(run, PLANTED);
	});
});
