import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	apiRequests,
	clearLog,
	createRequest,
	runOk,
	samplePdf,
	signerAction,
} from '../../harness';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['okdokument']);
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

const get = (documentId: string) => ({ resource: 'document', operation: 'get', documentId });

describe('OKdokument → Document → Get', () => {
	it('returns the metadata with the upload time as ISO, following the state', async () => {
		const before = Date.now();
		const created = await createRequest(sandbox, pdf);
		await clearLog(sandbox);
		const [item] = await runOk(sandbox, get(created.documentId));
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			id: created.documentId,
			filename: 'agreement.pdf',
			state: 'tosign',
		});
		expect(item.json.modification).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
		expect(Date.parse(item.json.createdAt as string)).toBe(item.json.date);
		expect(item.json.date as number).toBeGreaterThanOrEqual(before - 1000);
		expect((await apiRequests(sandbox)).map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET /JSON/document/metadata/${created.documentId}`,
		]);

		await signerAction(sandbox, created.signatureRequestId, 'cancel');
		const [after] = await runOk(sandbox, get(created.documentId));
		expect(after.json.state).toBe('canceled');
	});
});
