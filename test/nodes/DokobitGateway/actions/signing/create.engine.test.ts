import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	JONAS,
	ONA,
	apiRequests,
	clearLog,
	emulatorSignings,
	expectKeyOnlyInQuery,
	pdfItem,
	runOk,
	samplePdf,
	sha256,
	uploadFile,
	signersFields,
	runDokobit,
} from '../../harness';
import { errorOf } from '../../../../helpers/engine';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit'], { options: { pendingPolls: 1 } });
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

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
		signers: signersFields(JONAS),
		...extra,
	};
}

interface CreateOutput {
	token: string;
	status: string;
	name: string;
	type: string;
	files: string[];
	uploads?: Array<{ token: string; name: string; digest: string }>;
	postbackUrl?: string;
	signers: Array<{ id: string; token: string; signingUrl: string }>;
}

async function createRequest() {
	const log = await apiRequests(sandbox);
	const creates = log.filter((r) => r.path === '/api/signing/create.json');
	expect(creates).toHaveLength(1);
	return creates[0];
}

describe('Dokobit Gateway → Signing → Create', () => {
	it('uploads the binary with its SHA-256 digest, creates the signing and returns signer URLs', async () => {
		const [item] = await runOk(sandbox, createParameters(), [pdfItem(pdf)]);
		expect(item.pairedItem).toEqual({ item: 0 });
		const json = item.json as unknown as CreateOutput;
		expect(json).toMatchObject({ status: 'ok', name: 'Agreement', type: 'pdf' });
		expect(json.signers).toHaveLength(1);
		expect(json.signers[0].id).toBe(JONAS.id);
		expect(json.signers[0].signingUrl).toBe(
			`${sandbox.url('dokobit')}/signing/${json.token}?access_token=${json.signers[0].token}`,
		);
		expect(json.uploads).toEqual([
			expect.objectContaining({ name: 'agreement.pdf', digest: sha256(pdf) }),
		]);
		expect(json.files).toEqual([json.uploads![0].token]);

		const log = await apiRequests(sandbox);
		expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
			'POST /api/file/upload.json',
			`GET /api/file/upload/${json.files[0]}/status.json`,
			'POST /api/signing/create.json',
		]);
		expect((log[0].body.file as { name: string }).name).toBe('agreement.pdf');
		// Exactly the Gateway's field names; empty optional fields of the form are not sent.
		expect(log[2].body).toEqual({
			type: 'pdf',
			name: 'Agreement',
			signers: [JONAS],
			files: [{ token: json.files[0] }],
		});
		expectKeyOnlyInQuery(log);

		// The signer's page opens with the signer token (not the API key) as access_token.
		const page = await fetch(json.signers[0].signingUrl);
		expect(page.status).toBe(200);
	});

	it('creates from a public URL in one step, waiting while the Gateway fetches it', async () => {
		const url = `${sandbox.url('dokobit')}/__files/sample.pdf`;
		const [item] = await runOk(sandbox, createParameters({ fileSource: 'url', fileUrl: url }));
		const json = item.json as unknown as CreateOutput;
		expect(json.uploads).toEqual([
			expect.objectContaining({ name: 'sample.pdf', digest: sha256(pdf), status: 'uploaded' }),
		]);
		const log = await apiRequests(sandbox);
		expect(log[0].body).toEqual({ file: { name: 'sample.pdf', digest: sha256(pdf), url } });
		// pendingPolls: 1 → one "pending" answer, then "uploaded", then the create.
		expect(log.map((r) => r.path.replace(json.files[0], 'F'))).toEqual([
			'/api/file/upload.json',
			'/api/file/upload/F/status.json',
			'/api/file/upload/F/status.json',
			'/api/signing/create.json',
		]);
	});

	it('creates from base64 text in one step', async () => {
		const [item] = await runOk(
			sandbox,
			createParameters({
				fileSource: 'base64',
				fileBase64: `data:application/pdf;base64,${pdf.toString('base64')}`,
				fileName: 'from-text.pdf',
			}),
		);
		expect(item.json.uploads).toEqual([
			expect.objectContaining({ name: 'from-text.pdf', digest: sha256(pdf), size: pdf.length }),
		]);
		const [upload] = await apiRequests(sandbox);
		expect(upload.body).toEqual({
			file: { name: 'from-text.pdf', digest: sha256(pdf), content: pdf.toString('base64') },
		});
	});

	it('uses already uploaded file tokens without uploading again', async () => {
		const fileToken = await uploadFile(sandbox, pdf);
		await clearLog(sandbox);
		const [item] = await runOk(
			sandbox,
			createParameters({ filesFrom: 'tokens', fileTokens: ` ${fileToken} ` }),
		);
		expect(item.json).toMatchObject({ status: 'ok', files: [fileToken] });
		expect(item.json.uploads).toBeUndefined();
		const log = await apiRequests(sandbox);
		expect(log.map((r) => r.path)).toEqual(['/api/signing/create.json']);
		expect(log[0].body.files).toEqual([{ token: fileToken }]);
	});

	it('builds an asice container from two tokens: the first is main, the rest appendix', async () => {
		const main = await uploadFile(sandbox, pdf, 'main.pdf');
		const appendix = await uploadFile(sandbox, Buffer.concat([pdf, Buffer.from('%a\n')]), 'b.pdf');
		await clearLog(sandbox);
		const [item] = await runOk(
			sandbox,
			createParameters({ type: 'asice', filesFrom: 'tokens', fileTokens: `${main},${appendix}` }),
		);
		expect(item.json).toMatchObject({ type: 'asice', files: [main, appendix] });
		const create = await createRequest();
		expect(create.body).toMatchObject({ type: 'asice' });
		expect(create.body.files).toEqual([
			{ token: main, type: 'main' },
			{ token: appendix, type: 'appendix' },
		]);
	});

	it('gives later files the chosen appendix role', async () => {
		const main = await uploadFile(sandbox, pdf, 'main.pdf');
		const extra = await uploadFile(sandbox, Buffer.concat([pdf, Buffer.from('%b\n')]), 'b.pdf');
		await clearLog(sandbox);
		await runOk(
			sandbox,
			createParameters({
				type: 'adoc',
				filesFrom: 'tokens',
				fileTokens: `${main}, ${extra}`,
				options: { appendixRole: 'attachment' },
			}),
		);
		expect((await createRequest()).body.files).toEqual([
			{ token: main, type: 'main' },
			{ token: extra, type: 'attachment' },
		]);
	});

	it('takes signers as JSON: all fields passed through, country code lower-cased', async () => {
		const signers = [
			{
				...JONAS,
				code: '50001018865',
				phone: '+37060000666',
				country_code: 'LT',
				email: 'jonas@example.com',
				signing_options: ['smartid', 'mobile'],
				company: 'UAB Pavyzdys',
				notifications_language: 'lt',
				pdf: { reason: 'Approval' },
			},
			{
				id: 7,
				name: ' Ona ',
				surname: 'Onaitė',
				signing_purpose: 'acknowledgement',
				phone: '',
				company: '   ',
				email: ' ',
				signing_options: [],
			},
		];
		const [item] = await runOk(
			sandbox,
			createParameters({ signersInput: 'json', signersJson: JSON.stringify(signers) }),
			[pdfItem(pdf)],
		);
		expect((item.json as unknown as CreateOutput).signers.map((s) => s.id)).toEqual([
			'50001018865',
			'7',
		]);
		expect((await createRequest()).body.signers).toEqual([
			{ ...signers[0], country_code: 'lt' },
			{ id: '7', name: 'Ona', surname: 'Onaitė', signing_purpose: 'acknowledgement' },
		]);
	});

	it('takes the signers JSON from an expression per item', async () => {
		const items = [
			{ ...pdfItem(pdf), json: { people: [JONAS] } },
			{ ...pdfItem(pdf), json: { people: [ONA, { ...JONAS, id: 'x1' }] } },
		];
		const out = await runOk(
			sandbox,
			createParameters({ signersInput: 'json', signersJson: '={{ $json.people }}' }),
			items,
		);
		expect(out.map((i) => (i.json as unknown as CreateOutput).signers.map((s) => s.id))).toEqual([
			[JONAS.id],
			[ONA.id, 'x1'],
		]);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('sends the postback URL, language and per-type options under the Gateway names', async () => {
		const postbackUrl = 'https://n8n.example.com/webhook/dokobit?secret=abc';
		const [item] = await runOk(
			sandbox,
			createParameters({
				options: { postbackUrl, language: 'lt', typeOptions: '{"level": "pades-ltv"}' },
			}),
			[pdfItem(pdf)],
		);
		expect(item.json.postbackUrl).toBe(postbackUrl);
		const create = await createRequest();
		expect(create.body).toEqual({
			type: 'pdf',
			name: 'Agreement',
			signers: [JONAS],
			postback_url: postbackUrl,
			language: 'lt',
			pdf: { level: 'pades-ltv' },
			files: [expect.objectContaining({ token: expect.any(String) })],
		});
		const held = (await emulatorSignings(sandbox)).find((s) => s.token === item.json.token);
		expect(held).toMatchObject({ status: 'pending', postbackUrl });
	});

	it('creates a signing without signers when none are given', async () => {
		const [item] = await runOk(sandbox, createParameters({ signers: {} }), [pdfItem(pdf)]);
		expect(item.json.signers).toEqual([]);
		expect((await createRequest()).body).not.toHaveProperty('signers');
	});
});

