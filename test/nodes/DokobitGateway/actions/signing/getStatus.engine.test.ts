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
	signAs,
} from '../../harness';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit']);
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());

const getStatus = (signingToken: string) => ({
	resource: 'signing',
	operation: 'getStatus',
	signingToken,
});

describe('Dokobit Gateway → Signing → Get Status', () => {
	it('reports per-signer status while one of two signers has signed, then completion', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS, ONA]);
		await signAs(sandbox, signing.token, ONA.id);
		await clearLog(sandbox);

		const [item] = await runOk(sandbox, getStatus(signing.token));
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toEqual({
			token: signing.token,
			status: 'pending',
			completed: false,
			signers: [
				{ id: JONAS.id, status: 'pending' },
				{
					id: ONA.id,
					status: 'signed',
					signing_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
					signature_id: 'Signature1',
					signing_option: 'smartid',
				},
			],
			signedCount: 1,
			file: null,
			file_digest: null,
			valid_to: null,
			structure: null,
		});
		const log = await apiRequests(sandbox);
		expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET /api/signing/${signing.token}/status.json`,
		]);
		expectKeyOnlyInQuery(log);

		await signAs(sandbox, signing.token, JONAS.id);
		const [done] = await runOk(sandbox, getStatus(signing.token));
		expect(done.json).toMatchObject({
			status: 'completed',
			completed: true,
			signedCount: 2,
			file: `${sandbox.url('dokobit')}/api/signing/${signing.token}/download`,
			file_digest: expect.stringMatching(/^[0-9a-f]{64}$/),
			valid_to: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
		});
		expect(JSON.stringify(done.json)).not.toContain('access_token');
	});

	it('reports the status of several signings, one per item', async () => {
		const first = await createSigning(sandbox, pdf, [JONAS]);
		const second = await createSigning(sandbox, pdf, [ONA]);
		await signAs(sandbox, second.token, ONA.id);
		const out = await runOk(sandbox, { ...getStatus('={{ $json.token }}') }, [
			{ json: { token: first.token } },
			{ json: { token: second.token } },
		]);
		expect(out.map((i) => [i.json.token, i.json.status, i.pairedItem])).toEqual([
			[first.token, 'pending', { item: 0 }],
			[second.token, 'completed', { item: 1 }],
		]);
	});
});
