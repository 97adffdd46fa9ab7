/**
 * The signature request fields shared by Signature Request → Create (`POST /JSON/signatureRequest`)
 * and Document → Upload with a request (`POST /JSON/upload`, whose metadata takes the same keys):
 * options under the API's own names, and the signing rules (docs/vendor-apis.md › OKdokument ›
 * Signing rules) as friendly fields.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import {
	field,
	invalidField,
	requireHttpUrl,
	requireOneOf,
	requireText,
} from '../../shared/validation';
import { FIELDS_BEFORE_SIGNING, FIELD_TYPES, LANGUAGES } from './types';
import {
	MAX_SIGNER_NAME,
	checkFieldName,
	parseAllowedFields,
	parseRulesJson,
	requireEmail,
	requireEmailList,
	requireExpiration,
	requirePhone,
	requireSignatureRequestId,
} from './validation';

const LANGUAGE_NAMES: Record<(typeof LANGUAGES)[number], string> = {
	cs: 'Czech',
	en: 'English',
	hu: 'Hungarian',
	pl: 'Polish',
	pt: 'Portuguese',
	ro: 'Romanian',
	sk: 'Slovak',
	uk: 'Ukrainian',
};

export const requestOptionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Allowed Fields (JSON)',
			name: 'allowedFields',
			type: 'json',
			default: '{}',
			description:
				'Which form fields the signer may fill, by type: {"SIGNATURE": ["SC_signature"], "TEXT": ["TO_text"]}, or text tags in the older form {"SIGNATURE": "_SO1_;_SC2_"}. Default: all fields.',
		},
		{
			displayName: 'Callback URL',
			name: 'callbackUrl',
			// Send and Wait for Signature sends the execution's own resume URL instead.
			displayOptions: { hide: { '/operation': ['createAndWait'] } },
			type: 'string',
			default: '',
			placeholder: 'e.g. the Production URL of an OKdokument Trigger',
			description:
				'OKdokument POSTs the outcome (state, document ID and signature request ID) here when the signer submits or cancels (sendInfoURL). Its query string is kept.',
		},
		{
			displayName: 'Expires At',
			name: 'expiresAt',
			type: 'dateTime',
			default: '',
			description:
				'When the signing link stops working. OKdokument’s default is 24 hours after creation; at most 10 days ahead.',
		},
		{
			displayName: 'Field Values',
			name: 'fieldConfig',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Field Value',
			default: {},
			description: 'Pre-fill or lock form fields by their technical name (fieldConfig)',
			options: [
				{
					displayName: 'Field',
					name: 'field',
					values: [
						{
							displayName: 'Field Name',
							name: 'name',
							type: 'string',
							default: '',
							placeholder: 'e.g. TC_text',
						},
						{
							displayName: 'Read Only',
							name: 'readOnly',
							type: 'boolean',
							default: false,
							description: 'Whether the signer may not change the value',
						},
						{
							displayName: 'Value',
							name: 'value',
							type: 'string',
							default: '',
						},
					],
				},
			],
		},
		{
			displayName: 'Fields Before Signing',
			name: 'fieldsBeforeSigning',
			type: 'options',
			default: 'flatten',
			description: 'What happens to the form fields when the document is signed',
			options: [
				{ name: 'Flatten (Fields Removed)', value: 'flatten' },
				{ name: 'Keep', value: 'keep' },
				{ name: 'Read Only', value: 'readOnly' },
			],
		},
		{
			displayName: 'Ignore Required Fields',
			name: 'ignoreRequired',
			type: 'multiOptions',
			default: [],
			description: 'Field types the signer need not fill even when they are compulsory',
			options: FIELD_TYPES.map((type) => ({
				name: type.charAt(0) + type.slice(1).toLowerCase(),
				value: type,
			})),
		},
		{
			displayName: 'Result URL',
			name: 'resultUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/thank-you',
			description:
				'Where the signer’s browser goes after submitting or closing; OKdokument adds name, docid, lang, result (success, close or mobile) and ts',
		},
		{
			displayName: 'Signature Request ID',
			name: 'signatureRequestId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 1d58a59e-e8f7-4d07-bb99-d3fa39cb58a8',
			description:
				'Your own ID for this round (a UUID is best). Every round needs a new one; OKdokument refuses a repeated ID. Empty: OKdokument generates one.',
		},
	],
};

export const signingRulesProperty: INodeProperties = {
	displayName: 'Signing Rules',
	name: 'rules',
	type: 'collection',
	placeholder: 'Add Rule',
	default: {},
	options: [
		{
			displayName: 'Additional Rules (JSON)',
			name: 'additionalRules',
			type: 'json',
			default: '{}',
			description:
				'Other OKdokument rules under their API names, e.g. {"guiAutoSubmit": true}. The fields above win over the same rule here.',
		},
		{
			displayName: 'Ask for Signer Name',
			name: 'requestSignerName',
			type: 'boolean',
			default: false,
			description: 'Whether the signing page shows a field for the signer’s name',
		},
		{
			displayName: 'Daily Reminders',
			name: 'dailyReminders',
			type: 'boolean',
			default: false,
			description:
				'Whether OKdokument e-mails a reminder every morning while the document awaits signature (to the signer and sender e-mails)',
		},
		{
			displayName: 'Disable Mouse Signature',
			name: 'disableMouseSignature',
			type: 'boolean',
			default: false,
			description: 'Whether to stop the signer from drawing the signature with a mouse',
		},
		{
			displayName: 'Disable Switch to Mobile',
			name: 'disableSwitchToMobile',
			type: 'boolean',
			default: false,
			description: 'Whether to hide the QR code that moves signing to a phone',
		},
		{
			displayName: 'E-Mail Message',
			name: 'emailMessage',
			type: 'string',
			default: '',
			typeOptions: { rows: 2 },
			description: 'Extra text in the signing request e-mail',
		},
		{
			displayName: 'Final Document E-Mails',
			name: 'emailFinal',
			type: 'string',
			default: '',
			placeholder: 'e.g. hr@example.com; legal@example.com',
			description:
				'Who receives the signed document (default: the signer e-mail). In a multi-round flow, set it on the last round.',
		},
		{
			displayName: 'Language',
			name: 'language',
			type: 'options',
			default: 'en',
			description: 'Language of the e-mails and text messages (OKdokument’s default is Slovak)',
			options: LANGUAGES.map((value) => ({ name: LANGUAGE_NAMES[value], value })).sort((a, b) =>
				a.name.localeCompare(b.name),
			),
		},
		{
			displayName: 'Must Scroll to End',
			name: 'readRequired',
			type: 'boolean',
			default: false,
			description: 'Whether the signer must scroll to the end of the document before signing',
		},
		{
			displayName: 'OTP to Open by E-Mail',
			name: 'openOtpEmail',
			type: 'string',
			default: '',
			placeholder: 'e.g. name@example.com',
			description: 'A one-time code sent to this address is needed to open the document',
		},
		{
			displayName: 'OTP to Open by SMS',
			name: 'openOtpPhone',
			type: 'string',
			default: '',
			placeholder: 'e.g. +421905123456',
			description:
				'A one-time code sent to this phone is needed to open the document (needs an SMS package)',
		},
		{
			displayName: 'OTP to Sign by E-Mail',
			name: 'signOtpEmail',
			type: 'string',
			default: '',
			placeholder: 'e.g. name@example.com',
			description:
				'A one-time code sent to this address is needed to sign (the document needs a signature field)',
		},
		{
			displayName: 'OTP to Sign by SMS',
			name: 'signOtpPhone',
			type: 'string',
			default: '',
			placeholder: 'e.g. +421905123456',
			description:
				'A one-time code sent to this phone is needed to sign (needs an SMS package and a signature field)',
		},
		{
			displayName: 'Sender E-Mail',
			name: 'emailFrom',
			type: 'string',
			default: '',
			placeholder: 'e.g. contracts@example.com',
			description: 'Reply-to address of the e-mails; required with Signer E-Mail',
		},
		{
			displayName: 'Sender Name',
			name: 'senderName',
			type: 'string',
			default: '',
			description: 'Sender name shown in the e-mails',
		},
		{
			displayName: 'Sign Anywhere',
			name: 'signAnywhere',
			type: 'boolean',
			default: true,
			description:
				'Whether the signer may sign wherever they click. Turn off when tags or signature fields set the places.',
		},
		{
			displayName: 'Signer E-Mail',
			name: 'emailTo',
			type: 'string',
			default: '',
			placeholder: 'e.g. customer@example.com',
			description: 'OKdokument e-mails the signing request to this address',
		},
		{
			displayName: 'Signer Name',
			name: 'signerName',
			type: 'string',
			default: '',
			description: 'Signer name pre-filled on the signing page (at most 40 characters)',
		},
	],
};

interface RequestOptions {
	signatureRequestId?: string;
	expiresAt?: unknown;
	callbackUrl?: string;
	resultUrl?: string;
	allowedFields?: unknown;
	fieldConfig?: { field?: Array<{ name?: string; value?: string; readOnly?: boolean }> };
	ignoreRequired?: string[];
	fieldsBeforeSigning?: string;
}

interface RuleFields {
	additionalRules?: unknown;
	requestSignerName?: boolean;
	dailyReminders?: boolean;
	disableMouseSignature?: boolean;
	disableSwitchToMobile?: boolean;
	emailMessage?: string;
	emailFinal?: string;
	language?: string;
	readRequired?: boolean;
	openOtpEmail?: string;
	openOtpPhone?: string;
	signOtpEmail?: string;
	signOtpPhone?: string;
	emailFrom?: string;
	senderName?: string;
	signAnywhere?: boolean;
	emailTo?: string;
	signerName?: string;
}

const filled = (value: unknown): boolean =>
	value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');

/** The `rules` object (wiki form). Empty when no rule is set. */
/** A field of Signing Rules, named as the panel shows it. */
const rule = (name: string) => field([signingRulesProperty], `rules.${name}`);

