import { errorOf } from '../../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	DOCX_MIME,
	expectSignedOnce,
	apiRequests,
	clearLog,
	createRequest,
	docxBytes,
	expectKeyOnlyInHeader,
	fileItem,
	runOk,
	runOkDokument,
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

const download = (documentId: string, extra: Record<string, unknown> = {}) => ({
	resource: 'document',
	operation: 'download',
	documentId,
	binaryPropertyName: 'signed',
	...extra,
});

describe('OKdokument → Document → Download', () => {
	it('streams the signed PDF into the chosen field under its stored name', async () => {
		const created = await createRequest(sandbox, pdf);
		await signerAction(sandbox, created.signatureRequestId, 'submit', 'Ján Novák');
		await clearLog(sandbox);

		const [item] = await runOk(sandbox, download(created.documentId));
		expect(item.pairedItem).toEqual({ item: 0 });
		const binary = item.binary!.signed;
		expect(binary).toMatchObject({ fileName: 'agreement.pdf', mimeType: 'application/pdf' });
		const bytes = Buffer.from(binary.data, 'base64');
		expectSignedOnce(bytes, pdf, 'Ján Novák');
		expect(item.json).toEqual({
			documentId: created.documentId,
			state: 'signed',
			signed: true,
			fileName: 'agreement.pdf',
			mimeType: 'application/pdf',
			fileSize: binary.fileSize,
		});
		const log = await apiRequests(sandbox);
		expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET /JSON/document/metadata/${created.documentId}`,
			`GET /JSON/document/${created.documentId}`,
		]);
		expectKeyOnlyInHeader(log);
	});

	it('downloads an unsigned document as it is, and says so', async () => {
		const created = await createRequest(sandbox, pdf);
		const [item] = await runOk(
			sandbox,
			download(created.documentId, { binaryPropertyName: 'data' }),
		);
		expect(Buffer.from(item.binary!.data.data, 'base64').equals(pdf)).toBe(true);
		expect(item.json).toMatchObject({ state: 'tosign', signed: false });
	});

	it('names a converted Office document .pdf, with the PDF MIME type', async () => {
		const [created] = await runOk(
			sandbox,
			{
				resource: 'signatureRequest',
				operation: 'create',
				documentSource: 'upload',
				fileSource: 'binary',
				binaryPropertyName: 'data',
			},
			[fileItem(docxBytes(), 'Pracovná zmluva.docx', DOCX_MIME)],
		);
		const [item] = await runOk(sandbox, download(created.json.documentId as string));
		expect(item.binary!.signed).toMatchObject({
			fileName: 'Pracovná zmluva.pdf',
			mimeType: 'application/pdf',
		});
		expect(Buffer.from(item.binary!.signed.data, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
	});

	it('uses the file name option', async () => {
		const created = await createRequest(sandbox, pdf);
		const [item] = await runOk(
			sandbox,
			download(created.documentId, { options: { fileName: 'final-contract.pdf' } }),
		);
		expect(item.binary!.signed).toMatchObject({
			fileName: 'final-contract.pdf',
			mimeType: 'application/pdf',
		});
	});

	it('fails with the vendor’s reason for a deleted document, before any file is read', async () => {
		const created = await createRequest(sandbox, pdf);
		await runOk(sandbox, {
			resource: 'document',
			operation: 'delete',
			documentId: created.documentId,
		});
		await clearLog(sandbox);
		const run = await runOkDokument(sandbox, download(created.documentId));
		expect(errorOf(run)?.description).toBe(`err.not.found (${created.documentId})`);
		expect((await apiRequests(sandbox)).map((r) => r.path)).toEqual([
			`/JSON/document/metadata/${created.documentId}`,
		]);
	});
});
