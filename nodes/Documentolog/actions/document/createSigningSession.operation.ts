import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { requireInputBinary, fileExtension } from '../../../shared/binary';
import { legallyBindingNotice } from '../../../shared/notices';
import { field, invalidField, requireHttpUrl, requireText } from '../../../shared/validation';
import { embedUrl, iframeHtml, listenerScript, originOf, tokenExpiry } from '../../helpers/embed';
import {
	CORRELATION_ID,
	CORRELATION_ID_RULE,
	CORRELATION_PARAMETER,
	maskSecret,
	signingKeyOf,
	withQueryParameter,
	withTriggerSecret,
} from '../../helpers/secret';
import {
	SIGNATURE_METHODS,
	type SignatureMethod,
	type SmsRecipient,
	type TokenRequest,
} from '../../helpers/types';
import {
	isAllowedExtension,
	listOf,
	requireAttachmentUrl,
	requireKzId,
	requirePhone,
	requireRecipient,
} from '../../helpers/validation';
import { credentialData, createSigningToken } from '../../transport';
import { documentologBaseUrl } from '../../transport/hosts';

const METHOD_OPTIONS = [
	{ name: 'Adobe Sign', value: 'adobe-sign' },
	{ name: 'EDS (Electronic Digital Signature)', value: 'eds' },
	{ name: 'eGov QR', value: 'egov-qr' },
	{ name: 'SMS', value: 'sms' },
];