/** A field of Options, named as the panel shows it. */
const option = (name: string) => field([requestOptionsProperty], `options.${name}`);

export function readRules(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const fields = ctx.getNodeParameter('rules', itemIndex, {}) as RuleFields;
	const rules: IDataObject = {
		...(parseRulesJson(ctx, itemIndex, fields.additionalRules, rule('additionalRules')) ?? {}),
	};
	if (filled(fields.emailTo))
		rules.emailTo = requireEmail(ctx, itemIndex, rule('emailTo'), fields.emailTo);
	if (filled(fields.emailFrom)) {
		rules.emailFrom = requireEmail(ctx, itemIndex, rule('emailFrom'), fields.emailFrom);
	}
	if (filled(fields.senderName))
		rules.nameFrom = requireText(ctx, itemIndex, rule('senderName'), fields.senderName);
	if (filled(fields.emailMessage)) {
		rules.emailMessage = requireText(ctx, itemIndex, rule('emailMessage'), fields.emailMessage);
	}
	if (filled(fields.emailFinal)) {
		rules.emailFinal = requireEmailList(ctx, itemIndex, rule('emailFinal'), fields.emailFinal);
	}
	if (fields.dailyReminders === true) rules.emailNotification = true;
	if (filled(fields.language)) {
		rules.lang = requireOneOf(ctx, itemIndex, rule('language'), fields.language, LANGUAGES);
	}
	if (filled(fields.openOtpEmail)) {
		rules.openOtpEmail = requireEmail(ctx, itemIndex, rule('openOtpEmail'), fields.openOtpEmail);
	}
	if (filled(fields.openOtpPhone)) {
		rules.openOtpPhone = requirePhone(ctx, itemIndex, rule('openOtpPhone'), fields.openOtpPhone);
	}
	if (filled(fields.signOtpEmail)) {
		rules.signOtpEmail = requireEmail(ctx, itemIndex, rule('signOtpEmail'), fields.signOtpEmail);
	}
	if (filled(fields.signOtpPhone)) {
		rules.signOtpPhone = requirePhone(ctx, itemIndex, rule('signOtpPhone'), fields.signOtpPhone);
	}
	if (filled(fields.signerName)) {
		const name = requireText(ctx, itemIndex, rule('signerName'), fields.signerName);
		if (name.length > MAX_SIGNER_NAME) {
			throw invalidField(
				ctx,
				itemIndex,
				rule('signerName'),
				`is ${name.length} characters long; OKdokument allows at most ${MAX_SIGNER_NAME}`,
			);
		}
		rules.guiSignerName = name;
	}
	if (fields.requestSignerName !== undefined)
		rules.guiRequestSignerName = fields.requestSignerName === true;
	if (fields.disableMouseSignature === true) rules.mouseSignature = false;
	if (fields.disableSwitchToMobile === true) rules.guiRemoteQRCodeEnabled = false;
	if (fields.readRequired !== undefined) rules.guiReadRequired = fields.readRequired === true;
	if (fields.signAnywhere !== undefined) rules.signAnywhereEnabled = fields.signAnywhere === true;
	// "emailFrom … Mandatory when emailTo is used" (Rules page).
	if (filled(rules.emailTo) && !filled(rules.emailFrom)) {
		throw invalidField(
			ctx,
			itemIndex,
			rule('emailFrom'),
			'is required when Signer E-Mail is set',
			'OKdokument sends the request from its own address with this one as reply-to.',
		);
	}
	return rules;
}

