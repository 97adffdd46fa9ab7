/**
 * The Options of a signature request (`POST /JSON/signatureRequest`, and `POST /JSON/upload` whose
 * metadata takes the same keys), under the API's own names.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { field, requireHttpUrl, requireOneOf, requireText } from '../../shared/validation';
import { checkFieldName, parseAllowedFields } from './acrofields';
import { requireExpiration } from './dates';
import { FIELDS_BEFORE_SIGNING, FIELD_TYPES } from './types';
import { filled, requireSignatureRequestId } from './validation';

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

interface FieldValue {
	name?: string;
	value?: string;
	readOnly?: boolean;
}

interface RequestOptions {
	signatureRequestId?: string;
	expiresAt?: unknown;
	callbackUrl?: string;
	resultUrl?: string;
	allowedFields?: unknown;
	fieldConfig?: { field?: FieldValue[] };
	ignoreRequired?: string[];
	fieldsBeforeSigning?: string;
}

/** A field of Options, named as the panel shows it. */
const option = (name: string) => field([requestOptionsProperty], `options.${name}`);

/** Fields the calling operation sets itself, whatever the options say. */
export interface RequestOverrides {
	/** `sendInfoURL`; kept out of the summary (a resume URL is a capability). */
	sendInfoURL?: string;
}

/**
 * The options of one item, checked, as request keys (`body`) and what the output echoes
 * (`summary`). Keys are added in the order the request has always sent them.
 */
export function readRequestOptions(
	ctx: IExecuteFunctions,
	itemIndex: number,
	now: number,
	overrides: RequestOverrides,
): { body: IDataObject; summary: IDataObject } {
	const options = { ...(ctx.getNodeParameter('options', itemIndex, {}) as RequestOptions) };
	const body: IDataObject = {};
	const summary: IDataObject = {};
	if (overrides.sendInfoURL !== undefined) {
		// A Callback URL left in the options from another operation is ignored, not validated.
		delete options.callbackUrl;
		body.sendInfoURL = overrides.sendInfoURL;
	}
	readRoundOptions(ctx, itemIndex, options, now, { body, summary });
	readFormOptions(ctx, itemIndex, options, body);
	return { body, summary };
}

/** The round's own ID, its expiry and where OKdokument reports to and sends the signer. */
function readRoundOptions(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: RequestOptions,
	now: number,
	{ body, summary }: { body: IDataObject; summary: IDataObject },
): void {
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
}

/** What the signer may fill in, what is pre-filled, and what happens to the form fields. */
function readFormOptions(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: RequestOptions,
	body: IDataObject,
): void {
	const allowedFields = parseAllowedFields(
		ctx,
		itemIndex,
		options.allowedFields,
		option('allowedFields'),
	);
	if (allowedFields) body.allowedFields = allowedFields;
	const entries = options.fieldConfig?.field ?? [];
	if (entries.length) body.fieldConfig = readFieldValues(ctx, itemIndex, entries);
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
}

/** Field Values as `fieldConfig` entries; `readOnly` is sent only when on. */
function readFieldValues(
	ctx: IExecuteFunctions,
	itemIndex: number,
	entries: FieldValue[],
): IDataObject[] {
	return entries.map((entry, index) => {
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
