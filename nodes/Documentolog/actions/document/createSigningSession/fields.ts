/**
 * The panel of Create Signing Session. Send and Wait for Signature composes its own panel from the
 * same pieces, leaving out what routes the events to a Webhook URL (it sends its resume URL).
 */
import type { INodeProperties } from 'n8n-workflow';
import { legallyBindingNotice } from '../../../../shared/notices';
import { ATTACHMENT_EXTENSIONS } from '../../../helpers/types';

const METHOD_OPTIONS = [
	{ name: 'Adobe Sign', value: 'adobe-sign' },
	{ name: 'EDS (Electronic Digital Signature)', value: 'eds' },
	{ name: 'eGov QR', value: 'egov-qr' },
	{ name: 'SMS', value: 'sms' },
];

/** "docx, doc, … png or gdoc", from the list the validation checks against. */
const EXTENSIONS_IN_WORDS = `${ATTACHMENT_EXTENSIONS.slice(0, -1).join(', ')} or ${ATTACHMENT_EXTENSIONS[ATTACHMENT_EXTENSIONS.length - 1]}`;

const attachmentFields: INodeProperties[] = [
	{
		displayName: 'Attachments From',
		name: 'attachmentsFrom',
		type: 'options',
		default: 'urls',
		options: [
			{
				name: 'Binary Fields as Signed Links',
				value: 'binary',
				description:
					'Files from a previous node, offered to Documentolog as signed, expiring n8n links. Needs a publicly reachable n8n and filesystem/S3 binary mode.',
			},
			{
				name: 'URLs',
				value: 'urls',
				description: 'Public links that Documentolog downloads the files from',
			},
		],
	},
	{
		displayName: 'Attachment URLs',
		name: 'attachmentUrls',
		type: 'string',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add URL' },
		default: [],
		placeholder: 'e.g. https://example.com/files/contract.pdf',
		description: `Links to the files to sign. Each must end in ${EXTENSIONS_IN_WORDS}, and be reachable by Documentolog.`,
		displayOptions: { show: { attachmentsFrom: ['urls'] } },
	},
	{
		displayName: 'Input Binary Fields',
		name: 'binaryPropertyNames',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data, appendix',
		hint: 'Comma-separated names of the input binary fields holding the files',
		displayOptions: { show: { attachmentsFrom: ['binary'] } },
	},
];

const senderFields: INodeProperties[] = [
	{
		displayName: 'Sender IIN/BIN',
		name: 'sender',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 900101300017',
		description: 'The 12-digit IIN or BIN of the sender (sSender); the check digit is verified',
	},
	{
		displayName: 'Sender Signature Methods',
		name: 'senderSignatureMethods',
		type: 'multiOptions',
		default: ['eds', 'egov-qr'],
		options: METHOD_OPTIONS,
		description: 'Methods the sender may sign with in the embedded page',
	},
];

const smsRecipientsField: INodeProperties = {
	displayName: 'SMS Recipients',
	name: 'smsRecipients',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: {},
	placeholder: 'Add SMS Recipient',
	description: 'Recipients who get the document by SMS (Documentolog Business edition)',
	options: [
		{
			displayName: 'SMS Recipient',
			name: 'recipient',
			values: [
				{
					displayName: 'Phone',
					name: 'phone',
					type: 'string',
					default: '',
					required: true,
					placeholder: 'e.g. +7 (701) 123-45-67',
					description: 'Sent as +X (XXX) XXX-XX-XX; E.164 (+77011234567) is converted',
				},
				{
					displayName: 'Full Name',
					name: 'fullName',
					type: 'string',
					default: '',
					required: true,
					description: 'The recipient’s full name (fio)',
				},
				{
					displayName: 'IIN',
					name: 'iin',
					type: 'string',
					default: '',
					description: 'Optional 12-digit IIN of the recipient',
				},
				{
					displayName: 'Use BMG',
					name: 'enableBmg',
					type: 'boolean',
					default: false,
					description:
						'Whether to send the SMS through the BMG service (probably the mobile citizens database)',
				},
			],
		},
	],
};

