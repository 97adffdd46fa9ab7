// Bad inputs on the Dokobit action node: every one must stop before the first request, with a
// NodeOperationError naming the item and the field (the engine stores run errors serialised, so the
// class shows as `name`); with "On Error: continue" it becomes an error
// item paired with its input while the good items still go through.
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { errorOf, outputOf } from '../../helpers/engine';
import { startSandbox, type Sandbox } from '../../helpers/sandbox';
import {
	JONAS,
	ONA,
	apiRequests,
	clearLog,
	createSigning,
	pdfItem,
	runDokobit,
	samplePdf,
	uploadFile,
} from './harness';

let sandbox: Sandbox;
let pdf: Buffer;
let fileToken: string;
let signingToken: string;

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit'], { options: { pendingPolls: 1 } });
	pdf = await samplePdf(sandbox);
	fileToken = await uploadFile(sandbox, pdf);
	signingToken = (await createSigning(sandbox, pdf, [JONAS, ONA])).token;
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

const create = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'signing',
	operation: 'create',
	name: 'Agreement',
	type: 'pdf',
	filesFrom: 'upload',
	fileSource: 'binary',
	binaryPropertyName: 'data',
	signersInput: 'fields',
	signers: { signer: [JONAS] },
	...extra,
});
const jsonSigners = (signers: unknown) =>
	create({
		signersInput: 'json',
		signersJson: typeof signers === 'string' ? signers : JSON.stringify(signers),
	});

interface BadInput {
	parameters: () => INodeParameters;
	items?: () => INodeExecutionData[];
	message: string;
}

