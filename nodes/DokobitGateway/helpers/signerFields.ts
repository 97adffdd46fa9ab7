/**
 * The signer block of Create and Add Signers, in both versions of the node: version 1 flat, as
 * saved by the first workflows; from 1.1 structured, with the optional fields under Additional
 * Fields. helpers/readSigners.ts reads what these describe.
 */
import type { INodeProperties } from 'n8n-workflow';
import { SIGNING_OPTIONS, languageOptions, signingPurposeOptions } from './types';

/** First and last name, the same in both versions of the signer block. */
const SIGNER_NAME_FIELDS: INodeProperties[] = [
	{ displayName: 'First Name', name: 'name', type: 'string', default: '', required: true },
	{ displayName: 'Last Name', name: 'surname', type: 'string', default: '', required: true },
];

const SIGNING_PURPOSE_FIELD: INodeProperties = {
	displayName: 'Signing Purpose',
	name: 'signing_purpose',
	type: 'options',
	default: 'signature',
	options: signingPurposeOptions,
};

/**
 * Version 1 signer block: every Gateway field flat, as saved by workflows built on node version 1
 * (SDK `Create`/`AddSigner`, examples). Kept unchanged so those workflows keep their parameters.
 */
const SIGNER_FIELDS_V1: INodeProperties[] = [
	{
		displayName: 'Signer ID',
		name: 'id',
		type: 'string',
		default: '',
		required: true,
		description: 'Your own ID for this signer, e.g. the personal code. Must be unique per signing.',
	},
	...SIGNER_NAME_FIELDS,
	SIGNING_PURPOSE_FIELD,
	{
		displayName: 'Personal Code',
		name: 'code',
		type: 'string',
		default: '',
		description: 'LT/EE (11 digits) or FI personal code. Pre-fills Smart-ID and Mobile-ID.',
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		placeholder: 'e.g. +37060000666',
		description: 'Mobile-ID phone number in international format',
	},
	{
		displayName: 'Country Code',
		name: 'country_code',
		type: 'string',
		default: '',
		placeholder: 'e.g. lt',
		description: 'Required for Smart-ID; pre-selects the country',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
	},
	{
		displayName: 'Signing Options',
		name: 'signing_options',
		type: 'multiOptions',
		default: [],
		description: 'Which eID methods the signer sees, in this order. Empty shows all.',
		options: SIGNING_OPTIONS.map((value) => ({ name: value, value })),
	},
	{ displayName: 'Company', name: 'company', type: 'string', default: '' },
	{ displayName: 'Position', name: 'position', type: 'string', default: '' },
	{
		displayName: 'Structural Subdivision',
		name: 'structural_subdivision',
		type: 'string',
		default: '',
	},
	{ displayName: 'Country', name: 'country', type: 'string', default: '' },
	{ displayName: 'City', name: 'city', type: 'string', default: '' },
	{ displayName: 'Postal Code', name: 'postal_code', type: 'string', default: '' },
	{
		displayName: 'Notifications Language',
		name: 'notifications_language',
		type: 'options',
		default: '',
		options: [{ name: 'Default', value: '' }, ...languageOptions],
	},
];

/** Countries whose eIDs the Gateway offers (Smart-ID: EE, LV, LT; Mobile-ID: LT, EE; FI, IS). */
const EID_COUNTRIES = [
	{ name: 'Estonia', value: 'ee' },
	{ name: 'Finland', value: 'fi' },
	{ name: 'Iceland', value: 'is' },
	{ name: 'Latvia', value: 'lv' },
	{ name: 'Lithuania', value: 'lt' },
];

const SIGNING_OPTION_NAMES: Record<(typeof SIGNING_OPTIONS)[number], string> = {
	mobile: 'Mobile-ID',
	smartid: 'Smart-ID',
	stationary: 'ID Card (Card Reader)',
	eparaksts_mobile: 'eParaksts Mobile',
	audkenni_app: 'Auðkenni App',
};

