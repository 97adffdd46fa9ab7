import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	JONAS,
	ONA,
	apiRequests,
	clearLog,
	createSigning,
	expectKeyOnlyInQuery,
	runOk,
	samplePdf,
} from '../../harness';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit']);
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());

describe('Dokobit Gateway → Signing → Create Batch', () => {
	it('groups signings and returns the batch and sequence URLs', async () => {
		const first = await createSigning(sandbox, pdf, [JONAS]);
		const second = await createSigning(sandbox, pdf, [JONAS, ONA]);
		await clearLog(sandbox);
		const [item] = await runOk(sandbox, {
			resource: 'signing',
			operation: 'createBatch',
			signings: {
				signing: [
					{ token: first.token, signer_token: first.signers[0].token },
					{ token: ` ${second.token} `, signer_token: '' },
				],
			},
		});
		const base = sandbox.url('dokobit');
		const batchToken = item.json.batchToken as string;
		expect(item).toEqual({
			json: {
				batchToken: expect.stringMatching(/^b[0-9a-f]{24}$/),
				status: 'ok',
				signings: [first.token, second.token],
				batchUrl: `${base}/signing/batch/${batchToken}`,
				sequenceUrl: `${base}/signing/sequence/${batchToken}`,
			},
			pairedItem: { item: 0 },
		});
		const log = await apiRequests(sandbox);
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({ method: 'POST', path: '/api/signing/createbatch.json' });
		// Only `signings` is accepted by the Gateway.
		expect(log[0].body).toEqual({
			signings: [
				{ token: first.token, signer_token: first.signers[0].token },
				{ token: second.token },
			],
		});
		expectKeyOnlyInQuery(log);

		const page = await fetch(item.json.batchUrl as string);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('2 documents');
	});
});