describe('Dokobit Gateway → Signing → Create: the signer block of each node version', () => {
	/** Everything a signer can carry, in the Gateway's names (what the request must contain). */
	const FULL_SIGNER = {
		id: '50001018865',
		name: 'Jonas',
		surname: 'Jonaitis',
		signing_purpose: 'confirmation',
		code: '50001018865',
		phone: '+37060000666',
		country_code: 'lt',
		email: 'jonas@example.com',
		signing_options: ['smartid', 'mobile'],
		company: 'UAB Pavyzdys',
		position: 'Director',
		structural_subdivision: 'Sales',
		country: 'Lithuania',
		city: 'Vilnius',
		postal_code: 'LT-01100',
		notifications_language: 'lt',
	};

	async function signersSent(typeVersion: number, signers: unknown): Promise<unknown> {
		await clearLog(sandbox);
		await runOk(sandbox, createParameters({ signers }), [pdfItem(pdf)], { node: { typeVersion } });
		return (await createRequest()).body.signers;
	}

	it('version 1 (saved workflows): the flat signer parameters still make the same request', async () => {
		// Exactly what the version 1 panel stored: every field flat on the signer, ID and code apart.
		const saved = { signer: [FULL_SIGNER, { ...ONA, phone: '', email: '' }] };
		expect(await signersSent(1, saved)).toEqual([FULL_SIGNER, ONA]);
	});

	it('version 1.1: required fields plus Additional Fields make the same request', async () => {
		// The personal code is entered once: no Signer ID, since the code becomes the ID.
		const { name, surname, signing_purpose, code, ...rest } = FULL_SIGNER;
		const additionalFields: Record<string, unknown> = { ...rest };
		delete additionalFields.id;
		const structured = {
			signer: [
				{ name, surname, signing_purpose, code, additionalFields },
				{ name: ONA.name, surname: ONA.surname, additionalFields: { id: ONA.id } },
			],
		};
		expect(await signersSent(1.1, structured)).toEqual([FULL_SIGNER, ONA]);
	});

	it('version 1.1: without a personal code or Signer ID the ID is the name', async () => {
		const structured = {
			signer: [
				{ name: ' Ona ', surname: 'Onaitė Kazlauskienė', additionalFields: {} },
				{ name: 'Jonas', surname: 'Jonaitis', additionalFields: { id: 'contract-7' } },
			],
		};
		expect(await signersSent(1.1, structured)).toEqual([
			{
				id: 'ona-onaitė-kazlauskienė',
				name: 'Ona',
				surname: 'Onaitė Kazlauskienė',
				signing_purpose: 'signature',
			},
			{ id: 'contract-7', name: 'Jonas', surname: 'Jonaitis', signing_purpose: 'signature' },
		]);
	});

	it('version 1.1: two signers with the same name and no code are refused before any request', async () => {
		await clearLog(sandbox);
		const run = await runDokobit(
			sandbox,
			createParameters({
				signers: {
					signer: [
						{ name: 'Jonas', surname: 'Jonaitis' },
						{ name: 'jonas', surname: 'jonaitis' },
					],
				},
			}),
			[pdfItem(pdf)],
		);
		expect(errorOf(run)?.message).toBe(
			'Item 0: Signer 2 › Additional Fields › Signer ID "jonas-jonaitis" is used twice: give each signer its own Personal Code or Signer ID',
		);
		expect(await apiRequests(sandbox)).toEqual([]);
	});
});
