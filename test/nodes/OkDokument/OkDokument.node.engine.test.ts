// Bad inputs on the OKdokument action node: every one must stop before the first request, with a
// NodeOperationError naming the item and the field; with "On Error: continue" it becomes an error
// item paired with its input while the good items still go through.
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { errorOf, outputOf } from '../../helpers/engine';
import { startSandbox, type Sandbox } from '../../helpers/sandbox';
import {
	DOCX_MIME,
	apiRequests,
	clearLog,
	createRequest,
	fileItem,
	runOkDokument,
	samplePdf,
} from './harness';

let sandbox: Sandbox;
let pdf: Buffer;
let documentId: string;

beforeAll(async () => {
	sandbox = await startSandbox(['okdokument']);
	pdf = await samplePdf(sandbox);
	documentId = (await createRequest(sandbox, pdf)).documentId;
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

const DAY = 24 * 3600_000;
const create = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'signatureRequest',
	operation: 'create',
	documentSource: 'upload',
	fileSource: 'binary',
	binaryPropertyName: 'data',
	...extra,
});
const withRules = (rules: INodeParameters) => create({ rules });
const withOptions = (options: INodeParameters) => create({ options });

interface BadInput {
	parameters: () => INodeParameters;
	items?: () => INodeExecutionData[];
	message: string | RegExp;
}

