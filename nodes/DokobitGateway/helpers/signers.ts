import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import {
	type Field,
	field,
	invalidField,
	isEmail,
	subField,
	isObject,
} from '../../shared/validation';
import { SIGNING_OPTIONS, SIGNING_PURPOSES, languageOptions, signingPurposeOptions } from './types';
import { PERSONAL_CODE, PHONE } from './validation';

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

/** Per-signer type options (e.g. `pdf: {reason}`): JSON input only, passed through as objects. */
const TYPE_OPTION_KEYS = ['pdf', 'pdflt', 'adoc', 'mdoc'];

const ALLOWED_KEYS = new Set([...SIGNER_FIELDS_V1.map((field) => field.name), ...TYPE_OPTION_KEYS]);

/** From node version 1.1 the signer block is the structured one (`@version` below). */
const STRUCTURED_SIGNERS_VERSION = 1.1;

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

/** The signer inputs as described, to name fields by their labels. */
const SIGNER_PROPERTIES = signerProperties();

/** One signer as entered, and where each of its Gateway fields was entered. */
interface RawSigner {
	value: unknown;
	/** The entry itself ("Signer 2"). */
	entry: Field;
	fieldOf: (key: string) => Field;
}

/** The signer fields each version's panel offers. */
const FLAT_SIGNER_KEYS = new Set(SIGNER_FIELDS_V1.map((property) => property.name));
const STRUCTURED_SIGNER_KEYS = new Set(
	[...SIGNER_FIELDS, ...ADDITIONAL_SIGNER_FIELDS].map((property) => property.name),
);

const blank = (value: unknown) => value === undefined || String(value).trim() === '';

/**
 * A version 1.1 signer in the Gateway's flat shape: Additional Fields lifted up, and the ID
 * defaulted to the personal code, else the name as `first-last` (stable across Create and Add Signers).
 */
function flattenSigner(entry: IDataObject): IDataObject {
	const { additionalFields, ...required } = entry;
	const signer: IDataObject = {
		...required,
		...(isObject(additionalFields) ? (additionalFields as IDataObject) : {}),
	};
	if (blank(signer.id)) {
		signer.id = blank(signer.code)
			? `${String(signer.name ?? '')} ${String(signer.surname ?? '')}`
					.trim()
					.toLowerCase()
					.split(/\s+/)
					.join('-')
			: String(signer.code).trim();
	}
	return signer;
}

function rawSigners(
	ctx: IExecuteFunctions,
	itemIndex: number,
): { list: Field; signers: RawSigner[] } {
	const version = ctx.getNode().typeVersion;
	const input = ctx.getNodeParameter('signersInput', itemIndex, 'fields') as string;
	if (input === 'json') {
		const json = field(SIGNER_PROPERTIES, 'signersJson', version);
		let value = ctx.getNodeParameter('signersJson', itemIndex) as unknown;
		if (typeof value === 'string') {
			try {
				value = JSON.parse(value);
			} catch {
				throw invalidField(ctx, itemIndex, json, 'is not valid JSON');
			}
		}
		if (!Array.isArray(value)) {
			throw invalidField(ctx, itemIndex, json, 'must be an array of signer objects');
		}
		// The JSON keys are what the user typed, so they name the field: "Signers (JSON) › Signer 1 › code".
		return {
			list: json,
			signers: value.map((raw, position) => {
				const entry = subField(
					json,
					field(SIGNER_PROPERTIES, `signers.signer[${position}]`, version).label,
					`[${position}]`,
				);
				return { value: raw, entry, fieldOf: (key) => subField(entry, key, `.${key}`) };
			}),
		};
	}
	const collection = ctx.getNodeParameter('signers', itemIndex, {}) as { signer?: IDataObject[] };
	const entries = collection.signer ?? [];
	const structured = version >= STRUCTURED_SIGNERS_VERSION;
	return {
		list: field(SIGNER_PROPERTIES, 'signers', version),
		signers: entries.map((raw, position) => {
			const path = `signers.signer[${position}]`;
			const fieldAt = (key: string) => field(SIGNER_PROPERTIES, `${path}.${key}`, version);
			const additional = isObject(raw.additionalFields)
				? (raw.additionalFields as IDataObject)
				: {};
			const entry = field(SIGNER_PROPERTIES, path, version);
			const described = structured ? STRUCTURED_SIGNER_KEYS : FLAT_SIGNER_KEYS;
			const fieldOf = (key: string): Field => {
				// A key the panel does not offer (saved by another version) is named as stored.
				if (!described.has(key)) return subField(entry, key, `.${key}`);
				if (!structured) return fieldAt(key);
				// A version 1.1 signer without a Signer ID takes the personal code, else the name.
				if (key === 'id' && blank(additional.id) && !blank(raw.code)) return fieldAt('code');
				const onTop = SIGNER_FIELDS.some((property) => property.name === key);
				return fieldAt(onTop ? key : `additionalFields.${key}`);
			};
			return {
				value: structured ? flattenSigner(raw) : raw,
				entry,
				fieldOf,
			};
		}),
	};
}