/** Signer fields beyond the required ones, under Additional Fields from version 1.1. */
const ADDITIONAL_SIGNER_FIELDS: INodeProperties[] = [
	{
		displayName: 'City',
		name: 'city',
		type: 'string',
		default: '',
		description: 'Shown in the signature details',
	},
	{
		displayName: 'Company',
		name: 'company',
		type: 'string',
		default: '',
		description: 'Shown in the signature details',
	},
	{
		displayName: 'Country (Address)',
		name: 'country',
		type: 'string',
		default: '',
		description: 'Free text shown in the signature details. For the eID country, use eID Country.',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'Lets Dokobit e-mail the invitation to the signer',
	},
	{
		displayName: 'eID Country',
		name: 'country_code',
		type: 'options',
		default: 'lt',
		options: EID_COUNTRIES,
		description:
			'Pre-selects the signer’s country on the signing page. Required when the signer uses Smart-ID.',
	},
	{
		displayName: 'Notifications Language',
		name: 'notifications_language',
		type: 'options',
		default: 'en',
		options: languageOptions,
		description: 'Language of the e-mails Dokobit sends this signer',
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		placeholder: 'e.g. +37060000666',
		description: 'Mobile-ID phone number in international format; pre-fills Mobile-ID',
	},
	{
		displayName: 'Position',
		name: 'position',
		type: 'string',
		default: '',
		description: 'Job title, shown in the signature details',
	},
	{
		displayName: 'Postal Code',
		name: 'postal_code',
		type: 'string',
		default: '',
		description: 'Shown in the signature details',
	},
	{
		displayName: 'Signer ID',
		name: 'id',
		type: 'string',
		default: '',
		description:
			'Your own ID for this signer, unique per signing; it keys the signers in the output and in Dokobit events. Default: the personal code, else the name (e.g. jonas-jonaitis).',
	},
	{
		displayName: 'Signing Methods',
		name: 'signing_options',
		type: 'multiOptions',
		default: [],
		description: 'Which eID methods the signer sees, in this order. Empty shows all.',
		options: SIGNING_OPTIONS.map((value) => ({ name: SIGNING_OPTION_NAMES[value], value })),
	},
	{
		displayName: 'Structural Subdivision',
		name: 'structural_subdivision',
		type: 'string',
		default: '',
		description: 'Department, shown in the signature details',
	},
];

/**
 * Version 1.1 signer block: what identifies and addresses the signer first, the rest under
 * Additional Fields. The personal code doubles as the signer ID, so it is entered once.
 */
const SIGNER_FIELDS: INodeProperties[] = [
	...SIGNER_NAME_FIELDS,
	{
		displayName: 'Personal Code',
		name: 'code',
		type: 'string',
		default: '',
		placeholder: 'e.g. 50001018865',
		description:
			'LT/EE (11 digits) or FI personal code. Pre-fills Smart-ID and Mobile-ID and is the signer’s ID unless Signer ID is set under Additional Fields. Leave empty for signers without one.',
	},
	SIGNING_PURPOSE_FIELD,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: ADDITIONAL_SIGNER_FIELDS,
	},
];

/** From node version 1.1 the signer block is the structured one (`@version` below). */
export const STRUCTURED_SIGNERS_VERSION = 1.1;

export function signerProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Signers Input',
			name: 'signersInput',
			type: 'options',
			default: 'fields',
			options: [
				{ name: 'Fields', value: 'fields', description: 'Enter each signer below' },
				{
					name: 'JSON',
					value: 'json',
					description: 'An array of signer objects, e.g. from an expression',
				},
			],
		},
		{
			displayName: 'Signers',
			name: 'signers',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			placeholder: 'Add Signer',
			displayOptions: { show: { signersInput: ['fields'], '@version': [1] } },
			options: [{ displayName: 'Signer', name: 'signer', values: SIGNER_FIELDS_V1 }],
		},
		{
			displayName: 'Signers',
			name: 'signers',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			default: {},
			placeholder: 'Add Signer',
			displayOptions: {
				show: {
					signersInput: ['fields'],
					'@version': [{ _cnd: { gte: STRUCTURED_SIGNERS_VERSION } }],
				},
			},
			options: [{ displayName: 'Signer', name: 'signer', values: SIGNER_FIELDS }],
		},
		{
			displayName: 'Signers (JSON)',
			name: 'signersJson',
			type: 'json',
			default:
				'[\n  {\n    "id": "1",\n    "name": "Jonas",\n    "surname": "Jonaitis",\n    "signing_purpose": "signature"\n  }\n]',
			description:
				'Array of signers with the Gateway field names: ID, name, surname, signing_purpose, code, phone, country_code, email, signing_options, company, position…',
			displayOptions: { show: { signersInput: ['json'] } },
		},
	];
}

/** The signer fields each version's panel offers, by Gateway name. */
export const FLAT_SIGNER_KEYS = new Set(SIGNER_FIELDS_V1.map((property) => property.name));
export const STRUCTURED_SIGNER_KEYS = new Set(
	[...SIGNER_FIELDS, ...ADDITIONAL_SIGNER_FIELDS].map((property) => property.name),
);
/** The version 1.1 fields outside Additional Fields. */
export const TOP_SIGNER_KEYS = new Set(SIGNER_FIELDS.map((property) => property.name));