export interface RequestFields {
	/** The `POST /JSON/signatureRequest` keys other than `filedata` / `id` / `changeState`. */
	body: IDataObject;
	/** Echoed in the node output. */
	summary: IDataObject;
}

/** Fields the calling operation sets itself, whatever the options say. */
export interface RequestOverrides {
	/** `sendInfoURL`; kept out of the summary (a resume URL is a capability). */
	sendInfoURL?: string;
}

/** Options and rules of one item, validated; nothing is sent yet. */
export function readRequestFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	now: number = Date.now(),
	overrides: RequestOverrides = {},
): RequestFields {
	const options = { ...(ctx.getNodeParameter('options', itemIndex, {}) as RequestOptions) };
	const body: IDataObject = {};
	const summary: IDataObject = {};
	if (overrides.sendInfoURL !== undefined) {
		// A Callback URL left in the options from another operation is ignored, not validated.
		delete options.callbackUrl;
		body.sendInfoURL = overrides.sendInfoURL;
	}
	if (filled(options.signatureRequestId)) {
		body.signatureRequestId = requireSignatureRequestId(
			ctx,
			itemIndex,
			options.signatureRequestId,
			option('signatureRequestId'),
		);
	}
	if (filled(options.expiresAt)) {
		const ms = requireExpiration(ctx, itemIndex, options.expiresAt, now, option('expiresAt'));
		body.expirationTime = String(ms);
		summary.expiresAt = new Date(ms).toISOString();
	}
	if (filled(options.callbackUrl)) {
		body.sendInfoURL = requireHttpUrl(ctx, itemIndex, option('callbackUrl'), options.callbackUrl);
		summary.callbackUrl = body.sendInfoURL;
	}
	if (filled(options.resultUrl)) {
		body.resulturl = requireHttpUrl(ctx, itemIndex, option('resultUrl'), options.resultUrl);
		summary.resultUrl = body.resulturl;
	}
	const allowedFields = parseAllowedFields(
		ctx,
		itemIndex,
		options.allowedFields,
		option('allowedFields'),
	);
	if (allowedFields) body.allowedFields = allowedFields;
	const entries = options.fieldConfig?.field ?? [];
	if (entries.length) {
		body.fieldConfig = entries.map((entry, index) => {
			const label = option(`fieldConfig.field[${index}].name`);
			const name = checkFieldName(
				ctx,
				itemIndex,
				label,
				requireText(ctx, itemIndex, label, entry.name),
			);
			return {
				name,
				value: entry.value ?? '',
				...(entry.readOnly === true ? { readOnly: true } : {}),
			};
		});
	}
	if (options.ignoreRequired?.length) {
		body.ignoreRequired = options.ignoreRequired.map((type) =>
			requireOneOf(ctx, itemIndex, option('ignoreRequired'), type, FIELD_TYPES),
		);
	}
	if (filled(options.fieldsBeforeSigning)) {
		body.fieldsBeforeSigning = requireOneOf(
			ctx,
			itemIndex,
			option('fieldsBeforeSigning'),
			options.fieldsBeforeSigning,
			FIELDS_BEFORE_SIGNING,
		);
	}
	const rules = readRules(ctx, itemIndex);
	if (Object.keys(rules).length) body.rules = rules;
	return { body, summary };
}
