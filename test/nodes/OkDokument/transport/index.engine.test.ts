// The OKdokument transport through the engine: refused keys reported plainly, and the key kept out
// of the run data. Retries and faults: ../faults.engine.test.ts.
import { errorOf } from '../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../helpers/sandbox';
import { stringifyRun } from '../../DokobitGateway/harness';
import { API_KEY, RESTRICTED_KEY, apiRequests, clearLog, runOkDokument } from '../harness';

/** A second key the emulator accepts, planted to be searched for in the run data. */
const PLANTED = 'example-planted-okdokument-key-7c2e';
const WRONG = 'example-wrong-okdokument-key-31d0';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox(['okdokument'], { options: { apiKeys: [API_KEY, PLANTED] } });
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

async function fault(match: Record<string, unknown>, action: Record<string, unknown>) {
	await sandbox.control('okdokument', 'POST', '/__faults', { match, action });
}

async function expectKeyHidden(run: Parameters<typeof stringifyRun>[0], key: string) {
	const sent = (await apiRequests(sandbox)).map((r) => r.headers['x-api-key']);
	expect(sent).toContain(key);
	const text = stringifyRun(run);
	expect(text.length).toBeGreaterThan(500);
	expect(text).not.toContain(key);
}

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
		expect(error?.message).toBe('Item 0: OKdokument refused the credentials (HTTP 401)');
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
		expect(errorOf(run)?.message).toBe('Item 0: OKdokument refused the credentials (HTTP 403)');
		expect(errorOf(run)?.description).toBe('err.forbidden');
		expect(await apiRequests(sandbox)).toHaveLength(1);
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
