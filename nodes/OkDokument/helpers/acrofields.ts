/**
 * Form fields of the document (acrofields and text tags) as Allowed Fields and Field Values name
 * them (docs/vendor-apis.md › OKdokument › Signing rules).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { type Field, subField, invalidField } from '../../shared/validation';
import { FIELD_TYPES } from './types';
import { parseJsonObject } from './validation';

/**
 * Text tags: `_SO1_`…`_SO5_` optional, `_SC1_`…`_SC5_` compulsory signatures (docs/vendor-apis.md ›
 * OKdokument › Signing rules).
 */
export const TEXT_TAG = /^_S[OC][1-5]_$/;

/** Acrofield technical names, e.g. `SC_signature`, `TO_text`. No `;`: it separates names. */
export const FIELD_NAME = /^[A-Za-z0-9][\w.\- ]{0,199}$/;

/** A text tag or acrofield name in `allowedFields` / `fieldConfig`. */
export function checkFieldName(
	ctx: IExecuteFunctions,
	itemIndex: number,
	label: string | Field,
	name: string,
): string {
	const trimmed = name.trim();
	if (trimmed.startsWith('_') || trimmed.endsWith('_')) {
		if (!TEXT_TAG.test(trimmed)) {
			throw invalidField(
				ctx,
				itemIndex,
				label,
				`"${trimmed}" is not a text tag (_SO1_…_SO5_ optional, _SC1_…_SC5_ compulsory)`,
			);
		}
		return trimmed;
	}
	if (!FIELD_NAME.test(trimmed)) {
		throw invalidField(ctx, itemIndex, label, `"${trimmed}" is not a form field name`);
	}
	return trimmed;
}

/**
 * `allowedFields` in either documented form: old `{"SIGNATURE": "_SO1_;_SC2_"}` (kept as a string)
 * or new `{"SIGNATURE": ["SC_signature"], "TEXT": ["TO_text"]}`.
 */
export function parseAllowedFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	raw: unknown,
	label: Field,
): IDataObject | undefined {
	const value = parseJsonObject(ctx, itemIndex, label, raw);
	if (!value) return undefined;
	const out: IDataObject = {};
	for (const [type, names] of Object.entries(value)) {
		if (!(FIELD_TYPES as readonly string[]).includes(type)) {
			throw invalidField(
				ctx,
				itemIndex,
				label,
				`has the key "${type}"; field types are ${FIELD_TYPES.join(', ')}`,
			);
		}
		// The JSON keys as the user typed them.
		const entryLabel = subField(label, type, `.${type}`);
		let list: string[];
		if (typeof names === 'string') list = names.split(';');
		else if (Array.isArray(names) && names.every((name) => typeof name === 'string')) {
			list = names as string[];
		} else {
			throw invalidField(
				ctx,
				itemIndex,
				entryLabel,
				'must be a name, names separated by ";", or an array of names',
			);
		}
		if (list.length === 0 || list.some((name) => name.trim() === '')) {
			throw invalidField(ctx, itemIndex, entryLabel, 'contains an empty name');
		}
		const checked = list.map((name) => checkFieldName(ctx, itemIndex, entryLabel, name));
		out[type] = typeof names === 'string' ? checked.join(';') : checked;
	}
	return out;
}
