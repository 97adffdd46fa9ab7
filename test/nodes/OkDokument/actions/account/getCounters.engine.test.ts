import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import { createRequest, runOk, samplePdf } from '../../harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox(['okdokument'], { options: { availableSignatureRequests: 10 } });
});
afterAll(async () => await sandbox.close());

const counters = { resource: 'account', operation: 'getCounters' };

describe('OKdokument → Account → Get Counters', () => {
	it('returns the counters as sent plus a numeric summary that follows usage', async () => {
		const [before] = await runOk(sandbox, counters);
		expect(before.pairedItem).toEqual({ item: 0 });
		expect(before.json.actual).toEqual({
			'sandbox.storedFiles': '0',
			'sandbox.deleted.f': '0',
			'sandbox.usedSignatureRequests': '0',
			'sandbox.downloaded': '0',
			'sandbox.availableSignatureRequests': '10',
		});
		expect(before.json.summary).toEqual({
			storedFiles: 0,
			deleted: 0,
			usedSignatureRequests: 0,
			downloaded: 0,
			availableSignatureRequests: 10,
		});
		await createRequest(sandbox, await samplePdf(sandbox));
		const [after] = await runOk(sandbox, counters);
		expect(after.json.summary).toMatchObject({
			storedFiles: 1,
			usedSignatureRequests: 1,
			availableSignatureRequests: 9,
		});
	});
});
