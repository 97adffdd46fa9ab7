import { fetchBytes, startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import { errorOf, outputOf } from '../../../../helpers/engine';
import { apiRequests, runDokobit } from '../../harness';

let sandbox: Sandbox;
let pdfBase64: string;

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit'], { options: { pendingPolls: 1 } });
	pdfBase64 = (await fetchBytes(`${sandbox.url('dokobit')}/__files/sample.pdf`)).toString('base64');
});
afterAll(async () => await sandbox.close());

const signer = { id: '50001018865', name: 'Jonas', surname: 'Jonaitis', signing_purpose: 'signature' };

function createParameters(extra: Record<string, unknown> = {}) {
	return {
		resource: 'signing',
		operation: 'create',
		name: 'Agreement',
		type: 'pdf',
		filesFrom: 'upload',
		fileSource: 'binary',
		binaryPropertyName: 'data',
		signersInput: 'fields',
		signers: { signer: [signer] },
		...extra,
	};
}

const pdfItem = () => ({
	json: {},
	binary: { data: { data: pdfBase64, mimeType: 'application/pdf', fileName: 'agreement.pdf' } },
});

describe('Dokobit Gateway → Signing → Create', () => {
	it('uploads the binary with its SHA-256 digest, creates the signing and returns signer URLs', async () => {
		const run = await runDokobit(sandbox, createParameters(), [pdfItem() as never]);
		expect(errorOf(run)).toBeUndefined();
		const [item] = outputOf(run);
		expect(item.pairedItem).toEqual({ item: 0 });
		const json = item.json as { token: string; signers: Array<{ id: string; token: string; signingUrl: string }> };
		expect(json.signers).toHaveLength(1);
		expect(json.signers[0].id).toBe(signer.id);
		expect(json.signers[0].signingUrl).toBe(
			`${sandbox.url('dokobit')}/signing/${json.token}?access_token=${json.signers[0].token}`,
		);
		const page = await fetch(json.signers[0].signingUrl);
		expect(page.status).toBe(200);

		const log = await apiRequests(sandbox);
		const upload = log.find((r) => r.path === '/api/file/upload.json')!;
		expect(upload.query.access_token).toBe('example-dokobit-token');
		const file = upload.body.file as { name: string; digest: string };
		expect(file.name).toBe('agreement.pdf');
		expect(file.digest).toMatch(/^[0-9a-f]{64}$/);
		const create = log.find((r) => r.path === '/api/signing/create.json')!;
		expect(create.body).toMatchObject({ type: 'pdf', name: 'Agreement', signers: [signer] });
	});

	it('fails on the first invalid signer field and sends nothing', async () => {
		await sandbox.control('dokobit', 'DELETE', '/__requests');
		const run = await runDokobit(
			sandbox,
			createParameters({ signers: { signer: [{ ...signer, phone: '+1555' }] } }),
			[pdfItem() as never],
		);
		expect(errorOf(run)?.message).toBe(
			'Item 0: Signers[0].phone "+1555" is not a Mobile-ID number (+3706…, +372…, +358…)',
		);
		expect(await apiRequests(sandbox)).toHaveLength(0);
	});
});
