import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	JONAS,
	SIGNED_MARK,
	apiRequests,
	clearLog,
	createSigning,
	expectKeyOnlyInQuery,
	pdfItem,
	runOk,
	samplePdf,
	sha256,
	signAs,
} from '../../harness';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit']);
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

const check = {
	resource: 'file',
	operation: 'check',
	containerType: 'pdf',
	fileSource: 'binary',
	binaryPropertyName: 'data',
};

describe('Dokobit Gateway → File → Check', () => {
	it('sends type and the file as content + digest, and returns the signature structure', async () => {
		const [item] = await runOk(sandbox, check, [pdfItem(pdf, 'unsigned.pdf')]);
		expect(item).toEqual({
			json: { fileName: 'unsigned.pdf', status: 'ok', structure: { signatures: [] } },
			pairedItem: { item: 0 },
		});
		const log = await apiRequests(sandbox);
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({ method: 'POST', path: '/api/file/check.json' });
		expect(log[0].body).toEqual({
			type: 'pdf',
			file: { name: 'unsigned.pdf', content: pdf.toString('base64'), digest: sha256(pdf) },
		});
		expectKeyOnlyInQuery(log);
	});

	it('finds the signature in a file signed through the Gateway', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS]);
		await signAs(sandbox, signing.token, JONAS.id);
		const [downloaded] = await runOk(sandbox, {
			resource: 'signing',
			operation: 'download',
			signingToken: signing.token,
			binaryPropertyName: 'data',
		});
		const signed = Buffer.from(downloaded.binary!.data.data, 'base64');
		expect(signed.toString('latin1')).toContain(SIGNED_MARK);

		const [item] = await runOk(sandbox, check, [pdfItem(signed, 'signed.pdf')]);
		expect(item.json.structure).toEqual({
			signatures: [{ signer: 'Sandbox Signer', valid: true, level: 'PAdES-B' }],
		});
	});
});