/**
 * Reads and checks the signers of one item: required fields, purpose, formats, unique ids.
 * Empty optional fields are dropped, since the Gateway rejects blank values.
 */
export function readSigners(
	ctx: IExecuteFunctions,
	itemIndex: number,
	{ required }: { required: boolean },
): IDataObject[] {
	const { list, signers } = rawSigners(ctx, itemIndex);
	if (required && signers.length === 0) {
		throw invalidField(ctx, itemIndex, list, 'must contain at least one signer');
	}
	const seen = new Set<string>();
	return signers.map(({ value: raw, entry, fieldOf }) => {
		if (!isObject(raw)) throw invalidField(ctx, itemIndex, entry, 'must be an object');
		const signer: IDataObject = {};
		for (const [key, value] of Object.entries(raw)) {
			if (!ALLOWED_KEYS.has(key)) {
				throw invalidField(ctx, itemIndex, fieldOf(key), 'is not a Gateway signer field');
			}
			// Trim first: a blank-but-spaces optional field is as empty as '' and the Gateway refuses both.
			const clean = typeof value === 'string' ? value.trim() : value;
			if (clean === '' || clean === null || clean === undefined) continue;
			if (Array.isArray(clean) && clean.length === 0) continue;
			signer[key] = clean as IDataObject[keyof IDataObject];
		}
		for (const key of ['name', 'surname', 'id']) {
			if (typeof signer[key] === 'number') signer[key] = String(signer[key]);
			if (typeof signer[key] !== 'string' || signer[key] === '') {
				throw invalidField(ctx, itemIndex, fieldOf(key), 'is required');
			}
		}
		const id = signer.id as string;
		if (seen.has(id)) {
			throw invalidField(
				ctx,
				itemIndex,
				fieldOf('id'),
				`"${id}" is used twice: give each signer its own Personal Code or Signer ID`,
			);
		}
		seen.add(id);
		// The SDK calls it optional, but the sandbox answers 400 without it.
		signer.signing_purpose ??= 'signature';
		if (!(SIGNING_PURPOSES as readonly string[]).includes(String(signer.signing_purpose))) {
			throw invalidField(
				ctx,
				itemIndex,
				fieldOf('signing_purpose'),
				`must be one of ${SIGNING_PURPOSES.join(', ')}`,
			);
		}
		if (signer.code !== undefined && !PERSONAL_CODE.test(String(signer.code))) {
			throw invalidField(
				ctx,
				itemIndex,
				fieldOf('code'),
				`"${String(signer.code)}" is not a valid LT, EE or FI personal code`,
			);
		}
		if (signer.phone !== undefined && !PHONE.test(String(signer.phone))) {
			throw invalidField(
				ctx,
				itemIndex,
				fieldOf('phone'),
				`"${String(signer.phone)}" is not a Mobile-ID number (+3706…, +372…, +358…)`,
			);
		}
		if (signer.email !== undefined && !isEmail(String(signer.email))) {
			throw invalidField(
				ctx,
				itemIndex,
				fieldOf('email'),
				`"${String(signer.email)}" is not an e-mail address`,
			);
		}
		if (signer.country_code !== undefined) {
			const country = String(signer.country_code);
			if (!/^[A-Za-z]{2}$/.test(country)) {
				throw invalidField(
					ctx,
					itemIndex,
					fieldOf('country_code'),
					'must be a two-letter country code',
				);
			}
			signer.country_code = country.toLowerCase();
		}
		for (const key of TYPE_OPTION_KEYS) {
			if (signer[key] !== undefined && !isObject(signer[key])) {
				throw invalidField(ctx, itemIndex, fieldOf(key), 'must be an object of type options');
			}
		}
		if (signer.signing_options !== undefined) {
			const options = signer.signing_options;
			if (
				!Array.isArray(options) ||
				!options.every((option) => (SIGNING_OPTIONS as readonly string[]).includes(String(option)))
			) {
				throw invalidField(
					ctx,
					itemIndex,
					fieldOf('signing_options'),
					`must be a list of ${SIGNING_OPTIONS.join(', ')}`,
				);
			}
		}
		return signer;
	});
}
