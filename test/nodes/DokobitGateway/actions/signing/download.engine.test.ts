import { errorOf } from '../../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	JONAS,
	ONA,
	SIGNED_MARK,
	apiRequests,
	clearLog,
	createSigning,
	expectKeyOnlyInQuery,
	runDokobit,
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

const download = (signingToken: string, extra: Record<string, unknown> = {}) => ({
	resource: 'signing',
	operation: 'download',
	signingToken,
	binaryPropertyName: 'signed',
	...extra,
});

describe('Dokobit Gateway → Signing → Download Signed File', () => {
	it('puts the signed PDF into the chosen binary field once every signer has signed', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS, ONA]);
		await signAs(sandbox, signing.token, JONAS.id);
		await signAs(sandbox, signing.token, ONA.id);
		await clearLog(sandbox);

		const [item] = await runOk(sandbox, download(signing.token));
		expect(item.pairedItem).toEqual({ item: 0 });
		const binary = item.binary!.signed;
		expect(binary).toMatchObject({ fileName: 'Agreement.pdf', mimeType: 'application/pdf' });
		const bytes = Buffer.from(binary.data, 'base64');
		const trailer = Buffer.from(`\n${SIGNED_MARK} by Jonas Jonaitis, Ona Onaitė\n`, 'utf8');
		expect(bytes.length).toBe(pdf.length + trailer.length);
		expect(bytes.subarray(0, pdf.length).equals(pdf)).toBe(true);
		expect(bytes.subarray(pdf.length).toString('utf8')).toBe(trailer.toString('utf8'));
		expect(item.json).toMatchObject({
			token: signing.token,
			fileName: 'Agreement.pdf',
			mimeType: 'application/pdf',
		});

		const log = await apiRequests(sandbox);
		expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET /api/signing/${signing.token}/download`,
		]);
		expectKeyOnlyInQuery(log);
	});

	it('uses the file name option instead of the Gateway’s', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS]);
		await signAs(sandbox, signing.token, JONAS.id);
		const [item] = await runOk(
			sandbox,
			download(signing.token, { binaryPropertyName: 'data', options: { fileName: 'final.pdf' } }),
		);
		expect(item.binary!.data).toMatchObject({ fileName: 'final.pdf', mimeType: 'application/pdf' });
		expect(item.json.fileName).toBe('final.pdf');
	});

	it('names an asice container and its MIME type after the signing type', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS], { type: 'asice' });
		await signAs(sandbox, signing.token, JONAS.id);
		const [item] = await runOk(sandbox, download(signing.token));
		expect(item.binary!.signed).toMatchObject({
			fileName: 'Agreement.asice',
			mimeType: 'application/vnd.etsi.asic-e+zip',
		});
	});

	it('fails with the Gateway’s message while the signing is still pending', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS]);
		await clearLog(sandbox);
		const run = await runDokobit(sandbox, download(signing.token));
		const error = errorOf(run);
		expect(error?.message).toBe('Item 0: Dokobit Gateway answered HTTP 400');
		expect(error?.description).toBe('Data validation failed; Signing is not completed yet.');
		// The reason is read from the streamed error body itself: one request, not retried (a 400).
		const downloads = (await apiRequests(sandbox)).filter((r) => r.path.endsWith('/download'));
		expect(downloads.map((r) => r.method)).toEqual(['GET']);
	});
});