const properties: INodeProperties[] = [
	legallyBindingNotice(),
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
		description:
			'Links to the files to sign. Each must end in docx, doc, xlsx, xls, pptx, ppt, pdf, rar, zip, rtf, tiff, jpeg, jpg, png or gdoc, and be reachable by Documentolog.',
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
	{
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
	},
	{
		displayName: 'Webhook URL',
		name: 'webhookUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. the Production URL of a Documentolog Trigger',
		description:
			'Where Documentolog posts document_sent, signer_signed, signer_declined and document_completed. A Documentolog Trigger URL gets its secret added automatically.',
		// Send and Wait for Signature sends the execution's own resume URL instead.
		displayOptions: { hide: { operation: ['createAndWait'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Add Trigger Secret',
				name: 'addTriggerSecret',
				displayOptions: { show: { '/operation': ['createSigningSession'] } },
				type: 'boolean',
				default: true,
				description:
					'Whether to add the Documentolog Trigger’s secret to a Webhook URL shaped like a trigger URL (…/WEBHOOK_ID/webhook). Needs the same credential on both nodes.',
			},
			{
				displayName: 'Check IIN/BIN Structure',
				name: 'checkIdentifierStructure',
				type: 'boolean',
				default: false,
				description:
					'Whether to also require a valid birth date and century (IIN) or type and attribute (BIN), beyond the check digit. Off accepts placeholders such as 000000000000.',
			},
			{
				displayName: 'Correlation ID',
				name: 'correlationId',
				displayOptions: { show: { '/operation': ['createSigningSession'] } },
				type: 'string',
				default: '',
				placeholder: 'e.g. order-1042',
				description:
					'Your own ID, added to the Webhook URL as ?ref=…. Documentolog returns no document ID here, so this is how events are matched to this request.',
			},
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
		],
	},
];

export const description = updateDisplayOptions(
	// Send and Wait for Signature takes the same fields; its webhook URL is the execution's resume URL.
	{ show: { resource: ['document'], operation: ['createSigningSession', 'createAndWait'] } },
	properties,
);

interface CreateOptions {
	addTriggerSecret?: boolean;
	checkIdentifierStructure?: boolean;
	correlationId?: string;
	iframeHeight?: number;
	iframeWidth?: number;
	signedUrlExpiry?: string;
}

/**
 * Where the events go when the caller, not the node's parameters, decides: Send and Wait passes the
 * execution's resume URL and its own correlation id. No trigger secret is added (the resume URL is
 * signed by n8n), and the parameters Webhook URL and Correlation ID are not read.
 */
export interface WebhookOverride {
	webhookUrl: string;
	correlationId: string;
}

interface AttachmentSummary extends IDataObject {
	url?: string;
	binaryField?: string;
	fileName?: string;
}

function readMethods(ctx: IExecuteFunctions, itemIndex: number, parameter: string, field: string) {
	const raw = ctx.getNodeParameter(parameter, itemIndex, []) as unknown;
	const methods = listOf(raw);
	for (const method of methods) {
		if (!(SIGNATURE_METHODS as readonly string[]).includes(method)) {
			throw invalidField(
				ctx,
				itemIndex,
				field,
				`contains "${method}"; allowed are ${SIGNATURE_METHODS.join(', ')}`,
			);
		}
	}
	return [...new Set(methods)] as SignatureMethod[];
}

/**
 * Attachment links as URLs, or as n8n signed URLs of binary fields.
 *
 * Why signed URLs are offered, and only as an opt-in: Documentolog takes files only as links it
 * downloads itself (docs/vendor-apis.md › Documentolog › `POST /json/external/oauth/token`), so a
 * file that exists only inside n8n needs a link. n8n's `createBinarySignedUrl` gives an expiring,
 * unguessable link without hosting anything else. Its limits are checked or documented here rather
 * than hidden:
 * - it needs binary data stored by id (filesystem, S3 or database mode); in-memory data is refused
 *   before any request;
 * - the link is `<N8N_WEBHOOK_URL>/rest/binary-data/signed?token=…`: Documentolog must reach that
 *   host, and in queue mode with separate webhook processes `/rest` is served by the main process
 *   only, so the webhook URL must route `/rest/binary-data/signed` to it;
 * - the link's path has no file extension. Whether Documentolog's extension check reads the path,
 *   or the downloaded file's name (n8n sends it in Content-Disposition), is undocumented; the
 *   binary's own file name is checked against the allowed list here;
 * - when Documentolog downloads the file is undocumented, hence a validity option (1 day by
 *   default) rather than a short fixed one. Anyone holding the link can read the file until then.
 * For anything long-lived or without a public n8n, host the file yourself (for example an S3
 * pre-signed URL ending in .pdf) and pass that URL instead.
 */
function readAttachments(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: CreateOptions,
): { urls: string[]; summary: AttachmentSummary[] } {
	const from = ctx.getNodeParameter('attachmentsFrom', itemIndex, 'urls') as string;
	if (from === 'binary') {
		const names = requireText(
			ctx,
			itemIndex,
			'Input Binary Fields',
			ctx.getNodeParameter('binaryPropertyNames', itemIndex),
		)
			.split(',')
			.map((name) => name.trim())
			.filter(Boolean);
		// Every name is looked up before any file is checked: a missing field is named first.
		const files = names.map((name) => ({
			name,
			meta: requireInputBinary(ctx, itemIndex, name, 'Input Binary Fields'),
		}));
		const prepared = files.map(({ name, meta }) => {
			const fileName = meta.fileName ?? '';
			if (!isAllowedExtension(fileExtension(fileName))) {
				throw invalidField(
					ctx,
					itemIndex,
					'Input Binary Fields',
					`"${name}" holds "${fileName || 'a file without a name'}", whose extension Documentolog does not accept`,
					'Allowed: docx, doc, xlsx, xls, pptx, ppt, pdf, rar, zip, rtf, tiff, jpeg, jpg, png, gdoc',
				);
			}
			if (!meta.id) {
				throw invalidField(
					ctx,
					itemIndex,
					'Input Binary Fields',
					`"${name}" is held in memory, and n8n can only sign links to binary data stored by id`,
					'Run n8n with N8N_DEFAULT_BINARY_DATA_MODE=filesystem (or S3/database), or pass URLs instead',
				);
			}
			return { name, meta, fileName };
		});
		const expiry = options.signedUrlExpiry ?? '1 day';
		return {
			urls: prepared.map(({ meta }) => ctx.helpers.createBinarySignedUrl(meta, expiry)),
			summary: prepared.map(({ name, fileName }) => ({ binaryField: name, fileName })),
		};
	}
	const urls = listOf(ctx.getNodeParameter('attachmentUrls', itemIndex, [])).map((url, index) =>
		requireAttachmentUrl(ctx, itemIndex, field(properties, `attachmentUrls[${index}]`), url),
	);
	return { urls, summary: urls.map((url) => ({ url })) };
}

function readSmsRecipients(
	ctx: IExecuteFunctions,
	itemIndex: number,
	checkStructure: boolean,
): SmsRecipient[] {
	const collection = ctx.getNodeParameter('smsRecipients', itemIndex, {}) as {
		recipient?: IDataObject[];
	};
	return (collection.recipient ?? []).map((entry, index) => {
		const at = (name: string) => field(properties, `smsRecipients.recipient[${index}].${name}`);
		const iin = String(entry.iin ?? '').trim();
		return {
			enableBMG: entry.enableBmg === true,
			phone: requirePhone(ctx, itemIndex, at('phone'), entry.phone),
			fio: requireText(ctx, itemIndex, at('fullName'), entry.fullName),
			// The vendor's documented example sends "" when the IIN is not known.
			iin: iin === '' ? '' : requireKzId(ctx, itemIndex, at('iin'), iin, checkStructure),
			type: 'sms',
		};
	});
}

/** Every input of one item, validated, as the create body; nothing is sent before this succeeds. */
export function readTokenRequest(
	ctx: IExecuteFunctions,
	itemIndex: number,
	signingKey: string,
	override?: WebhookOverride,
) {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as CreateOptions;
	const checkStructure = options.checkIdentifierStructure === true;
	const sender = requireKzId(
		ctx,
		itemIndex,
		'Sender IIN/BIN',
		ctx.getNodeParameter('sender', itemIndex),
		checkStructure,
	);
	const attachments = readAttachments(ctx, itemIndex, options);
	if (attachments.urls.length === 0) {
		throw invalidField(ctx, itemIndex, 'Attachment URLs', 'must list at least one file');
	}
	const sendToRecipient = ctx.getNodeParameter('sendToRecipient', itemIndex, true) as boolean;
	const recipients = sendToRecipient
		? listOf(ctx.getNodeParameter('recipients', itemIndex, [])).map((value, index) => {
				const recipient = field(properties, `recipients[${index}]`);
				const text = value.replace(/\s+/g, '');
				return /^\d{12}$/.test(text)
					? requireKzId(ctx, itemIndex, recipient, text, checkStructure)
					: requireRecipient(ctx, itemIndex, recipient, value);
			})
		: [];
	const sms = sendToRecipient ? readSmsRecipients(ctx, itemIndex, checkStructure) : [];
	// The Open API guide's example always sends mRecipient; with "send to recipient" on and nobody
	// to send to, the request cannot do what it says, so it is refused here (inferred).
	if (sendToRecipient && recipients.length === 0 && sms.length === 0) {
		throw invalidField(
			ctx,
			itemIndex,
			'Recipients',
			'must list at least one recipient when Send to Recipient is on',
		);
	}
	const seen = new Set<string>();
	recipients.forEach((recipient, index) => {
		if (seen.has(recipient)) {
			throw invalidField(
				ctx,
				itemIndex,
				field(properties, `recipients[${index}]`),
				`"${recipient}" is listed twice`,
			);
		}
		seen.add(recipient);
	});
	const recipientSignatureRequired = ctx.getNodeParameter(
		'recipientSignatureRequired',
		itemIndex,
		true,
	) as boolean;
	const recipientMethods = readMethods(
		ctx,
		itemIndex,
		'recipientSignatureMethods',
		'Recipient Signature Methods',
	);
	if (sendToRecipient && recipientSignatureRequired && recipientMethods.length === 0) {
		throw invalidField(
			ctx,
			itemIndex,
			'Recipient Signature Methods',
			'must include at least one method when recipients must sign',
		);
	}
	const senderMethods = readMethods(
		ctx,
		itemIndex,
		'senderSignatureMethods',
		'Sender Signature Methods',
	);

	const body: TokenRequest = {
		aAttachments: attachments.urls,
		iSendToRecipient: sendToRecipient ? 1 : 0,
		mRecipient: recipients,
		iRecipientSignatureRequired: recipientSignatureRequired ? 1 : 0,
		mAvailableSignatureMethodsForRecipient: recipientMethods,
		mAvailableSignatureMethods: senderMethods,
		sSender: sender,
	};
	if (sms.length) body.mPhonesForSms = sms;

	if (override) {
		if (!CORRELATION_ID.test(override.correlationId)) {
			throw invalidField(ctx, itemIndex, 'Correlation ID', 'is not a valid correlation id');
		}
		body.sSetWebhookUrl = withQueryParameter(
			requireHttpUrl(ctx, itemIndex, 'Webhook URL', override.webhookUrl),
			CORRELATION_PARAMETER,
			override.correlationId,
		);
		return {
			body,
			attachments: attachments.summary,
			secretAdded: false,
			correlationId: override.correlationId,
			options,
		};
	}
	let webhookUrl = (ctx.getNodeParameter('webhookUrl', itemIndex, '') as string).trim();
	let secretAdded = false;
	const correlationId = (options.correlationId ?? '').trim();
	if (correlationId && !CORRELATION_ID.test(correlationId)) {
		throw invalidField(
			ctx,
			itemIndex,
			field(properties, 'options.correlationId'),
			CORRELATION_ID_RULE,
		);
	}
	if (webhookUrl) {
		webhookUrl = requireHttpUrl(ctx, itemIndex, 'Webhook URL', webhookUrl);
		if (correlationId)
			webhookUrl = withQueryParameter(webhookUrl, CORRELATION_PARAMETER, correlationId);
		if (options.addTriggerSecret !== false) {
			const signed = withTriggerSecret(webhookUrl, signingKey);
			webhookUrl = signed.url;
			secretAdded = signed.added;
		}
		body.sSetWebhookUrl = webhookUrl;
	} else if (correlationId) {
		throw invalidField(
			ctx,
			itemIndex,
			field(properties, 'options.correlationId'),
			'needs a Webhook URL to travel in',
		);
	}
	return { body, attachments: attachments.summary, secretAdded, correlationId, options };
}

/**
 * `POST /json/external/oauth/token`, then everything a web page needs to embed the signing UI. With
 * an override (Send and Wait) the webhook URL is a capability (n8n's signed resume URL), so it
 * stays out of the output.
 */
export async function createSession(
	this: IExecuteFunctions,
	itemIndex: number,
	override?: WebhookOverride,
): Promise<IDataObject> {
	const credentials = await credentialData.call(this);
	const request = readTokenRequest(this, itemIndex, signingKeyOf(credentials), override);
	const baseUrl = documentologBaseUrl(credentials);
	const response = await createSigningToken.call(this, request.body, itemIndex);
	const token = response.data.access_token;
	const url = embedUrl(baseUrl, token);
	const json: IDataObject = {
		accessToken: token,
		tokenType: response.data.token_type ?? null,
		scope: response.data.scope ?? null,
		expiresAt: tokenExpiry(token) ?? null,
		embedUrl: url,
		iframeHtml: iframeHtml(
			url,
			request.options.iframeWidth ?? 400,
			request.options.iframeHeight ?? 600,
		),
		listenerScript: listenerScript(originOf(baseUrl)),
		attachments: request.attachments,
		sender: request.body.sSender,
		recipients: request.body.mRecipient,
		sendToRecipient: request.body.iSendToRecipient === 1,
		recipientSignatureRequired: request.body.iRecipientSignatureRequired === 1,
	};
	if (request.body.mPhonesForSms) json.smsRecipients = request.body.mPhonesForSms as IDataObject[];
	if (request.body.sSetWebhookUrl && !override) {
		// The secret stays out of the output: it may be returned to a browser with the iframe.
		json.webhookUrl = maskSecret(request.body.sSetWebhookUrl);
		json.webhookSecretAdded = request.secretAdded;
	}
	if (request.correlationId) json.correlationId = request.correlationId;
	return json;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	return { json: await createSession.call(this, itemIndex), pairedItem: { item: itemIndex } };
}
