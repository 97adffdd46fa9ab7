import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { errorOf } from '../../helpers/engine';
import { startSandbox, type Sandbox } from '../../helpers/sandbox';
import { RECIPIENT_IIN, apiRequests, clearLog, createParameters, runDocumentolog } from './harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox(['documentolog']);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

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

interface Case {
	label: string;
	parameters: (s: Sandbox) => INodeParameters;
	items?: INodeExecutionData[];
	message: string | ((s: Sandbox) => string);
}

const create = (extra: INodeParameters) => (s: Sandbox) => createParameters(s, extra);

// Every bad input fails before anything is sent, with the item and the field in the message.
const cases: Case[] = [
	{
		label: 'a sender IIN with a wrong check digit',
		parameters: create({ sender: '900101300019' }),
		message:
			'Item 0: Sender IIN/BIN "900101300019" has a wrong check digit (the last digit should be 7)',
	},
	{
		label: 'a sender BIN of the wrong length',
		parameters: create({ sender: '04074000000' }),
		message: 'Item 0: Sender IIN/BIN "04074000000" must be exactly 12 digits, got 11',
	},
	{
		label: 'a sender number that can have no check digit',
		parameters: create({ sender: '900101300805' }),
		message:
			'Item 0: Sender IIN/BIN "900101300805" has no valid check digit (such numbers are never issued)',
	},
	{
		label: 'a placeholder sender with Check IIN/BIN Structure on',
		parameters: create({ sender: '000000000000', options: { checkIdentifierStructure: true } }),
		message:
			'Item 0: Sender IIN/BIN "000000000000" is neither an IIN (birth date YYMMDD, century digit 1–6) nor a BIN (YYMM, type 4–6, attribute 0–3)',
	},
	{
		label: 'a recipient IIN with a wrong check digit',
		parameters: create({ recipients: ['900101300812'] }),
		message:
			'Item 0: Recipients[0] "900101300812" has a wrong check digit (the last digit should be 1)',
	},
	{
		label: 'a recipient that is no IIN, e-mail or phone',
		parameters: create({ recipients: [RECIPIENT_IIN, 'Nurlan'] }),
		message:
			'Item 0: Recipients[1] "Nurlan" is not an IIN/BIN, an e-mail address or a phone number',
	},
	{
		label: 'a recipient e-mail without a domain',
		parameters: create({ recipients: ['buyer@example'] }),
		message: 'Item 0: Recipients[0] "buyer@example" is not a valid e-mail address',
	},
	{
		label: 'the same recipient twice',
		parameters: create({ recipients: [RECIPIENT_IIN, RECIPIENT_IIN] }),
		message: `Item 0: Recipients[1] "${RECIPIENT_IIN}" is listed twice`,
	},
	{
		label: 'no recipients while Send to Recipient is on',
		parameters: create({ recipients: [] }),
		message: 'Item 0: Recipients must list at least one recipient when Send to Recipient is on',
	},
	{
		label: 'an SMS phone in a bad format',
		parameters: create({
			smsRecipients: { recipient: [{ phone: '+7 701 12', fullName: 'Aru Bek', iin: '' }] },
		}),
		message:
			'Item 0: SMS Recipients[0].Phone "+7 701 12" is not a phone number in the format +X (XXX) XXX-XX-XX',
	},
	{
		label: 'an SMS recipient without a name',
		parameters: create({
			smsRecipients: { recipient: [{ phone: '+77011234567', fullName: ' ', iin: '' }] },
		}),
		message: 'Item 0: SMS Recipients[0].Full Name is required and must not be empty',
	},
	{
		label: 'an SMS recipient IIN with a wrong check digit',
		parameters: create({
			smsRecipients: {
				recipient: [{ phone: '+77011234567', fullName: 'Aru Bek', iin: '900101300019' }],
			},
		}),
		message:
			'Item 0: SMS Recipients[0].IIN "900101300019" has a wrong check digit (the last digit should be 7)',
	},
	{
		label: 'an attachment with an unsupported extension',
		parameters: create({ attachmentUrls: ['https://files.example.com/setup.exe'] }),
		message:
			'Item 0: Attachment URLs[0] has the extension ".exe", which Documentolog does not accept',
	},
	{
		label: 'an attachment link without an extension',
		parameters: create({ attachmentUrls: ['https://files.example.com/download?id=5'] }),
		message:
			'Item 0: Attachment URLs[0] "https://files.example.com/download?id=5" does not end in a file extension',
	},
	{
		label: 'an attachment that is not an http(s) URL',
		parameters: create({ attachmentUrls: ['ftp://files.example.com/contract.pdf'] }),
		message:
			'Item 0: Attachment URLs[0] must be an absolute http(s) URL, got "ftp://files.example.com/contract.pdf"',
	},
	{
		label: 'no attachments',
		parameters: create({ attachmentUrls: [] }),
		message: 'Item 0: Attachment URLs must list at least one file',
	},
	{
		label: 'no recipient signature method while recipients must sign',
		parameters: create({ recipientSignatureMethods: [] }),
		message:
			'Item 0: Recipient Signature Methods must include at least one method when recipients must sign',
	},
	{
		label: 'an unknown sender signature method',
		parameters: create({ senderSignatureMethods: ['eds', 'fax'] }),
		message:
			'Item 0: Sender Signature Methods contains "fax"; allowed are eds, egov-qr, adobe-sign, sms',
	},
	{
		label: 'a webhook URL that is not a URL',
		parameters: create({ webhookUrl: 'hooks/documentolog' }),
		message: 'Item 0: Webhook URL must be an absolute http(s) URL, got "hooks/documentolog"',
	},
	{
		label: 'a correlation id without a webhook URL',
		parameters: create({ options: { correlationId: 'order-1' } }),
		message: 'Item 0: Correlation ID needs a Webhook URL to travel in',
	},
	{
		label: 'a binary field that the item does not have',
		parameters: create({ attachmentsFrom: 'binary', binaryPropertyNames: 'data, appendix' }),
		items: [pdfBinary()],
		message:
			'Item 0: Input Binary Fields names "appendix", but the item has no binary field of that name',
	},
	{
		label: 'a binary held in memory (no id to sign a link for)',
		parameters: create({ attachmentsFrom: 'binary', binaryPropertyNames: 'data' }),
		items: [pdfBinary()],
		message:
			'Item 0: Input Binary Fields "data" is held in memory, and n8n can only sign links to binary data stored by id',
	},
	{
		label: 'a binary file with an unsupported extension',
		parameters: create({ attachmentsFrom: 'binary', binaryPropertyNames: 'data' }),
		items: [pdfBinary({ fileName: 'setup.exe', id: 'filesystem-v2:x' })],
		message:
			'Item 0: Input Binary Fields "data" holds "setup.exe", whose extension Documentolog does not accept',
	},
	{
		label: 'a download link on a foreign host',
		parameters: () =>
			download(
				completion('https://evil.example.com/external/media/download-eds/dcs_universal_type/1/2'),
			),
		message: (s) =>
			`Item 0: Completion Event links "contract.pdf" to a foreign host: "evil.example.com" is not the credential's Documentolog host (${new URL(s.url('documentolog')).host})`,
	},
	{
		label: 'a download from an event that is not a completion',
		parameters: () =>
			download({
				event: 'signer_signed',
				doc_id: 'KZ000000000000000001234567',
				signer: { name: 'A', recipient: RECIPIENT_IIN },
			}),
		message: 'Item 0: Completion Event is a signer_signed event, not document_completed',
	},
	{
		label: 'a download of a file the event does not list',
		parameters: (s) =>
			download(completion(`${s.url('documentolog')}/external/media/download/1`), {
				which: 'one',
				fileName: 'other.pdf',
			}),
		message: 'Item 0: File Name "other.pdf" is not among the event\'s files',
	},
	{
		label: 'a download from text that is not JSON',
		parameters: () => ({ ...download({}), completionEvent: '{"event":' }),
		message: 'Item 0: Completion Event is not valid JSON',
	},
	{
		label: 'a trigger URL request for a URL that is not a trigger URL',
		parameters: () => ({
			resource: 'webhook',
			operation: 'getTriggerUrl',
			triggerUrl: 'https://n8n.example.com/form/contact',
		}),
		message: 'Item 0: Trigger URL is not a Documentolog Trigger URL (…/WEBHOOK_ID/webhook)',
	},
];

describe('Documentolog: bad inputs fail before any request, naming the item and the field', () => {
	it.each(cases.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
		const run = await runDocumentolog(sandbox, c.parameters(sandbox), c.items);
		const error = errorOf(run);
		const message = typeof c.message === 'string' ? c.message : c.message(sandbox);
		expect(error?.message).toBe(message);
		expect(error?.context?.itemIndex).toBe(0);
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it('has at least twelve distinct cases', () => {
		expect(new Set(cases.map((c) => c.label)).size).toBeGreaterThanOrEqual(12);
	});
});