const badInputs: Record<string, BadInput> = {
	'a file over 10 MB': {
		parameters: () => create(),
		items: () => [
			fileItem(Buffer.concat([pdf, Buffer.alloc(10 * 1024 * 1024 - pdf.length + 1, 0x20)])),
		],
		message: 'Item 0: File "agreement.pdf" is 10.0 MB; OKdokument takes at most 10 MB',
	},
	'a file type OKdokument does not take': {
		parameters: () => create(),
		items: () => [fileItem(Buffer.from('hello'), 'notes.txt', 'text/plain')],
		message:
			'Item 0: File "notes.txt" has the type .txt; OKdokument takes PDF, DOC, DOCX, XLS and XLSX files',
	},
	'a .pdf that is not a PDF': {
		parameters: () => create(),
		items: () => [fileItem(Buffer.from('<html>not a pdf</html>'), 'scan.pdf')],
		message: 'Item 0: File "scan.pdf" is not a PDF (it does not start with %PDF-)',
	},
	'a .docx that is not a DOCX': {
		parameters: () => create(),
		items: () => [fileItem(pdf, 'contract.docx', DOCX_MIME)],
		message:
			'Item 0: File "contract.docx" is not a DOCX file (its content does not match the extension)',
	},
	'an empty file': {
		parameters: () => create(),
		items: () => [fileItem(Buffer.alloc(0), 'empty.pdf')],
		message: 'Item 0: File "empty.pdf" is empty',
	},
	'a missing binary property': {
		parameters: () => create({ binaryPropertyName: 'document' }),
		message:
			'Item 0: Input Binary Field names "document", but the item has no binary field of that name',
	},
	'invalid base64': {
		parameters: () =>
			create({ fileSource: 'base64', fileBase64: 'JVBERi0x%%%', fileName: 'contract.pdf' }),
		message: 'Item 0: File Content (Base64) is not valid base64',
	},
	'an invalid signer e-mail': {
		parameters: () => withRules({ emailTo: 'customer@example', emailFrom: 'a@example.com' }),
		message: 'Item 0: Signer E-Mail "customer@example" is not an e-mail address',
	},
	'a signer e-mail without a sender e-mail': {
		parameters: () => withRules({ emailTo: 'customer@example.com' }),
		message: 'Item 0: Sender E-Mail is required when Signer E-Mail is set',
	},
	'a bad address among the final e-mails': {
		parameters: () => withRules({ emailFinal: 'hr@example.com; legal(at)example.com' }),
		message: 'Item 0: Final Document E-Mails "legal(at)example.com" is not an e-mail address',
	},
	'an OTP phone without a country code': {
		parameters: () => withRules({ signOtpPhone: '0905 123 456' }),
		message:
			'Item 0: OTP to Sign by SMS "0905 123 456" is not a phone number in international format',
	},
	'an OTP e-mail that is not an address': {
		parameters: () => withRules({ openOtpEmail: 'customer' }),
		message: 'Item 0: OTP to Open by E-Mail "customer" is not an e-mail address',
	},
	'a signer name over 40 characters': {
		parameters: () => withRules({ signerName: 'A'.repeat(41) }),
		message: 'Item 0: Signer Name is 41 characters long; OKdokument allows at most 40',
	},
	'additional rules that are not an object': {
		parameters: () => withRules({ additionalRules: '["guiAutoSubmit"]' }),
		message: 'Item 0: Additional Rules (JSON) must be a JSON object',
	},
	'an expiration in the past': {
		parameters: () => withOptions({ expiresAt: '2020-01-01T00:00:00Z' }),
		message: 'Item 0: Expires At 2020-01-01T00:00:00.000Z is in the past',
	},
	'an expiration beyond 10 days': {
		parameters: () => withOptions({ expiresAt: new Date(Date.now() + 11 * DAY).toISOString() }),
		message:
			/^Item 0: Expires At \S+Z is more than 10 days ahead; OKdokument keeps a request open for at most 10 days$/,
	},
	'an expiration that is not a date': {
		parameters: () => withOptions({ expiresAt: 'next friday' }),
		message: 'Item 0: Expires At "next friday" is not a date and time',
	},
	'a text tag out of range': {
		parameters: () => withOptions({ allowedFields: '{"SIGNATURE": "_SO1_;_SO6_"}' }),
		message:
			'Item 0: Allowed Fields (JSON).SIGNATURE "_SO6_" is not a text tag (_SO1_…_SO5_ optional, _SC1_…_SC5_ compulsory)',
	},
	'an unknown field type in allowed fields': {
		parameters: () => withOptions({ allowedFields: '{"SIGNATURES": ["SC_signature"]}' }),
		message:
			'Item 0: Allowed Fields (JSON) has the key "SIGNATURES"; field types are TEXT, CHECKBOX, SIGNATURE, RADIO, COMBOBOX',
	},
	'allowed fields that are not JSON': {
		parameters: () => withOptions({ allowedFields: '{SIGNATURE: SC_signature}' }),
		message: 'Item 0: Allowed Fields (JSON) is not valid JSON',
	},
	'a field value for a badly named field': {
		parameters: () => withOptions({ fieldConfig: { field: [{ name: 'TC;text', value: 'x' }] } }),
		message: 'Item 0: Field Values[0].name "TC;text" is not a form field name',
	},
	'the reserved signature request ID "off"': {
		parameters: () => withOptions({ signatureRequestId: 'off' }),
		message: 'Item 0: Signature Request ID "off" is not a usable signature request ID',
	},
	'a signature request ID with a slash': {
		parameters: () => ({
			resource: 'signatureRequest',
			operation: 'delete',
			signatureRequestId: 'abc/../def',
		}),
		message: 'Item 0: Signature Request ID "abc/../def" is not a usable signature request ID',
	},
	'a non-http callback URL': {
		parameters: () => withOptions({ callbackUrl: 'ftp://n8n.example.com/hook' }),
		message:
			'Item 0: Callback URL must be an absolute http(s) URL, got "ftp://n8n.example.com/hook"',
	},
	'a document ID with a slash': {
		parameters: () => ({ resource: 'document', operation: 'get', documentId: 'a/../b' }),
		message: 'Item 0: Document ID "a/../b" is not an OKdokument document ID',
	},
	'an update without anything to change': {
		parameters: () => ({
			resource: 'signatureRequest',
			operation: 'update',
			signatureRequestId: 'some-request',
			updateFields: {},
		}),
		message: 'Item 0: Update Fields must set a Callback URL or a Result URL',
	},
	'an upload with a bad rule': {
		parameters: () => ({
			resource: 'document',
			operation: 'upload',
			fileSource: 'binary',
			binaryPropertyName: 'data',
			uploadMode: 'request',
			rules: { openOtpPhone: '+1' },
		}),
		message: 'Item 0: OTP to Open by SMS "+1" is not a phone number in international format',
	},
	'a download into an empty field name': {
		parameters: () => ({
			resource: 'document',
			operation: 'download',
			documentId: 'abc',
			binaryPropertyName: '={{ "" }}',
		}),
		message: 'Item 0: Put Output File in Field is required and must not be empty',
	},
};

