/**
 * Signing Rules (docs/vendor-apis.md › OKdokument › Signing rules): the `rules` object of
 * `POST /JSON/signatureRequest` and `POST /JSON/upload`. One table row is one rule: its panel
 * field and how it is checked and sent. The panel and the reader are both built from the table,
 * so a new rule is one row here (and its check in the emulator, test/sandbox/okdokument.mjs).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import {
	type Field,
	field,
	invalidField,
	requireOneOf,
	requireText,
} from '../../shared/validation';
import { LANGUAGES, LANGUAGE_NAMES } from './types';
import {
	MAX_SIGNER_NAME,
	filled,
	parseRulesJson,
	requireEmail,
	requireEmailList,
	requirePhone,
	requireSignerName,
} from './validation';

/** Where a rule's value is checked: the item, and the field as the panel names it. */
export interface RuleInput {
	ctx: IExecuteFunctions;
	itemIndex: number;
	label: Field;
	value: unknown;
}

/**
 * One signing rule. The panel field is the row without `apiKey` and `validate`; `name` is the
 * parameter under Signing Rules (saved workflows and AI-tool arguments use it: never rename it).
 */
export type SigningRule = INodeProperties & {
	/** The key in OKdokument's `rules` object. */
	apiKey: string;
	/** The value to send, or undefined to send nothing; throws on a bad value. */
	validate: (input: RuleInput) => unknown;
};

type TextCheck = (
	ctx: IExecuteFunctions,
	itemIndex: number,
	label: Field,
	value: unknown,
) => unknown;

/** A text rule: sent when filled in, after `check`. */
const whenFilled =
	(check: TextCheck) =>
	({ ctx, itemIndex, label, value }: RuleInput) =>
		filled(value) ? check(ctx, itemIndex, label, value) : undefined;

/** A switch that only sends `sent` when turned on (off leaves OKdokument's default). */
const whenOn =
	(sent: boolean) =>
	({ value }: RuleInput) =>
		value === true ? sent : undefined;

/** A switch sent as it is whenever the panel has it, on or off. */
const asSet = ({ value }: RuleInput) => (value === undefined ? undefined : value === true);

/**
 * The rules, in the order they are checked and sent. The panel lists them by display name
 * (signingRulesProperty sorts them), so a new row can go at the end.
 */
export const SIGNING_RULES: SigningRule[] = [
	{
		displayName: 'Signer E-Mail',
		name: 'emailTo',
		apiKey: 'emailTo',
		type: 'string',
		default: '',
		placeholder: 'e.g. customer@example.com',
		description: 'OKdokument e-mails the signing request to this address',
		validate: whenFilled(requireEmail),
	},
	{
		displayName: 'Sender E-Mail',
		name: 'emailFrom',
		apiKey: 'emailFrom',
		type: 'string',
		default: '',
		placeholder: 'e.g. contracts@example.com',
		description: 'Reply-to address of the e-mails; required with Signer E-Mail',
		validate: whenFilled(requireEmail),
	},
	{
		displayName: 'Sender Name',
		name: 'senderName',
		apiKey: 'nameFrom',
		type: 'string',
		default: '',
		description: 'Sender name shown in the e-mails',
		validate: whenFilled(requireText),
	},
	{
		displayName: 'E-Mail Message',
		name: 'emailMessage',
		apiKey: 'emailMessage',
		type: 'string',
		default: '',
		typeOptions: { rows: 2 },
		description: 'Extra text in the signing request e-mail',
		validate: whenFilled(requireText),
	},
	{
		displayName: 'Final Document E-Mails',
		name: 'emailFinal',
		apiKey: 'emailFinal',
		type: 'string',
		default: '',
		placeholder: 'e.g. hr@example.com; legal@example.com',
		description:
			'Who receives the signed document (default: the signer e-mail). In a multi-round flow, set it on the last round.',
		validate: whenFilled(requireEmailList),
	},
	{
		displayName: 'Daily Reminders',
		name: 'dailyReminders',
		apiKey: 'emailNotification',
		type: 'boolean',
		default: false,
		description:
			'Whether OKdokument e-mails a reminder every morning while the document awaits signature (to the signer and sender e-mails)',
		validate: whenOn(true),
	},
	{
		displayName: 'Language',
		name: 'language',
		apiKey: 'lang',
		type: 'options',
		default: 'en',
		description: 'Language of the e-mails and text messages (OKdokument’s default is Slovak)',
		options: LANGUAGES.map((value) => ({ name: LANGUAGE_NAMES[value], value })).sort((a, b) =>
			a.name.localeCompare(b.name),
		),
		validate: whenFilled((ctx, itemIndex, label, value) =>
			requireOneOf(ctx, itemIndex, label, value, LANGUAGES),
		),
	},
	{
		displayName: 'OTP to Open by E-Mail',
		name: 'openOtpEmail',
		apiKey: 'openOtpEmail',
		type: 'string',
		default: '',
		placeholder: 'e.g. name@example.com',
		description: 'A one-time code sent to this address is needed to open the document',
		validate: whenFilled(requireEmail),
	},
	{
		displayName: 'OTP to Open by SMS',
		name: 'openOtpPhone',
		apiKey: 'openOtpPhone',
		type: 'string',
		default: '',
		placeholder: 'e.g. +421905123456',
		description:
			'A one-time code sent to this phone is needed to open the document (needs an SMS package)',
		validate: whenFilled(requirePhone),
	},
	{
		displayName: 'OTP to Sign by E-Mail',
		name: 'signOtpEmail',
		apiKey: 'signOtpEmail',
		type: 'string',
		default: '',
		placeholder: 'e.g. name@example.com',
		description:
			'A one-time code sent to this address is needed to sign (the document needs a signature field)',
		validate: whenFilled(requireEmail),
	},
	{
		displayName: 'OTP to Sign by SMS',
		name: 'signOtpPhone',
		apiKey: 'signOtpPhone',
		type: 'string',
		default: '',
		placeholder: 'e.g. +421905123456',
		description:
			'A one-time code sent to this phone is needed to sign (needs an SMS package and a signature field)',
		validate: whenFilled(requirePhone),
	},
	{
		displayName: 'Signer Name',
		name: 'signerName',
		apiKey: 'guiSignerName',
		type: 'string',
		default: '',
		description: `Signer name pre-filled on the signing page (at most ${MAX_SIGNER_NAME} characters)`,
		validate: whenFilled(requireSignerName),
	},
	{
		displayName: 'Ask for Signer Name',
		name: 'requestSignerName',
		apiKey: 'guiRequestSignerName',
		type: 'boolean',
		default: false,
		description: 'Whether the signing page shows a field for the signer’s name',
		validate: asSet,
	},
	{
		displayName: 'Disable Mouse Signature',
		name: 'disableMouseSignature',
		apiKey: 'mouseSignature',
		type: 'boolean',
		default: false,
		description: 'Whether to stop the signer from drawing the signature with a mouse',
		validate: whenOn(false),
	},
	{
		displayName: 'Disable Switch to Mobile',
		name: 'disableSwitchToMobile',
		apiKey: 'guiRemoteQRCodeEnabled',
		type: 'boolean',
		default: false,
		description: 'Whether to hide the QR code that moves signing to a phone',
		validate: whenOn(false),
	},
	{
		displayName: 'Must Scroll to End',
		name: 'readRequired',
		apiKey: 'guiReadRequired',
		type: 'boolean',
		default: false,
		description: 'Whether the signer must scroll to the end of the document before signing',
		validate: asSet,
	},
	{
		displayName: 'Sign Anywhere',
		name: 'signAnywhere',
		apiKey: 'signAnywhereEnabled',
		type: 'boolean',
		default: true,
		description:
			'Whether the signer may sign wherever they click. Turn off when tags or signature fields set the places.',
		validate: asSet,
	},
];

