import { errorOf } from '../../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	apiRequests,
	clearLog,
	createRequest,
	runOk,
	runOkDokument,
	samplePdf,
} from '../../harness';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['okdokument']);
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

const del = (signatureRequestId: string) => ({
	resource: 'signatureRequest',
	operation: 'delete',
	signatureRequestId,
});

describe('OKdokument → Signature Request → Delete', () => {
	it('withdraws the request: its signing link stops working, the document stays', async () => {
		const created = await createRequest(sandbox, pdf);
		expect((await fetch(created.signingUrl, { redirect: 'manual' })).status).toBe(302);
		await clearLog(sandbox);
		const [item] = await runOk(sandbox, del(created.signatureRequestId));
		expect(item.json).toEqual({
			signatureRequestId: created.signatureRequestId,
			deleted: true,
			message: 'msg.deleted',
		});
		expect((await apiRequests(sandbox)).map((r) => `${r.method} ${r.path}`)).toEqual([
			`DELETE /JSON/signatureRequest/${created.signatureRequestId}`,
		]);
		expect((await fetch(created.signingUrl, { redirect: 'manual' })).status).toBe(400);
		const [doc] = await runOk(sandbox, {
			resource: 'document',
			operation: 'get',
			documentId: created.documentId,
		});
		expect(doc.json.state).toBe('tosign');
	});

	it('reports a request that does not exist', async () => {
		const run = await runOkDokument(sandbox, del('already-gone'));
		expect(errorOf(run)?.description).toBe('err.signature.request.not.found (already-gone)');
	});
});
