// One table of bad inputs for the three action nodes. Every row runs twice through n8n's engine:
//  - as it comes: the node stops with a NodeOperationError (local check) or NodeApiError (the vendor
//    refused) whose message names the item ("Item 0:") and the field or input in plain words;
//  - with "On Error: continue" and the same bad item twice: no exception, one error item per input
//    item, each paired with its input and naming its own index.
// Locally invalid inputs must not reach any emulator: the request logs of all three stay empty.
import type { INode, INodeExecutionData, INodeParameters, IRun } from 'n8n-workflow';
import { errorOf, outputOf } from '../helpers/engine';
import { startSandbox, type Sandbox } from '../helpers/sandbox';
import {
	RECIPIENT_IIN,
	createParameters,
	runDocumentolog,
	apiRequests as documentologRequests,
} from './Documentolog/harness';
import {
	JONAS,
	ONA,
	createSigning,
	pdfItem,
	runDokobit,
	samplePdf as dokobitPdf,
	uploadFile,
	apiRequests as dokobitRequests,
	signersFields,
} from './DokobitGateway/harness';
import {
	DOCX_MIME,
	fileItem,
	runOkDokument,
	samplePdf as okDokumentPdf,
	apiRequests as okDokumentRequests,
} from './OkDokument/harness';

type Vendor = 'dokobit' | 'okdokument' | 'documentolog';
const VENDORS: Vendor[] = ['dokobit', 'okdokument', 'documentolog'];

interface Fault {
	match: Record<string, unknown>;
	action: Record<string, unknown>;
}

interface Row {
	parameters: () => INodeParameters;
	/** The one input item; the vendor's usual default when absent. */
	items?: () => INodeExecutionData[];
	/** The whole message for item 0. */
	message: string | RegExp | (() => string);
	/** Set for inputs only the vendor can judge: the run reaches it and it refuses. */
	vendor?: {
		/** Makes the emulator misbehave for this row (cleared after each run). */
		fault?: Fault;
		httpCode?: string;
		description?: string | RegExp;
		/** Requests the single-item run sends: a refused create is never sent twice. */
		requests: number;
	};
}

let sandbox: Sandbox;
let dkPdf: Buffer;
let okPdf: Buffer;
let fileToken: string;
let signingToken: string;

