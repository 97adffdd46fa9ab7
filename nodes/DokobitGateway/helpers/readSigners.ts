/** Reads the signer block (helpers/signerFields.ts) of one item into the Gateway's signer objects. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import {
	type Field,
	field,
	invalidField,
	isEmail,
	subField,
	isObject,
} from '../../shared/validation';
import {
	FLAT_SIGNER_KEYS,
	STRUCTURED_SIGNERS_VERSION,
	STRUCTURED_SIGNER_KEYS,
	TOP_SIGNER_KEYS,
	signerProperties,
} from './signerFields';
import { SIGNING_OPTIONS, SIGNING_PURPOSES } from './types';
import { PERSONAL_CODE, PHONE } from './validation';

/** Per-signer type options (e.g. `pdf: {reason}`): JSON input only, passed through as objects. */
const TYPE_OPTION_KEYS = ['pdf', 'pdflt', 'adoc', 'mdoc'];

const ALLOWED_KEYS = new Set([...FLAT_SIGNER_KEYS, ...TYPE_OPTION_KEYS]);

/** The signer inputs as described, to name fields by their labels. */
const SIGNER_PROPERTIES = signerProperties();

/** One signer as entered, and where each of its Gateway fields was entered. */
interface RawSigner {
	value: unknown;
	/** The entry itself ("Signer 2"). */
	entry: Field;
	fieldOf: (key: string) => Field;
}

interface RawSigners {
	/** The list itself ("Signers", "Signers (JSON)"). */
	list: Field;
	signers: RawSigner[];
}

/** Where a signer's field is named in a message. */
type FieldOf = RawSigner['fieldOf'];

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

function rawSigners(ctx: IExecuteFunctions, itemIndex: number): RawSigners {
	const version = ctx.getNode().typeVersion;
	const input = ctx.getNodeParameter('signersInput', itemIndex, 'fields') as string;
	return input === 'json'
		? jsonSigners(ctx, itemIndex, version)
		: panelSigners(ctx, itemIndex, version);
}

function jsonSigners(ctx: IExecuteFunctions, itemIndex: number, version: number): RawSigners {
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

function panelSigners(ctx: IExecuteFunctions, itemIndex: number, version: number): RawSigners {
	const collection = ctx.getNodeParameter('signers', itemIndex, {}) as { signer?: IDataObject[] };
	const structured = version >= STRUCTURED_SIGNERS_VERSION;
	return {
		list: field(SIGNER_PROPERTIES, 'signers', version),
		signers: (collection.signer ?? []).map((raw, position) => {
			const path = `signers.signer[${position}]`;
			return {
				value: structured ? flattenSigner(raw) : raw,
				entry: field(SIGNER_PROPERTIES, path, version),
				fieldOf: panelFieldOf(raw, path, version),
			};
		}),
	};
}

/** Where the panel shows each Gateway field of the signer entered at `path`. */
function panelFieldOf(raw: IDataObject, path: string, version: number): FieldOf {
	const structured = version >= STRUCTURED_SIGNERS_VERSION;
	const fieldAt = (key: string) => field(SIGNER_PROPERTIES, `${path}.${key}`, version);
	const additional = isObject(raw.additionalFields) ? (raw.additionalFields as IDataObject) : {};
	const described = structured ? STRUCTURED_SIGNER_KEYS : FLAT_SIGNER_KEYS;
	return (key) => {
		// A key the panel does not offer (saved by another version) is named as stored.
		if (!described.has(key))
			return subField(field(SIGNER_PROPERTIES, path, version), key, `.${key}`);
		if (!structured) return fieldAt(key);
		// A version 1.1 signer without a Signer ID takes the personal code, else the name.
		if (key === 'id' && blank(additional.id) && !blank(raw.code)) return fieldAt('code');
		return fieldAt(TOP_SIGNER_KEYS.has(key) ? key : `additionalFields.${key}`);
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
		const signer = cleanFields(ctx, itemIndex, raw as IDataObject, fieldOf);
		requireNamesAndId(ctx, itemIndex, signer, fieldOf);
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
		checkSignerValues(ctx, itemIndex, signer, fieldOf);
		return signer;
	});
}

/** The Gateway fields of one signer, trimmed, without the empty ones; any other key is refused. */
function cleanFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	raw: IDataObject,
	fieldOf: FieldOf,
): IDataObject {
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
	return signer;
}

/** Name, surname and ID are required; a number (from JSON) counts as its text. */
function requireNamesAndId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	signer: IDataObject,
	fieldOf: FieldOf,
) {
	for (const key of ['name', 'surname', 'id']) {
		if (typeof signer[key] === 'number') signer[key] = String(signer[key]);
		if (typeof signer[key] !== 'string' || signer[key] === '') {
			throw invalidField(ctx, itemIndex, fieldOf(key), 'is required');
		}
	}
}

/** Each optional value in a shape the Gateway accepts; the country code is lower-cased. */
function checkSignerValues(
	ctx: IExecuteFunctions,
	itemIndex: number,
	signer: IDataObject,
	fieldOf: FieldOf,
) {
	const refuse = (key: string, problem: string) => {
		throw invalidField(ctx, itemIndex, fieldOf(key), problem);
	};
	if (!(SIGNING_PURPOSES as readonly string[]).includes(String(signer.signing_purpose))) {
		refuse('signing_purpose', `must be one of ${SIGNING_PURPOSES.join(', ')}`);
	}
	if (signer.code !== undefined && !PERSONAL_CODE.test(String(signer.code))) {
		refuse('code', `"${String(signer.code)}" is not a valid LT, EE or FI personal code`);
	}
	if (signer.phone !== undefined && !PHONE.test(String(signer.phone))) {
		refuse('phone', `"${String(signer.phone)}" is not a Mobile-ID number (+3706…, +372…, +358…)`);
	}
	if (signer.email !== undefined && !isEmail(String(signer.email))) {
		refuse('email', `"${String(signer.email)}" is not an e-mail address`);
	}
	if (signer.country_code !== undefined) {
		const country = String(signer.country_code);
		if (!/^[A-Za-z]{2}$/.test(country)) refuse('country_code', 'must be a two-letter country code');
		signer.country_code = country.toLowerCase();
	}
	for (const key of TYPE_OPTION_KEYS) {
		if (signer[key] !== undefined && !isObject(signer[key])) {
			refuse(key, 'must be an object of type options');
		}
	}
	const options = signer.signing_options;
	if (
		options !== undefined &&
		(!Array.isArray(options) ||
			!options.every((option) => (SIGNING_OPTIONS as readonly string[]).includes(String(option))))
	) {
		refuse('signing_options', `must be a list of ${SIGNING_OPTIONS.join(', ')}`);
	}
}
