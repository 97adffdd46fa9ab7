/** Checks of the Create Signing Session inputs, each failing with the item and field it is about. */
import type { IExecuteFunctions } from 'n8n-workflow';
import {
	type Field,
	invalidField,
	isEmail,
	requireHttpUrl,
	requireText,
} from '../../shared/validation';
import { fileExtension } from '../../shared/binary';
import { describeKzId, kzIdProblem, toVendorPhone } from './identifiers';
import { ATTACHMENT_EXTENSIONS } from './types';

/** The extension of the last segment of a URL's path, lower-case, or '' when it has none. */
export function urlExtension(url: string): string {
	const last = new URL(url).pathname.split('/').pop() ?? '';
	return decodeURIComponent(fileExtension(last)).toLowerCase();
}

export function isAllowedExtension(extension: string): boolean {
	return (ATTACHMENT_EXTENSIONS as readonly string[]).includes(extension);
}

/** The allowed extensions as a message lists them. */
export const ALLOWED_EXTENSIONS = ATTACHMENT_EXTENSIONS.join(', ');

/**
 * An attachment link: an absolute http(s) URL whose path ends in an allowed extension
 * (docs/vendor-apis.md › Documentolog › `POST /json/external/oauth/token`).
 */
export function requireAttachmentUrl(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string | Field,
	value: unknown,
): string {
	const url = requireHttpUrl(ctx, itemIndex, field, value);
	const extension = urlExtension(url);
	if (!isAllowedExtension(extension)) {
		throw invalidField(
			ctx,
			itemIndex,
			field,
			extension
				? `has the extension ".${extension}", which Documentolog does not accept`
				: `"${url}" does not end in a file extension`,
			`Documentolog accepts links to files ending in: ${ALLOWED_EXTENSIONS}`,
		);
	}
	return url;
}

/**
 * A 12-digit IIN or BIN with a valid check digit (docs/vendor-apis.md › Documentolog › IIN, BIN and
 * phone). With `checkStructure`, also the documented date/century (IIN) or type/attribute (BIN)
 * structure.
 */
export function requireKzId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string | Field,
	value: unknown,
	checkStructure = false,
): string {
	const id = requireText(ctx, itemIndex, field, value).replace(/\s+/g, '');
	const problem = kzIdProblem(id);
	if (problem) throw invalidField(ctx, itemIndex, field, `"${id}" ${problem}`, ID_HINT);
	if (checkStructure && describeKzId(id).kind === 'unknown') {
		throw invalidField(
			ctx,
			itemIndex,
			field,
			`"${id}" is neither an IIN (birth date YYMMDD, century digit 1–6) nor a BIN (YYMM, type 4–6, attribute 0–3)`,
			'Turn off "Check IIN/BIN Structure" to accept any number with a valid check digit',
		);
	}
	return id;
}

const ID_HINT =
	'An IIN or BIN is 12 digits; the last one is a check digit computed from the first eleven.';

/**
 * One element of `mRecipient`: an IIN/BIN (both vendor guides), an e-mail (the Open API guide) or a
 * phone (the product page), all documented. Twelve digits are always read as an IIN/BIN; phones are
 * sent in the vendor's `+X (XXX) XXX-XX-XX` format, which is what its SMS field uses (inferred).
 */
export function requireRecipient(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string | Field,
	value: unknown,
): string {
	const text = requireText(ctx, itemIndex, field, value);
	const compact = text.replace(/\s+/g, '');
	if (/^\d{12}$/.test(compact)) return requireKzId(ctx, itemIndex, field, compact);
	if (text.includes('@')) {
		if (!isEmail(text))
			throw invalidField(ctx, itemIndex, field, `"${text}" is not a valid e-mail address`);
		return text;
	}
	const phone = toVendorPhone(text);
	if (phone) return phone;
	if (/^\d+$/.test(compact)) {
		throw invalidField(
			ctx,
			itemIndex,
			field,
			`"${text}" ${kzIdProblem(compact) ?? 'is not valid'}`,
			'A recipient is a 12-digit IIN/BIN, an e-mail address or a phone number like +7 (701) 123-45-67',
		);
	}
	throw invalidField(
		ctx,
		itemIndex,
		field,
		`"${text}" is not an IIN/BIN, an e-mail address or a phone number`,
		'A recipient is a 12-digit IIN/BIN, an e-mail address or a phone number like +7 (701) 123-45-67',
	);
}

export function requirePhone(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string | Field,
	value: unknown,
): string {
	const text = requireText(ctx, itemIndex, field, value);
	const phone = toVendorPhone(text);
	if (!phone) {
		throw invalidField(
			ctx,
			itemIndex,
			field,
			`"${text}" is not a phone number in the format +X (XXX) XXX-XX-XX`,
			'Write it as +7 (701) 123-45-67 or +77011234567',
		);
	}
	return phone;
}

/** Values of a "multiple values" string parameter: a list, or one text with one value per line. */
export function listOf(value: unknown): string[] {
	const flat: unknown[] = Array.isArray(value) ? value.flat(2) : [value];
	return flat
		.flatMap((entry) =>
			typeof entry === 'string'
				? entry.split(/\r?\n/)
				: entry === undefined || entry === null
					? []
					: [String(entry)],
		)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}
