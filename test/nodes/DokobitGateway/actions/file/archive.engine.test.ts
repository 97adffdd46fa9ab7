import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	apiRequests,
	clearLog,
	expectKeyOnlyInQuery,
	runOk,
	samplePdf,
	sha256,
} from '../../harness';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit']);
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

describe('Dokobit Gateway → File → Archive', () => {
	it('sends a base64 file with its digest and returns the archived file as binary', async () => {
		const [item] = await runOk(sandbox, {
			resource: 'file',
			operation: 'archive',
			containerType: 'pdf',
			fileSource: 'base64',
			fileBase64: pdf.toString('base64'),
			fileName: 'signed.pdf',
		});
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			fileName: 'signed.pdf',
			status: 'ok',
			structure: { signatures: [{ level: 'PAdES-LTA' }] },
		});
		expect(item.json.file).toBeUndefined();
		expect(item.binary?.data).toMatchObject({
			fileName: 'signed.pdf',
			mimeType: 'application/pdf',
		});
		const archived = Buffer.from(item.binary!.data.data, 'base64');
		expect(archived.subarray(0, pdf.length).equals(pdf)).toBe(true);
		expect(archived.toString('latin1')).toMatch(/%n8n-esign-sandbox: ltv\n$/);

		const log = await apiRequests(sandbox);
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({ method: 'POST', path: '/api/archive.json' });
		expect(log[0].body).toEqual({
			type: 'pdf',
			file: { name: 'signed.pdf', content: pdf.toString('base64'), digest: sha256(pdf) },
		});
		expectKeyOnlyInQuery(log);
	});
});