const recipientFields: INodeProperties[] = [
	{
		displayName: 'Send to Recipient',
		name: 'sendToRecipient',
		type: 'boolean',
		default: true,
		description: 'Whether to send the document to the recipients once the sender has signed',
	},
	{
		displayName: 'Recipients',
		name: 'recipients',
		type: 'string',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Recipient' },
		default: [],
		placeholder: 'e.g. 900101300017',
		description:
			'Each a 12-digit IIN/BIN, an e-mail address or a phone number (+7 (701) 123-45-67)',
		displayOptions: { show: { sendToRecipient: [true] } },
	},
	{
		displayName: 'Recipient Signature Required',
		name: 'recipientSignatureRequired',
		type: 'boolean',
		default: true,
		description: 'Whether recipients must sign; off means they may only view the document',
	},
	{
		displayName: 'Recipient Signature Methods',
		name: 'recipientSignatureMethods',
		type: 'multiOptions',
		default: ['eds', 'egov-qr'],
		options: METHOD_OPTIONS,
		description: 'Methods the recipients may sign with',
	},
	smsRecipientsField,
];

/** The document, its sender and its recipients: the top of both operations' panels. */
export const documentFields: INodeProperties[] = [
	legallyBindingNotice(),
	...attachmentFields,
	...senderFields,
	...recipientFields,
];

/** Create only: where Documentolog posts the events. */
export const webhookUrlField: INodeProperties = {
	displayName: 'Webhook URL',
	name: 'webhookUrl',
	type: 'string',
	default: '',
	placeholder: 'e.g. the Production URL of a Documentolog Trigger',
	description:
		'Where Documentolog posts document_sent, signer_signed, signer_declined and document_completed. A Documentolog Trigger URL gets its secret added automatically.',
};

export const addTriggerSecretOption: INodeProperties = {
	displayName: 'Add Trigger Secret',
	name: 'addTriggerSecret',
	type: 'boolean',
	default: true,
	description:
		'Whether to add the Documentolog Trigger’s secret to a Webhook URL shaped like a trigger URL (…/WEBHOOK_ID/webhook). Needs the same credential on both nodes.',
};

export const checkIdentifierStructureOption: INodeProperties = {
	displayName: 'Check IIN/BIN Structure',
	name: 'checkIdentifierStructure',
	type: 'boolean',
	default: false,
	description:
		'Whether to also require a valid birth date and century (IIN) or type and attribute (BIN), beyond the check digit. Off accepts placeholders such as 000000000000.',
};

export const correlationIdOption: INodeProperties = {
	displayName: 'Correlation ID',
	name: 'correlationId',
	type: 'string',
	default: '',
	placeholder: 'e.g. order-1042',
	description:
		'Your own ID, added to the Webhook URL as ?ref=…. Documentolog returns no document ID here, so this is how events are matched to this request.',
};

/** How the returned iframe is sized, and how long signed links to binary files work. */
export const embedOptions: INodeProperties[] = [
	{
		displayName: 'Iframe Height',
		name: 'iframeHeight',
		type: 'number',
		default: 600,
		typeOptions: { minValue: 100, numberPrecision: 0 },
	},
	{
		displayName: 'Iframe Width',
		name: 'iframeWidth',
		type: 'number',
		default: 400,
		typeOptions: { minValue: 100, numberPrecision: 0 },
	},
	{
		displayName: 'Signed URL Validity',
		name: 'signedUrlExpiry',
		type: 'options',
		default: '1 day',
		displayOptions: { show: { '/attachmentsFrom': ['binary'] } },
		description:
			'How long the n8n links to the binary files work. When Documentolog downloads them is not documented.',
		options: [
			{ name: '1 Hour', value: '1 hour' },
			{ name: '1 Day', value: '1 day' },
			{ name: '7 Days', value: '7 days' },
			{ name: '30 Days', value: '30 days' },
		],
	},
];

/** The Options collection holding `options`, listed in the order given (alphabetical). */
export function optionsField(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

/** Create Signing Session's parameters, in panel order. */
export const createSigningSessionFields: INodeProperties[] = [
	...documentFields,
	webhookUrlField,
	optionsField([
		addTriggerSecretOption,
		checkIdentifierStructureOption,
		correlationIdOption,
		...embedOptions,
	]),
];
