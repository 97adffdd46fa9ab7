import { errorOf } from '../../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	DOCX_MIME,
	apiRequests,
	clearLog,
	docxBytes,
	emulatorDocuments,
	emulatorRequests,
	expectKeyOnlyInHeader,
	fileItem,
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

const upload = (extra: Record<string, unknown> = {}) => ({
	resource: 'document',
	operation: 'upload',
	fileSource: 'binary',
	binaryPropertyName: 'data',
	uploadMode: 'storage',
	...extra,
});

async function uploadRequest() {
	const log = await apiRequests(sandbox);
	expect(log.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /JSON/upload']);
	return log[0];
}

describe('OKdokument → Document → Upload', () => {
	it('stores a file only: multipart with signatureRequestId "off" and the file part', async () => {
		const [item] = await runOk(sandbox, upload(), [fileItem(pdf, 'Offer 2026.pdf')]);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			storageOnly: true,
			fileName: 'Offer 2026.pdf',
			fileSize: pdf.length,
			state: 'tosign',
		});
		const request = await uploadRequest();
		expect(request.contentType).toMatch(/^multipart\/form-data; boundary=/);
		expect(request.body).toEqual({
			dataText: '{"signatureRequestId":"off"}',
			files: {
				file: { filename: 'Offer 2026.pdf', contentType: 'application/pdf', bytes: pdf.length },
			},
		});
		expectKeyOnlyInHeader([request]);
		const held = (await emulatorDocuments(sandbox)).find((d) => d.id === item.json.documentId);
		expect(held).toMatchObject({ filename: 'Offer 2026.pdf', state: 'tosign', rounds: 0 });
	});

	it('reads the file from the item’s JSON in a workflow set to combined binary mode', async () => {
		// n8n 2.x's combined binary mode (a workflow setting) keeps files in `json._files`, not in
		// `binary`; n8n's own helper resolves them for the workflow's mode.
		const { binary } = fileItem(pdf, 'Combined.pdf');
		const [item] = await runOk(sandbox, upload(), [{ json: { _files: binary } }], {
			settings: { binaryMode: 'combined' },
		});
		expect(item.json).toMatchObject({ fileName: 'Combined.pdf', fileSize: pdf.length });
		const request = await uploadRequest();
		expect((request.body.files as Record<string, unknown>).file).toMatchObject({
			filename: 'Combined.pdf',
			bytes: pdf.length,
		});
	});

	it('names the files a combined-mode item holds when the field is wrong', async () => {
		const { binary } = fileItem(pdf, 'Combined.pdf');
		const run = await runOkDokument(
			sandbox,
			upload({ binaryPropertyName: 'contract' }),
			[{ json: { _files: binary } }],
			{ settings: { binaryMode: 'combined' } },
		);
		expect(errorOf(run)).toMatchObject({
			message: expect.stringContaining('names "contract", but the item has no binary field'),
			description: 'Binary fields on this item: data',
		});
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it('keeps the Office MIME type of a DOCX part', async () => {
		const docx = docxBytes();
		const [item] = await runOk(sandbox, upload(), [fileItem(docx, 'contract.docx', DOCX_MIME)]);
		const request = await uploadRequest();
		expect((request.body.files as Record<string, unknown>).file).toEqual({
			filename: 'contract.docx',
			contentType: DOCX_MIME,
			bytes: docx.length,
		});
		const held = (await emulatorDocuments(sandbox)).find((d) => d.id === item.json.documentId);
		expect(held).toMatchObject({ converted: true });
	});

	it('asks for tag scanning through filedata.state', async () => {
		await runOk(sandbox, upload({ documentState: 'tags' }), [fileItem(pdf)]);
		expect((await uploadRequest()).body.dataText).toBe(
			'{"signatureRequestId":"off","filedata":{"state":"tags"}}',
		);
	});

	it('opens a signature request with the upload: metadata carries the request fields', async () => {
		const [item] = await runOk(
			sandbox,
			upload({
				uploadMode: 'request',
				options: { callbackUrl: 'https://n8n.example.com/webhook/x/webhook' },
				rules: { emailTo: 'customer@example.com', emailFrom: 'contracts@example.com' },
			}),
			[fileItem(pdf)],
		);
		expect(JSON.parse((await uploadRequest()).body.dataText as string)).toEqual({
			sendInfoURL: 'https://n8n.example.com/webhook/x/webhook',
			rules: { emailTo: 'customer@example.com', emailFrom: 'contracts@example.com' },
		});
		expect(item.json).toMatchObject({
			storageOnly: false,
			callbackUrl: 'https://n8n.example.com/webhook/x/webhook',
			signingUrl: `${sandbox.url('okdokument')}/openDocument/${item.json.signatureRequestId}`,
		});
		const [held] = (await emulatorRequests(sandbox)).filter(
			(r) => r.id === item.json.signatureRequestId,
		);
		expect(held).toMatchObject({ documentId: item.json.documentId, state: 'open' });
	});
});
