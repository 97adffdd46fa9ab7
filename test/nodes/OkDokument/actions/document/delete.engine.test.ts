import { errorOf } from '../../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	apiRequests,
	clearLog,
	createRequest,
	emulatorDocuments,
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

const del = (documentId: string) => ({ resource: 'document', operation: 'delete', documentId });

describe('OKdokument → Document → Delete', () => {
	it('deletes the document once (never retried)', async () => {
		const created = await createRequest(sandbox, pdf);
		await clearLog(sandbox);
		const [item] = await runOk(sandbox, del(created.documentId));
		expect(item).toEqual({
			json: { documentId: created.documentId, deleted: true, message: 'msg.deleted' },
			pairedItem: { item: 0 },
		});
		expect((await apiRequests(sandbox)).map((r) => `${r.method} ${r.path}`)).toEqual([
			`DELETE /JSON/document/${created.documentId}`,
		]);
		const held = (await emulatorDocuments(sandbox)).find((d) => d.id === created.documentId);
		expect(held).toMatchObject({ deleted: true, deletedBy: 'api' });
	});

	it('reads the connector-shaped 404 of a second delete', async () => {
		const created = await createRequest(sandbox, pdf);
		await runOk(sandbox, del(created.documentId));
		const run = await runOkDokument(sandbox, del(created.documentId));
		expect(errorOf(run)?.message).toBe(
			`Item 0: OKdokument could not find Document ID "${created.documentId}" (HTTP 404)`,
		);
		expect(errorOf(run)?.description).toBe(`err.not.found (${created.documentId})`);
	});
});