const badInputs: Record<string, BadInput> = {
	'empty document name': {
		parameters: () => create({ name: '  ' }),
		message: 'Item 0: Document Name is required and must not be empty',
	},
	'unknown signing purpose in JSON signers': {
		parameters: () => jsonSigners([{ ...JONAS, signing_purpose: 'approval' }]),
		message:
			'Item 0: Signers[0].signing_purpose must be one of signature, confirmation, visa, conciliation, registration, registration-of-incoming-documents, acknowledgement, notarisation, copy-certification',
	},
	'invalid personal code': {
		parameters: () => create({ signers: { signer: [{ ...JONAS, code: '50013018865' }] } }),
		message: 'Item 0: Signers[0].code "50013018865" is not a valid LT, EE or FI personal code',
	},
	'invalid phone': {
		parameters: () => create({ signers: { signer: [JONAS, { ...ONA, phone: '+37000000766' }] } }),
		message:
			'Item 0: Signers[1].phone "+37000000766" is not a Mobile-ID number (+3706…, +372…, +358…)',
	},
	'invalid email': {
		parameters: () => create({ signers: { signer: [{ ...JONAS, email: 'jonas@example' }] } }),
		message: 'Item 0: Signers[0].email "jonas@example" is not an e-mail address',
	},
	'duplicate signer ids': {
		parameters: () => jsonSigners([JONAS, { ...ONA, id: JONAS.id }]),
		message: `Item 0: Signers[1].id "${JONAS.id}" is used twice`,
	},
	'missing signer surname': {
		parameters: () => jsonSigners([{ id: '1', name: 'Jonas' }]),
		message: 'Item 0: Signers[0].surname is required',
	},
	'unknown signer field in JSON': {
		parameters: () => jsonSigners([{ ...JONAS, role: 'signer' }]),
		message: 'Item 0: Signers[0].role is not a Gateway signer field',
	},
	'invalid country code': {
		parameters: () => jsonSigners([{ ...JONAS, country_code: 'LTU' }]),
		message: 'Item 0: Signers[0].country_code must be a two-letter country code',
	},
	'signers JSON that is not an array': {
		parameters: () => jsonSigners(JONAS),
		message: 'Item 0: Signers (JSON) must be an array of signer objects',
	},
	'signers JSON that is not JSON': {
		parameters: () => jsonSigners('[{ id: 1, name: "Jonas" }'),
		message: 'Item 0: Signers (JSON) is not valid JSON',
	},
	'type options JSON that is not an object': {
		parameters: () => create({ options: { typeOptions: '["pades-ltv"]' } }),
		message: 'Item 0: Type Options (JSON) must be a JSON object',
	},
	'two file tokens for the pdf type': {
		parameters: () => create({ filesFrom: 'tokens', fileTokens: `${fileToken},${fileToken}x` }),
		items: () => [{ json: {} }],
		message: 'Item 0: File Tokens must be a single file for the pdf type',
	},
	'a file token with a slash': {
		parameters: () =>
			create({ type: 'asice', filesFrom: 'tokens', fileTokens: `${fileToken},../x` }),
		items: () => [{ json: {} }],
		message: 'Item 0: File Tokens "../x" is not a Dokobit token',
	},
	'a signing token with a slash': {
		parameters: () => ({ resource: 'signing', operation: 'getStatus', signingToken: 'abc/../def' }),
		message: 'Item 0: Signing Token "abc/../def" is not a Dokobit token',
	},
	'a missing binary property': {
		parameters: () => create({ binaryPropertyName: 'file' }),
		message:
			'Item 0: Input Binary Field names "file", but the item has no binary field of that name',
	},
	'invalid base64': {
		parameters: () =>
			create({ fileSource: 'base64', fileBase64: 'JVBERi0x%%%', fileName: 'contract.pdf' }),
		message: 'Item 0: File Content (Base64) is not valid base64',
	},
	'base64 without a file name': {
		parameters: () => create({ fileSource: 'base64', fileBase64: pdf.toString('base64') }),
		message: 'Item 0: File Name is required and must not be empty',
	},
	'a non-http postback URL': {
		parameters: () => create({ options: { postbackUrl: 'ftp://n8n.example.com/hook' } }),
		message:
			'Item 0: Postback URL must be an absolute http(s) URL, got "ftp://n8n.example.com/hook"',
	},
	'a non-http file URL': {
		parameters: () => ({
			resource: 'file',
			operation: 'upload',
			fileSource: 'url',
			fileUrl: 'file:///etc/passwd',
		}),
		message: 'Item 0: File URL must be an absolute http(s) URL, got "file:///etc/passwd"',
	},
	'createBatch with 21 signings': {
		parameters: () => ({
			resource: 'signing',
			operation: 'createBatch',
			signings: { signing: Array.from({ length: 21 }, () => ({ token: signingToken })) },
		}),
		message: 'Item 0: Signings holds 21; the Gateway allows 20 per batch',
	},
	'createBatch without signings': {
		parameters: () => ({ resource: 'signing', operation: 'createBatch', signings: {} }),
		message: 'Item 0: Signings must contain at least one signing',
	},
	'addSigners without signers': {
		parameters: () => ({
			resource: 'signing',
			operation: 'addSigners',
			signingToken,
			signersInput: 'json',
			signersJson: '[]',
		}),
		message: 'Item 0: Signers must contain at least one signer',
	},
	'removeSigners with an empty signer id list': {
		parameters: () => ({
			resource: 'signing',
			operation: 'removeSigners',
			signingToken,
			signerIds: ' , ,',
		}),
		message: 'Item 0: Signer IDs must list at least one signer ID',
	},
	'seal with an empty name': {
		// An empty literal is stopped by n8n's own required-parameter check; an expression is not.
		parameters: () => ({
			resource: 'signing',
			operation: 'seal',
			signingToken,
			sealName: '={{ "" }}',
		}),
		message: 'Item 0: Seal Name is required and must not be empty',
	},
	'seal with a non-numeric placement': {
		parameters: () => ({
			resource: 'signing',
			operation: 'seal',
			signingToken,
			sealName: 'Company seal',
			options: {
				annotation: {
					placement: { page: 'first', top: 0, left: 0, width: 100, height: 50 },
				},
			},
		}),
		message: 'Item 0: Visible Seal.page must be a number',
	},
};

