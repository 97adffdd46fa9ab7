// Validation errors name the item as n8n numbers it and the field as the panel shows it, through
// n8n's engine for each vendor: on the canvas the labels alone; as the generated AI tool
// (`…Tool`), the labels plus the key the model can act on. Nothing reaches a vendor.
import type { INodeParameters, IRun } from 'n8n-workflow';
import { errorOf, outputOf } from '../helpers/engine';
import { startSandbox, type Sandbox } from '../helpers/sandbox';
import {
	createParameters,
	runDocumentolog,
	apiRequests as documentologRequests,
} from './Documentolog/harness';
import {
	JONAS,
	ONA,
	pdfItem,
	runDokobit,
	samplePdf,
	apiRequests as dokobitRequests,
	clearLog,
	signersFields,
} from './DokobitGateway/harness';
import { runOkDokument, fileItem, apiRequests as okDokumentRequests } from './OkDokument/harness';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit', 'okdokument', 'documentolog']);
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());

const dokobitCreate = (extra: INodeParameters = {}): INodeParameters => ({
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
});

/** The message a run stopped with, or the error item a tool run answered with. */
function refusal(run: IRun): unknown {
	return errorOf(run)?.message ?? outputOf(run)[0]?.json.error;
}

describe('Dokobit Documents Gateway', () => {
	afterEach(async () => expect(await dokobitRequests(sandbox)).toEqual([]));

	it('names the signer block, the label and the Additional Fields it sits under (version 1.1)', async () => {
		const run = await runDokobit(
			sandbox,
			dokobitCreate({ signers: signersFields(JONAS, { ...ONA, email: 'ona(at)example.com' }) }),
			[pdfItem(pdf), pdfItem(pdf)],
		);
		expect(refusal(run)).toBe(
			'Item 0: Signer 2 › Additional Fields › Email "ona(at)example.com" is not an e-mail address',
		);
		expect(errorOf(run)?.context?.itemIndex).toBe(0);
	});

	it('counts items as n8n does, from 0', async () => {
		const run = await runDokobit(
			sandbox,
			dokobitCreate({
				signers: {
					signer: [{ name: 'Jonas', surname: 'Jonaitis', code: '={{ $json.code }}' }],
				},
			}),
			[
				{ ...pdfItem(pdf), json: { code: JONAS.id } },
				{ ...pdfItem(pdf), json: { code: '12345' } },
			],
		);
		expect(refusal(run)).toBe(
			'Item 1: Signer 1 › Personal Code "12345" is not a valid LT, EE or FI personal code',
		);
		expect(errorOf(run)?.context?.itemIndex).toBe(1);
		// Item 0 was valid and created its signing; item 1 sent nothing.
		const creates = (await dokobitRequests(sandbox)).filter((r) => r.path.endsWith('create.json'));
		expect(creates).toHaveLength(1);
		await clearLog(sandbox);
	});

	it('names the flat signer fields of node version 1 by their version 1 labels', async () => {
		const run = await runDokobit(
			sandbox,
			dokobitCreate({
				signers: { signer: [{ ...JONAS, country_code: 'LTU' }] },
			}),
			[pdfItem(pdf)],
			{ node: { typeVersion: 1 } },
		);
		expect(refusal(run)).toBe('Item 0: Signer 1 › Country Code must be a two-letter country code');
	});

	it('names a signing of Create Batch by its block', async () => {
		const run = await runDokobit(sandbox, {
			resource: 'signing',
			operation: 'createBatch',
			signings: { signing: [{ token: 'example-token-1' }, { token: 'bad/token' }] },
		});
		expect(refusal(run)).toBe(
			'Item 0: Signing 2 › Signing Token is missing or not a Dokobit token',
		);
	});

	it('as an AI tool, adds the tool argument inside the JSON the model wrote', async () => {
		const run = await runDokobit(
			sandbox,
			dokobitCreate({
				signersInput: 'json',
				signersJson: "={{ $fromAI('signers', 'The signers', 'json') }}",
			}),
			[pdfItem(pdf)],
			{ node: { type: 'dokobitGatewayTool' } },
		);
		// Outside an agent's call, $fromAI has nothing to read, so the tool sees an empty value.
		expect(refusal(run)).toBe(
			'Item 0: Signers (JSON) (signers) must be an array of signer objects',
		);
	});

	it('as an AI tool, adds the parameter path of a field the model did not fill', async () => {
		const run = await runDokobit(
			sandbox,
			dokobitCreate({ signers: signersFields({ ...JONAS, id: '', code: '12345' }) }),
			[pdfItem(pdf)],
			{ node: { type: 'dokobitGatewayTool' } },
		);
		expect(refusal(run)).toBe(
			'Item 0: Signer 1 › Personal Code (parameter signers.signer[0].code) "12345" is not a valid LT, EE or FI personal code',
		);
	});
});