describe('OKdokument: bad inputs are refused before any request', () => {
	it.each(Object.entries(badInputs))('%s', async (_label, bad) => {
		const items = bad.items?.() ?? [fileItem(pdf)];
		const run = await runOkDokument(sandbox, bad.parameters(), items);
		const error = errorOf(run);
		expect(error?.name).toBe('NodeOperationError');
		if (bad.message instanceof RegExp) expect(error?.message).toMatch(bad.message);
		else expect(error?.message).toBe(bad.message);
		expect(error?.context?.itemIndex).toBe(0);
		expect(outputOf(run)).toEqual([]);
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it('names the index of the failing item; the items before it have been sent', async () => {
		const run = await runOkDokument(
			sandbox,
			{ resource: 'document', operation: 'get', documentId: '={{ $json.id }}' },
			[{ json: { id: documentId } }, { json: { id: documentId } }, { json: { id: ' ' } }],
		);
		const error = errorOf(run);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('Item 2: Document ID is required and must not be empty');
		expect(error?.context?.itemIndex).toBe(2);
		expect((await apiRequests(sandbox)).map((r) => r.path)).toEqual([
			`/JSON/document/metadata/${documentId}`,
			`/JSON/document/metadata/${documentId}`,
		]);
	});
});

describe('OKdokument: with "On Error: continue", a bad item becomes an error item', () => {
	async function runContinuing(parameters: INodeParameters, items: INodeExecutionData[]) {
		const run = await runOkDokument(sandbox, parameters, items, {
			node: { onError: 'continueRegularOutput' },
		});
		expect(errorOf(run)).toBeUndefined();
		return { output: outputOf(run), log: await apiRequests(sandbox) };
	}

	it('file checks: the first document is sent, the second item reports its wrong type', async () => {
		const { output, log } = await runContinuing(create(), [
			fileItem(pdf, 'one.pdf'),
			fileItem(Buffer.from('plain text'), 'two.txt', 'text/plain'),
		]);
		expect(output).toHaveLength(2);
		expect(output[0]).toMatchObject({ json: { fileName: 'one.pdf' }, pairedItem: { item: 0 } });
		expect(output[1]).toEqual({
			json: {
				error:
					'Item 1: File "two.txt" has the type .txt; OKdokument takes PDF, DOC, DOCX, XLS and XLSX files',
			},
			pairedItem: { item: 1 },
		});
		expect(log.filter((r) => r.path === '/JSON/signatureRequest')).toHaveLength(1);
	});

	it('vendor errors too: a 404 for one item does not stop the others', async () => {
		const { output } = await runContinuing(
			{ resource: 'document', operation: 'get', documentId: '={{ $json.id }}' },
			[{ json: { id: 'unknown-document' } }, { json: { id: documentId } }],
		);
		expect(output[0]).toEqual({
			json: {
				error: 'OKdokument could not find the requested resource (HTTP 404)',
				description: 'err.not.found (unknown-document)',
				httpCode: '404',
			},
			pairedItem: { item: 0 },
		});
		expect(output[1]).toMatchObject({
			json: { id: documentId, state: 'tosign' },
			pairedItem: { item: 1 },
		});
	});
});