describe('Dokobit Gateway: bad inputs are refused before any request', () => {
	it.each(Object.entries(badInputs))('%s', async (_label, bad) => {
		const items = bad.items?.() ?? [pdfItem(pdf)];
		const run = await runDokobit(sandbox, bad.parameters(), items);
		const error = errorOf(run);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe(bad.message);
		expect(error?.context?.itemIndex).toBe(0);
		expect(outputOf(run)).toEqual([]);
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it('names the index of the failing item, and the items before it have been sent', async () => {
		const run = await runDokobit(
			sandbox,
			{ resource: 'signing', operation: 'seal', signingToken, sealName: '={{ $json.seal }}' },
			[{ json: { seal: 'A' } }, { json: { seal: 'B' } }, { json: { seal: ' ' } }],
		);
		const error = errorOf(run);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('Item 2: Seal Name is required and must not be empty');
		expect(error?.context?.itemIndex).toBe(2);
		expect((await apiRequests(sandbox)).map((r) => r.body)).toEqual([{ name: 'A' }, { name: 'B' }]);
	});
});

/** Runs the node with "On Error: continue" and returns its output and the emulator's log. */
async function runContinuing(parameters: INodeParameters, items: INodeExecutionData[]) {
	await clearLog(sandbox);
	const run = await runDokobit(sandbox, parameters, items, {
		node: { onError: 'continueRegularOutput' },
	});
	expect(errorOf(run)).toBeUndefined();
	return { output: outputOf(run), log: await apiRequests(sandbox) };
}

describe('Dokobit Gateway: with "On Error: continue", a bad item becomes an error item', () => {
	it('signer validation: the first signing is created, the second item reports its bad phone', async () => {
		const { output, log } = await runContinuing(
			create({ signersInput: 'json', signersJson: '={{ $json.people }}' }),
			[
				{ ...pdfItem(pdf), json: { people: [JONAS] } },
				{ ...pdfItem(pdf), json: { people: [{ ...ONA, phone: '+1555' }] } },
			],
		);
		expect(output).toHaveLength(2);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toMatchObject({ status: 'ok', name: 'Agreement' });
		expect(output[1]).toEqual({
			json: {
				error: 'Item 1: Signers[0].phone "+1555" is not a Mobile-ID number (+3706…, +372…, +358…)',
			},
			pairedItem: { item: 1 },
		});
		expect(log.map((r) => r.path).filter((p) => p.endsWith('create.json'))).toHaveLength(1);
		expect(log.filter((r) => r.path === '/api/file/upload.json')).toHaveLength(1);
	});

	it('file source: the first file is uploaded, the second item has no binary data', async () => {
		const { output, log } = await runContinuing(
			{ resource: 'file', operation: 'upload', fileSource: 'binary', binaryPropertyName: 'data' },
			[pdfItem(pdf, 'one.pdf'), { json: {} }],
		);
		expect(output[0]).toMatchObject({
			json: { name: 'one.pdf', status: 'uploaded' },
			pairedItem: { item: 0 },
		});
		expect(output[1]).toEqual({
			json: {
				error:
					'Item 1: Input Binary Field names "data", but the item has no binary field of that name',
				description: 'Binary fields on this item: none',
			},
			pairedItem: { item: 1 },
		});
		expect(log.filter((r) => r.path === '/api/file/upload.json')).toHaveLength(1);
	});

	it('token format: the first status is read, the second token is refused', async () => {
		const { output, log } = await runContinuing(
			{ resource: 'signing', operation: 'getStatus', signingToken: '={{ $json.token }}' },
			[{ json: { token: signingToken } }, { json: { token: `${signingToken}/../x` } }],
		);
		expect(output[0]).toMatchObject({
			json: { token: signingToken, status: 'pending' },
			pairedItem: { item: 0 },
		});
		expect(output[1]).toEqual({
			json: { error: `Item 1: Signing Token "${signingToken}/../x" is not a Dokobit token` },
			pairedItem: { item: 1 },
		});
		expect(log.map((r) => r.path)).toEqual([`/api/signing/${signingToken}/status.json`]);
	});

	it('lists: the first removal is sent, the second item lists no signer ids', async () => {
		const target = await createSigning(sandbox, pdf, [JONAS, ONA]);
		const { output, log } = await runContinuing(
			{
				resource: 'signing',
				operation: 'removeSigners',
				signingToken: target.token,
				signerIds: '={{ $json.ids }}',
			},
			[{ json: { ids: ONA.id } }, { json: { ids: '' } }],
		);
		expect(output[0]).toEqual({
			json: { token: target.token, removed: [ONA.id], status: 'ok' },
			pairedItem: { item: 0 },
		});
		expect(output[1]).toEqual({
			json: { error: 'Item 1: Signer IDs must list at least one signer ID' },
			pairedItem: { item: 1 },
		});
		expect(log).toHaveLength(1);
	});

	it('required text: the first seal is applied, the second item has no seal name', async () => {
		const { output, log } = await runContinuing(
			{ resource: 'signing', operation: 'seal', signingToken, sealName: '={{ $json.seal }}' },
			[{ json: { seal: 'Company seal' } }, { json: { seal: '' } }],
		);
		expect(output[0]).toMatchObject({ json: { status: 'ok' }, pairedItem: { item: 0 } });
		expect(output[1]).toEqual({
			json: { error: 'Item 1: Seal Name is required and must not be empty' },
			pairedItem: { item: 1 },
		});
		expect(log.map((r) => r.body)).toEqual([{ name: 'Company seal' }]);
	});

	it('Gateway errors too: a 404 for one item does not stop the others', async () => {
		const { output } = await runContinuing(
			{ resource: 'signing', operation: 'getStatus', signingToken: '={{ $json.token }}' },
			[{ json: { token: 's-unknown-signing' } }, { json: { token: signingToken } }],
		);
		expect(output[0]).toEqual({
			json: {
				error: 'Dokobit Gateway could not find the requested resource (HTTP 404)',
				description: 'Signing not found',
				httpCode: '404',
			},
			pairedItem: { item: 0 },
		});
		expect(output[1]).toMatchObject({ json: { status: 'pending' }, pairedItem: { item: 1 } });
	});
});
