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

describe('Dokobit Gateway → Signing → Get Signing URL', () => {
	it('builds the signer page URL from the two tokens after checking the signing exists', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS, ONA]);
		const ona = signing.signers.find((s) => s.id === ONA.id)!;
		await clearLog(sandbox);
		const [item] = await runOk(sandbox, {
			resource: 'signing',
			operation: 'getSigningUrl',
			signingToken: signing.token,
			signerToken: ona.token,
		});
		expect(item).toEqual({
			json: { token: signing.token, status: 'pending', signingUrl: ona.signingUrl },
			pairedItem: { item: 0 },
		});
		expect(ona.signingUrl).toBe(
			`${sandbox.url('dokobit')}/signing/${signing.token}?access_token=${ona.token}`,
		);
		const log = await apiRequests(sandbox);
		expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET /api/signing/${signing.token}/status.json`,
		]);
		expectKeyOnlyInQuery(log);

		const page = await fetch(item.json.signingUrl as string);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('Signer: Ona Onaitė (pending)');
	});
});