describe('OKdokument', () => {
	afterEach(async () => expect(await okDokumentRequests(sandbox)).toEqual([]));
	const parameters: INodeParameters = {
		resource: 'signatureRequest',
		operation: 'create',
		documentSource: 'upload',
		fileSource: 'binary',
		binaryPropertyName: 'data',
		options: { fieldConfig: { field: [{ name: 'TC_text' }, { name: 'TC;text' }] } },
	};

	it('names the entry of Field Values under Options', async () => {
		const run = await runOkDokument(sandbox, parameters, [fileItem(pdf)]);
		expect(refusal(run)).toBe(
			'Item 0: Options › Field Values › Field 2 › Field Name "TC;text" is not a form field name',
		);
	});

	it('names a field of Update Fields under it', async () => {
		const run = await runOkDokument(sandbox, {
			resource: 'signatureRequest',
			operation: 'update',
			signatureRequestId: '1d58a59e-e8f7-4d07-bb99-d3fa39cb58a8',
			updateFields: { resultUrl: 'ftp://example.com/done' },
		});
		expect(refusal(run)).toBe(
			'Item 0: Update Fields › Result URL must be an absolute http(s) URL, got "ftp://example.com/done"',
		);
	});

	it('as an AI tool, adds the parameter path', async () => {
		const run = await runOkDokument(sandbox, parameters, [fileItem(pdf)], {
			node: { type: 'okDokumentTool' },
		});
		expect(refusal(run)).toBe(
			'Item 0: Options › Field Values › Field 2 › Field Name (parameter options.fieldConfig.field[1].name) "TC;text" is not a form field name',
		);
	});
});

describe('Documentolog', () => {
	afterEach(async () => expect(await documentologRequests(sandbox)).toEqual([]));

	it('names a list value by its place and an SMS recipient by its block', async () => {
		const badRecipient = await runDocumentolog(
			sandbox,
			createParameters(sandbox, { recipients: ['900101300811', 'Nurlan'] }),
		);
		expect(refusal(badRecipient)).toBe(
			'Item 0: Recipients › 2 "Nurlan" is not an IIN/BIN, an e-mail address or a phone number',
		);
		const badSms = await runDocumentolog(
			sandbox,
			createParameters(sandbox, {
				smsRecipients: { recipient: [{ phone: '+7 701 12', fullName: 'Nurlan' }] },
			}),
		);
		expect(refusal(badSms)).toMatch(/^Item 0: SMS Recipient 1 › Phone "\+7 701 12" is not/);
	});

	it('as an AI tool, adds the parameter path of the list value', async () => {
		const run = await runDocumentolog(
			sandbox,
			createParameters(sandbox, { recipients: ['Nurlan'] }),
			[{ json: {} }],
			{ node: { type: 'documentologTool' } },
		);
		expect(refusal(run)).toBe(
			'Item 0: Recipients › 1 (parameter recipients[0]) "Nurlan" is not an IIN/BIN, an e-mail address or a phone number',
		);
	});
});