/** Rules without a field of their own, as JSON under their API names; the fields win. */
const additionalRulesProperty: INodeProperties = {
	displayName: 'Additional Rules (JSON)',
	name: 'additionalRules',
	type: 'json',
	default: '{}',
	description:
		'Other OKdokument rules under their API names, e.g. {"guiAutoSubmit": true}. The fields above win over the same rule here.',
};

/** The row as n8n sees it: without the keys only the reader uses. */
function panelField(row: SigningRule): INodeProperties {
	const property: INodeProperties & Partial<SigningRule> = { ...row };
	delete property.apiKey;
	delete property.validate;
	return property;
}

export const signingRulesProperty: INodeProperties = {
	displayName: 'Signing Rules',
	name: 'rules',
	type: 'collection',
	placeholder: 'Add Rule',
	default: {},
	options: [additionalRulesProperty, ...SIGNING_RULES.map(panelField)].sort((a, b) =>
		a.displayName.localeCompare(b.displayName),
	),
};

/** A field of Signing Rules, named as the panel shows it. */
const rule = (name: string) => field([signingRulesProperty], `rules.${name}`);

/** The `rules` object of one item (wiki form), checked. Empty when no rule is set. */
export function readRules(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const fields = ctx.getNodeParameter('rules', itemIndex, {}) as IDataObject;
	const rules: IDataObject = {
		...(parseRulesJson(ctx, itemIndex, fields.additionalRules, rule('additionalRules')) ?? {}),
	};
	for (const row of SIGNING_RULES) {
		const value = fields[row.name];
		const sent = row.validate({ ctx, itemIndex, label: rule(row.name), value });
		if (sent !== undefined) rules[row.apiKey] = sent as IDataObject[string];
	}
	requireSenderWithSigner(ctx, itemIndex, rules);
	return rules;
}

/** "emailFrom … Mandatory when emailTo is used" (Rules page), whichever way the two are set. */
function requireSenderWithSigner(ctx: IExecuteFunctions, itemIndex: number, rules: IDataObject) {
	if (filled(rules.emailTo) && !filled(rules.emailFrom)) {
		throw invalidField(
			ctx,
			itemIndex,
			rule('emailFrom'),
			'is required when Signer E-Mail is set',
			'OKdokument sends the request from its own address with this one as reply-to.',
		);
	}
}