beforeAll(async () => {
	sandbox = await startSandbox(VENDORS, { options: { pendingPolls: 1 } });
	dkPdf = await dokobitPdf(sandbox);
	okPdf = await okDokumentPdf(sandbox);
	fileToken = await uploadFile(sandbox, dkPdf);
	signingToken = (await createSigning(sandbox, dkPdf, [JONAS, ONA])).token;
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await reset());

async function reset(): Promise<void> {
	for (const vendor of VENDORS) {
		await sandbox.control(vendor, 'DELETE', '/__requests');
		await sandbox.control(vendor, 'DELETE', '/__faults');
	}
}

/** Every request any emulator received since the last reset. */
async function allRequests() {
	return [
		...(await dokobitRequests(sandbox)),
		...(await okDokumentRequests(sandbox)),
		...(await documentologRequests(sandbox)),
	];
}

// ── Dokobit Gateway ────────────────────────────────────────────────────────────────────────────

const dkCreate = (extra: INodeParameters = {}): INodeParameters => ({
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
const dkJsonSigners = (signers: unknown) =>
	dkCreate({
		signersInput: 'json',
		signersJson: typeof signers === 'string' ? signers : JSON.stringify(signers),
	});

const dokobit: Record<string, Row> = {
	'empty document name': {
		parameters: () => dkCreate({ name: '  ' }),
		message: 'Item 0: Document Name is required and must not be empty',
	},
	'unknown signing purpose in JSON signers': {
		parameters: () => dkJsonSigners([{ ...JONAS, signing_purpose: 'approval' }]),
		message:
			'Item 0: Signers (JSON) › Signer 1 › signing_purpose must be one of signature, confirmation, visa, conciliation, registration, registration-of-incoming-documents, acknowledgement, notarisation, copy-certification',
	},
	'invalid personal code': {
		parameters: () => dkCreate({ signers: signersFields({ ...JONAS, code: '50013018865' }) }),
		message:
			'Item 0: Signer 1 › Personal Code "50013018865" is not a valid LT, EE or FI personal code',
	},
	'invalid phone': {
		parameters: () =>
			dkCreate({ signers: signersFields(JONAS, { ...ONA, phone: '+37000000766' }) }),
		message:
			'Item 0: Signer 2 › Additional Fields › Phone "+37000000766" is not a Mobile-ID number (+3706…, +372…, +358…)',
	},
	'invalid email': {
		parameters: () => dkCreate({ signers: signersFields({ ...JONAS, email: 'jonas@example' }) }),
		message:
			'Item 0: Signer 1 › Additional Fields › Email "jonas@example" is not an e-mail address',
	},
	'duplicate signer ids': {
		parameters: () => dkJsonSigners([JONAS, { ...ONA, id: JONAS.id }]),
		message: `Item 0: Signers (JSON) › Signer 2 › id "${JONAS.id}" is used twice: give each signer its own Personal Code or Signer ID`,
	},
	'missing signer surname': {
		parameters: () => dkJsonSigners([{ id: '1', name: 'Jonas' }]),
		message: 'Item 0: Signers (JSON) › Signer 1 › surname is required',
	},
	'unknown signer field in JSON': {
		parameters: () => dkJsonSigners([{ ...JONAS, role: 'signer' }]),
		message: 'Item 0: Signers (JSON) › Signer 1 › role is not a Gateway signer field',
	},
	'invalid country code': {
		parameters: () => dkJsonSigners([{ ...JONAS, country_code: 'LTU' }]),
		message: 'Item 0: Signers (JSON) › Signer 1 › country_code must be a two-letter country code',
	},
	'signers JSON that is not an array': {
		parameters: () => dkJsonSigners(JONAS),
		message: 'Item 0: Signers (JSON) must be an array of signer objects',
	},
	'signers JSON that is not JSON': {
		parameters: () => dkJsonSigners('[{ id: 1, name: "Jonas" }'),
		message: 'Item 0: Signers (JSON) is not valid JSON',
	},
	'type options JSON that is not an object': {
		parameters: () => dkCreate({ options: { typeOptions: '["pades-ltv"]' } }),
		message: 'Item 0: Options › Type Options (JSON) must be a JSON object',
	},
	'two file tokens for the pdf type': {
		parameters: () => dkCreate({ filesFrom: 'tokens', fileTokens: `${fileToken},${fileToken}x` }),
		items: () => [{ json: {} }],
		message: 'Item 0: File Tokens must be a single file for the pdf type',
	},
	'a file token with a slash': {
		parameters: () =>
			dkCreate({ type: 'asice', filesFrom: 'tokens', fileTokens: `${fileToken},../x` }),
		items: () => [{ json: {} }],
		message: 'Item 0: File Tokens "../x" is not a Dokobit token',
	},
	'a signing token with a slash': {
		parameters: () => ({ resource: 'signing', operation: 'getStatus', signingToken: 'abc/../def' }),
		message: 'Item 0: Signing Token "abc/../def" is not a Dokobit token',
	},
	'a missing binary property': {
		parameters: () => dkCreate({ binaryPropertyName: 'file' }),
		message:
			'Item 0: Input Binary Field names "file", but the item has no binary field of that name',
	},
	'invalid base64': {
		parameters: () =>
			dkCreate({ fileSource: 'base64', fileBase64: 'JVBERi0x%%%', fileName: 'contract.pdf' }),
		message: 'Item 0: File Content (Base64) is not valid base64',
	},
	'base64 without a file name': {
		parameters: () => dkCreate({ fileSource: 'base64', fileBase64: dkPdf.toString('base64') }),
		message: 'Item 0: File Name is required and must not be empty',
	},
	'a non-http postback URL': {
		parameters: () => dkCreate({ options: { postbackUrl: 'ftp://n8n.example.com/hook' } }),
		message:
			'Item 0: Options › Postback URL must be an absolute http(s) URL, got "ftp://n8n.example.com/hook"',
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
		message: 'Item 0: Signers (JSON) must contain at least one signer',
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
		message: 'Item 0: Options › Visible Seal (PDF) › Page must be a number',
	},
};

// ── OKdokument ─────────────────────────────────────────────────────────────────────────────────

const DAY = 24 * 3600_000;
const okCreate = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'signatureRequest',
	operation: 'create',
	documentSource: 'upload',
	fileSource: 'binary',
	binaryPropertyName: 'data',
	...extra,
});
const okRules = (rules: INodeParameters) => okCreate({ rules });
const okOptions = (options: INodeParameters) => okCreate({ options });

const okdokument: Record<string, Row> = {
	'a file over 10 MB': {
		parameters: () => okCreate(),
		items: () => [
			fileItem(Buffer.concat([okPdf, Buffer.alloc(10 * 1024 * 1024 - okPdf.length + 1, 0x20)])),
		],
		message: 'Item 0: File "agreement.pdf" is 10.0 MB; OKdokument takes at most 10 MB',
	},
	'a file type OKdokument does not take': {
		parameters: () => okCreate(),
		items: () => [fileItem(Buffer.from('hello'), 'notes.txt', 'text/plain')],
		message:
			'Item 0: File "notes.txt" has the type .txt; OKdokument takes PDF, DOC, DOCX, XLS and XLSX files',
	},
	'a .pdf that is not a PDF': {
		parameters: () => okCreate(),
		items: () => [fileItem(Buffer.from('<html>not a pdf</html>'), 'scan.pdf')],
		message: 'Item 0: File "scan.pdf" is not a PDF (it does not start with %PDF-)',
	},
	'a .docx that is not a DOCX': {
		parameters: () => okCreate(),
		items: () => [fileItem(okPdf, 'contract.docx', DOCX_MIME)],
		message:
			'Item 0: File "contract.docx" is not a DOCX file (its content does not match the extension)',
	},
	'an empty file': {
		parameters: () => okCreate(),
		items: () => [fileItem(Buffer.alloc(0), 'empty.pdf')],
		message: 'Item 0: File "empty.pdf" is empty',
	},
	'a missing binary property': {
		parameters: () => okCreate({ binaryPropertyName: 'document' }),
		message:
			'Item 0: Input Binary Field names "document", but the item has no binary field of that name',
	},
	'invalid base64': {
		parameters: () =>
			okCreate({ fileSource: 'base64', fileBase64: 'JVBERi0x%%%', fileName: 'contract.pdf' }),
		message: 'Item 0: File Content (Base64) is not valid base64',
	},
	'an invalid signer e-mail': {
		parameters: () => okRules({ emailTo: 'customer@example', emailFrom: 'a@example.com' }),
		message: 'Item 0: Signing Rules › Signer E-Mail "customer@example" is not an e-mail address',
	},
	'a signer e-mail without a sender e-mail': {
		parameters: () => okRules({ emailTo: 'customer@example.com' }),
		message: 'Item 0: Signing Rules › Sender E-Mail is required when Signer E-Mail is set',
	},
	'a bad address among the final e-mails': {
		parameters: () => okRules({ emailFinal: 'hr@example.com; legal(at)example.com' }),
		message:
			'Item 0: Signing Rules › Final Document E-Mails "legal(at)example.com" is not an e-mail address',
	},
	'an OTP phone without a country code': {
		parameters: () => okRules({ signOtpPhone: '0905 123 456' }),
		message:
			'Item 0: Signing Rules › OTP to Sign by SMS "0905 123 456" is not a phone number in international format',
	},
	'an OTP e-mail that is not an address': {
		parameters: () => okRules({ openOtpEmail: 'customer' }),
		message: 'Item 0: Signing Rules › OTP to Open by E-Mail "customer" is not an e-mail address',
	},
	'a signer name over 40 characters': {
		parameters: () => okRules({ signerName: 'A'.repeat(41) }),
		message:
			'Item 0: Signing Rules › Signer Name is 41 characters long; OKdokument allows at most 40',
	},
	'additional rules that are not an object': {
		parameters: () => okRules({ additionalRules: '["guiAutoSubmit"]' }),
		message: 'Item 0: Signing Rules › Additional Rules (JSON) must be a JSON object',
	},
	'an expiration in the past': {
		parameters: () => okOptions({ expiresAt: '2020-01-01T00:00:00Z' }),
		message: 'Item 0: Options › Expires At 2020-01-01T00:00:00.000Z is in the past',
	},
	'an expiration beyond 10 days': {
		parameters: () => okOptions({ expiresAt: new Date(Date.now() + 11 * DAY).toISOString() }),
		message:
			/^Item 0: Options › Expires At \S+Z is more than 10 days ahead; OKdokument keeps a request open for at most 10 days$/,
	},
	'an expiration that is not a date': {
		parameters: () => okOptions({ expiresAt: 'next friday' }),
		message: 'Item 0: Options › Expires At "next friday" is not a date and time',
	},
	'a text tag out of range': {
		parameters: () => okOptions({ allowedFields: '{"SIGNATURE": "_SO1_;_SO6_"}' }),
		message:
			'Item 0: Options › Allowed Fields (JSON) › SIGNATURE "_SO6_" is not a text tag (_SO1_…_SO5_ optional, _SC1_…_SC5_ compulsory)',
	},
	'an unknown field type in allowed fields': {
		parameters: () => okOptions({ allowedFields: '{"SIGNATURES": ["SC_signature"]}' }),
		message:
			'Item 0: Options › Allowed Fields (JSON) has the key "SIGNATURES"; field types are TEXT, CHECKBOX, SIGNATURE, RADIO, COMBOBOX',
	},
	'allowed fields that are not JSON': {
		parameters: () => okOptions({ allowedFields: '{SIGNATURE: SC_signature}' }),
		message: 'Item 0: Options › Allowed Fields (JSON) is not valid JSON',
	},
	'a field value for a badly named field': {
		parameters: () => okOptions({ fieldConfig: { field: [{ name: 'TC;text', value: 'x' }] } }),
		message:
			'Item 0: Options › Field Values › Field 1 › Field Name "TC;text" is not a form field name',
	},
	'the reserved signature request ID "off"': {
		parameters: () => okOptions({ signatureRequestId: 'off' }),
		message: 'Item 0: Options › Signature Request ID "off" is not a usable signature request ID',
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
		parameters: () => okOptions({ callbackUrl: 'ftp://n8n.example.com/hook' }),
		message:
			'Item 0: Options › Callback URL must be an absolute http(s) URL, got "ftp://n8n.example.com/hook"',
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
		message:
			'Item 0: Signing Rules › OTP to Open by SMS "+1" is not a phone number in international format',
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

// ── Documentolog ───────────────────────────────────────────────────────────────────────────────

const dlCreate = (extra: INodeParameters) => () => createParameters(sandbox, extra);

const pdfBinary = (extra: Record<string, unknown> = {}): INodeExecutionData => ({
	json: {},
	binary: {
		data: {
			data: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64'),
			mimeType: 'application/pdf',
			fileName: 'contract.pdf',
			...extra,
		},
	},
});

const completion = (link: string) => ({
	event: 'document_completed',
	doc_id: 'KZ000000000000000001234567',
	document:
		'https://apibusiness.documentolog.com/external/document/view-document/dcs_universal_type/1234',
	download_files_with_eds: [{ name: 'contract.pdf', link }],
});

const download = (event: unknown, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'document',
	operation: 'downloadFiles',
	completionEvent: JSON.stringify(event),
	fileKind: 'signed',
	which: 'all',
	binaryPropertyName: 'data',
	...extra,
});

const documentolog: Record<string, Row> = {
	'a sender IIN with a wrong check digit': {
		parameters: dlCreate({ sender: '900101300019' }),
		message:
			'Item 0: Sender IIN/BIN "900101300019" has a wrong check digit (the last digit should be 7)',
	},
	'a sender BIN of the wrong length': {
		parameters: dlCreate({ sender: '04074000000' }),
		message: 'Item 0: Sender IIN/BIN "04074000000" must be exactly 12 digits, got 11',
	},
	'a sender number that can have no check digit': {
		parameters: dlCreate({ sender: '900101300805' }),
		message:
			'Item 0: Sender IIN/BIN "900101300805" has no valid check digit (such numbers are never issued)',
	},
	'a placeholder sender with Check IIN/BIN Structure on': {
		parameters: dlCreate({ sender: '000000000000', options: { checkIdentifierStructure: true } }),
		message:
			'Item 0: Sender IIN/BIN "000000000000" is neither an IIN (birth date YYMMDD, century digit 1–6) nor a BIN (YYMM, type 4–6, attribute 0–3)',
	},
	'a recipient IIN with a wrong check digit': {
		parameters: dlCreate({ recipients: ['900101300812'] }),
		message:
			'Item 0: Recipients › 1 "900101300812" has a wrong check digit (the last digit should be 1)',
	},
	'a recipient that is no IIN, e-mail or phone': {
		parameters: dlCreate({ recipients: [RECIPIENT_IIN, 'Nurlan'] }),
		message:
			'Item 0: Recipients › 2 "Nurlan" is not an IIN/BIN, an e-mail address or a phone number',
	},
	'a recipient e-mail without a domain': {
		parameters: dlCreate({ recipients: ['buyer@example'] }),
		message: 'Item 0: Recipients › 1 "buyer@example" is not a valid e-mail address',
	},
	'the same recipient twice': {
		parameters: dlCreate({ recipients: [RECIPIENT_IIN, RECIPIENT_IIN] }),
		message: `Item 0: Recipients › 2 "${RECIPIENT_IIN}" is listed twice`,
	},
	'no recipients while Send to Recipient is on': {
		parameters: dlCreate({ recipients: [] }),
		message: 'Item 0: Recipients must list at least one recipient when Send to Recipient is on',
	},
	'an SMS phone in a bad format': {
		parameters: dlCreate({
			smsRecipients: { recipient: [{ phone: '+7 701 12', fullName: 'Aru Bek', iin: '' }] },
		}),
		message:
			'Item 0: SMS Recipient 1 › Phone "+7 701 12" is not a phone number in the format +X (XXX) XXX-XX-XX',
	},
	'an SMS recipient without a name': {
		parameters: dlCreate({
			smsRecipients: { recipient: [{ phone: '+77011234567', fullName: ' ', iin: '' }] },
		}),
		message: 'Item 0: SMS Recipient 1 › Full Name is required and must not be empty',
	},
	'an SMS recipient IIN with a wrong check digit': {
		parameters: dlCreate({
			smsRecipients: {
				recipient: [{ phone: '+77011234567', fullName: 'Aru Bek', iin: '900101300019' }],
			},
		}),
		message:
			'Item 0: SMS Recipient 1 › IIN "900101300019" has a wrong check digit (the last digit should be 7)',
	},
	'an attachment with an unsupported extension': {
		parameters: dlCreate({ attachmentUrls: ['https://files.example.com/setup.exe'] }),
		message:
			'Item 0: Attachment URLs › 1 has the extension ".exe", which Documentolog does not accept',
	},
	'an attachment link without an extension': {
		parameters: dlCreate({ attachmentUrls: ['https://files.example.com/download?id=5'] }),
		message:
			'Item 0: Attachment URLs › 1 "https://files.example.com/download?id=5" does not end in a file extension',
	},
	'an attachment that is not an http(s) URL': {
		parameters: dlCreate({ attachmentUrls: ['ftp://files.example.com/contract.pdf'] }),
		message:
			'Item 0: Attachment URLs › 1 must be an absolute http(s) URL, got "ftp://files.example.com/contract.pdf"',
	},
	'no attachments': {
		parameters: dlCreate({ attachmentUrls: [] }),
		message: 'Item 0: Attachment URLs must list at least one file',
	},
	'no recipient signature method while recipients must sign': {
		parameters: dlCreate({ recipientSignatureMethods: [] }),
		message:
			'Item 0: Recipient Signature Methods must include at least one method when recipients must sign',
	},
	'an unknown sender signature method': {
		parameters: dlCreate({ senderSignatureMethods: ['eds', 'fax'] }),
		message:
			'Item 0: Sender Signature Methods contains "fax"; allowed are eds, egov-qr, adobe-sign, sms',
	},
	'a webhook URL that is not a URL': {
		parameters: dlCreate({ webhookUrl: 'hooks/documentolog' }),
		message: 'Item 0: Webhook URL must be an absolute http(s) URL, got "hooks/documentolog"',
	},
	'a correlation id without a webhook URL': {
		parameters: dlCreate({ options: { correlationId: 'order-1' } }),
		message: 'Item 0: Options › Correlation ID needs a Webhook URL to travel in',
	},
	'a binary field that the item does not have': {
		parameters: dlCreate({ attachmentsFrom: 'binary', binaryPropertyNames: 'data, appendix' }),
		items: () => [pdfBinary()],
		message:
			'Item 0: Input Binary Fields names "appendix", but the item has no binary field of that name',
	},
	'a binary held in memory (no id to sign a link for)': {
		parameters: dlCreate({ attachmentsFrom: 'binary', binaryPropertyNames: 'data' }),
		items: () => [pdfBinary()],
		message:
			'Item 0: Input Binary Fields "data" is held in memory, and n8n can only sign links to binary data stored by id',
	},
	'a binary file with an unsupported extension': {
		parameters: dlCreate({ attachmentsFrom: 'binary', binaryPropertyNames: 'data' }),
		items: () => [pdfBinary({ fileName: 'setup.exe', id: 'filesystem-v2:x' })],
		message:
			'Item 0: Input Binary Fields "data" holds "setup.exe", whose extension Documentolog does not accept',
	},
	'a download link on a foreign host': {
		parameters: () =>
			download(
				completion('https://evil.example.com/external/media/download-eds/dcs_universal_type/1/2'),
			),
		message: () =>
			`Item 0: Completion Event links "contract.pdf" to a foreign host: "evil.example.com" is not the credential's Documentolog host (${new URL(sandbox.url('documentolog')).host})`,
	},
	'a download from an event that is not a completion': {
		parameters: () =>
			download({
				event: 'signer_signed',
				doc_id: 'KZ000000000000000001234567',
				signer: { name: 'A', recipient: RECIPIENT_IIN },
			}),
		message: 'Item 0: Completion Event is a signer_signed event, not document_completed',
	},
	'a download of a file the event does not list': {
		parameters: () =>
			download(completion(`${sandbox.url('documentolog')}/external/media/download/1`), {
				which: 'one',
				fileName: 'other.pdf',
			}),
		message: 'Item 0: File Name "other.pdf" is not among the event\'s files',
	},
	'a download of a kind the completion does not hold': {
		parameters: () =>
			download({
				event: 'document_completed',
				doc_id: 'KZ000000000000000001234567',
				download_files: [
					{ name: 'a.pdf', link: `${sandbox.url('documentolog')}/external/media/download/1` },
				],
			}),
		message: 'Item 0: Completion Event has no signed files',
	},
	'a download from text that is not JSON': {
		parameters: () => ({ ...download({}), completionEvent: '{"event":' }),
		message: 'Item 0: Completion Event is not valid JSON',
	},
	'a trigger URL request for a URL that is not a trigger URL': {
		parameters: () => ({
			resource: 'webhook',
			operation: 'getTriggerUrl',
			triggerUrl: 'https://n8n.example.com/form/contact',
		}),
		message: 'Item 0: Trigger URL is not a Documentolog Trigger URL (…/WEBHOOK_ID/webhook)',
	},
};

// ── Inputs only the vendor can judge, and vendor answers the node cannot read ─────────────────

const HTML_502: Fault['action'] = { status: 502, html: true };
const TRUNCATED_JSON: Fault['action'] = { status: 200, malformedJson: true };

const dokobitVendor: Record<string, Row> = {
	'an unknown signing token (the Gateway answers 404)': {
		parameters: () => ({
			resource: 'signing',
			operation: 'getStatus',
			signingToken: 's-unknown-signing',
		}),
		message: 'Item 0: Dokobit Gateway could not find Signing Token "s-unknown-signing" (HTTP 404)',
		vendor: { httpCode: '404', description: 'Signing not found', requests: 1 },
	},
	'an unknown file token (404)': {
		parameters: () => ({ resource: 'file', operation: 'getStatus', fileToken: 'f-unknown-file' }),
		message: 'Item 0: Dokobit Gateway could not find File Token "f-unknown-file" (HTTP 404)',
		vendor: { httpCode: '404', description: 'File not found', requests: 1 },
	},
	'an unknown signing token on delete (404)': {
		parameters: () => ({ resource: 'signing', operation: 'delete', signingToken: 's-gone' }),
		message: 'Item 0: Dokobit Gateway could not find Signing Token "s-gone" (HTTP 404)',
		vendor: { httpCode: '404', description: 'Signing not found', requests: 1 },
	},
	'a file token the Gateway does not know, on create (400)': {
		parameters: () => dkCreate({ filesFrom: 'tokens', fileTokens: 'f-unknown-file' }),
		items: () => [{ json: {} }],
		message: 'Item 0: Dokobit Gateway answered HTTP 400',
		vendor: {
			httpCode: '400',
			description: 'Data validation failed; files[0][token]: File not found.',
			requests: 1,
		},
	},
	'an HTML error page from a proxy instead of JSON (502 on a create)': {
		parameters: () => dkCreate(),
		message: 'Item 0: Dokobit Gateway answered HTTP 502',
		vendor: {
			fault: { match: { method: 'POST', path: '/create\\.json$' }, action: HTML_502 },
			httpCode: '502',
			requests: 3, // the upload, its status, then the create, sent once
		},
	},
	'truncated JSON with HTTP 200': {
		parameters: () => ({
			resource: 'signing',
			operation: 'seal',
			signingToken,
			sealName: 'Company seal',
		}),
		message: 'Item 0: Dokobit Gateway sent an answer that is not valid JSON',
		vendor: {
			fault: { match: { method: 'POST', path: '/seal\\.json$' }, action: TRUNCATED_JSON },
			description: 'The answer began with: {"status":"error","message":',
			requests: 1,
		},
	},
};

const okDokumentVendor: Record<string, Row> = {
	'an unknown document ID (404)': {
		parameters: () => ({ resource: 'document', operation: 'get', documentId: 'unknown-document' }),
		message: 'Item 0: OKdokument could not find Document ID "unknown-document" (HTTP 404)',
		vendor: { httpCode: '404', description: 'err.not.found (unknown-document)', requests: 1 },
	},
	'an unknown document for the next round (404 on a create)': {
		parameters: () => ({
			resource: 'signatureRequest',
			operation: 'create',
			documentSource: 'existing',
			documentId: 'no-such-document',
		}),
		message: 'Item 0: OKdokument could not find the requested resource (HTTP 404)',
		vendor: { httpCode: '404', description: 'err.not.found (no-such-document)', requests: 1 },
	},
	'an unknown signature request ID on delete (400)': {
		parameters: () => ({
			resource: 'signatureRequest',
			operation: 'delete',
			signatureRequestId: 'unknown-request',
		}),
		message: 'Item 0: OKdokument answered HTTP 400',
		vendor: { httpCode: '400', description: /unknown-request/, requests: 1 },
	},
	'a download of an unknown document (404)': {
		parameters: () => ({
			resource: 'document',
			operation: 'download',
			documentId: 'unknown-document',
			binaryPropertyName: 'data',
		}),
		message: 'Item 0: OKdokument could not find Document ID "unknown-document" (HTTP 404)',
		vendor: { httpCode: '404', description: 'err.not.found (unknown-document)', requests: 1 },
	},
	'an HTML error page from a proxy instead of JSON (502 on a create)': {
		parameters: () => okCreate(),
		message: 'Item 0: OKdokument answered HTTP 502',
		vendor: {
			fault: { match: { method: 'POST', path: '^/JSON/signatureRequest$' }, action: HTML_502 },
			httpCode: '502',
			requests: 1,
		},
	},
	'truncated JSON with HTTP 200 on a create': {
		parameters: () => okCreate(),
		message: 'Item 0: OKdokument sent an answer that is not valid JSON',
		vendor: {
			fault: {
				match: { method: 'POST', path: '^/JSON/signatureRequest$' },
				action: TRUNCATED_JSON,
			},
			description: 'The answer began with: {"status":"error","message":',
			requests: 1,
		},
	},
};

const documentologVendor: Record<string, Row> = {
	'a sender the vendor does not accept (400 naming the field)': {
		parameters: dlCreate({}),
		message: 'Item 0: Documentolog answered HTTP 400',
		vendor: {
			fault: {
				match: { method: 'POST', path: '^/json/external/oauth/token$' },
				action: {
					status: 400,
					body: {
						status: 0,
						message: 'Validation failed',
						errors: { sSender: ['Sender is not registered'] },
					},
				},
			},
			httpCode: '400',
			description: 'Validation failed; sSender: Sender is not registered',
			requests: 1,
		},
	},
	'an HTML error page from a proxy instead of JSON (502 on a create)': {
		parameters: dlCreate({}),
		message: 'Item 0: Documentolog answered HTTP 502',
		vendor: {
			fault: { match: { method: 'POST', path: '^/json/external/' }, action: HTML_502 },
			httpCode: '502',
			requests: 1,
		},
	},
	'truncated JSON with HTTP 200 on a create': {
		parameters: dlCreate({}),
		message: 'Item 0: Documentolog sent an answer that is not valid JSON',
		vendor: {
			fault: { match: { method: 'POST', path: '^/json/external/' }, action: TRUNCATED_JSON },
			requests: 1,
		},
	},
	'a completion link to a file the vendor does not have (404)': {
		parameters: () =>
			download(
				completion(
					`${sandbox.url('documentolog')}/external/media/download-eds/dcs_universal_type/1/999999`,
				),
			),
		message: 'Item 0: Documentolog could not find the requested resource (HTTP 404)',
		vendor: { httpCode: '404', requests: 1 },
	},
};

const table: Array<[string, Vendor, Row]> = [
	...Object.entries({ ...dokobit, ...dokobitVendor }).map(
		([label, row]) => [`Dokobit: ${label}`, 'dokobit', row] as [string, Vendor, Row],
	),
	...Object.entries({ ...okdokument, ...okDokumentVendor }).map(
		([label, row]) => [`OKdokument: ${label}`, 'okdokument', row] as [string, Vendor, Row],
	),
	...Object.entries({ ...documentolog, ...documentologVendor }).map(
		([label, row]) => [`Documentolog: ${label}`, 'documentolog', row] as [string, Vendor, Row],
	),
];

const defaultItems: Record<Vendor, () => INodeExecutionData[]> = {
	dokobit: () => [pdfItem(dkPdf)],
	okdokument: () => [fileItem(okPdf)],
	documentolog: () => [{ json: {} }],
};

async function runNode(
	vendor: Vendor,
	parameters: INodeParameters,
	items: INodeExecutionData[],
	node: Partial<INode>,
): Promise<IRun> {
	if (vendor === 'dokobit') return await runDokobit(sandbox, parameters, items, { node });
	if (vendor === 'okdokument') return await runOkDokument(sandbox, parameters, items, { node });
	return await runDocumentolog(sandbox, parameters, items, { node });
}

/** The expected message for item `index`; rows give it for item 0. */
function expectMessage(actual: unknown, row: Row, index: number): void {
	const text = String(actual);
	expect(text.startsWith(`Item ${index}: `)).toBe(true);
	const asItem0 = text.replace(/^Item \d+: /, 'Item 0: ');
	const expected = typeof row.message === 'function' ? row.message() : row.message;
	if (expected instanceof RegExp) expect(asItem0).toMatch(expected);
	else expect(asItem0).toBe(expected);
}

function expectDescription(actual: unknown, expected: string | RegExp | undefined): void {
	if (expected === undefined) return;
	if (expected instanceof RegExp) expect(String(actual)).toMatch(expected);
	else expect(actual).toBe(expected);
}

describe('bad inputs across all three vendors', () => {
	it('has at least 40 distinct rows, at least 12 per vendor', () => {
		expect(new Set(table.map(([label]) => label)).size).toBe(table.length);
		expect(table.length).toBeGreaterThanOrEqual(40);
		for (const vendor of VENDORS) {
			expect(table.filter(([, v]) => v === vendor).length).toBeGreaterThanOrEqual(12);
		}
	});

	it.each(table)('%s', async (_label, vendor, row) => {
		const items = row.items?.() ?? defaultItems[vendor]();
		const fault = row.vendor?.fault;
		if (fault) await sandbox.control(vendor, 'POST', '/__faults', fault);

		// As it comes: the node stops, naming the item and the field.
		const stopped = await runNode(vendor, row.parameters(), items, {});
		const error = errorOf(stopped);
		expect(error?.name).toBe(row.vendor ? 'NodeApiError' : 'NodeOperationError');
		expectMessage(error?.message, row, 0);
		expect(error?.context?.itemIndex).toBe(0);
		expect(outputOf(stopped)).toEqual([]);
		const sent = await allRequests();
		if (row.vendor) {
			expectDescription(error?.description, row.vendor.description);
			expect(sent).toHaveLength(row.vendor.requests);
		} else {
			expect(sent).toEqual([]);
		}

		// With "On Error: continue" and the item twice: two error items, no exception.
		await reset();
		if (fault) await sandbox.control(vendor, 'POST', '/__faults', fault);
		const continued = await runNode(vendor, row.parameters(), [...items, ...items], {
			onError: 'continueRegularOutput',
		});
		expect(errorOf(continued)).toBeUndefined();
		const output = outputOf(continued);
		expect(output).toHaveLength(2);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.binary).toBeUndefined();
			expectMessage(item.json.error, row, index);
			if (row.vendor) {
				expectDescription(item.json.description, row.vendor.description);
				if (row.vendor.httpCode) expect(item.json.httpCode).toBe(row.vendor.httpCode);
			}
		});
		if (!row.vendor) expect(await allRequests()).toEqual([]);
	});
});
