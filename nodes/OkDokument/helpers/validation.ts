/**
 * Client-side checks for OKdokument (docs/vendor-apis.md › OKdokument:
 * `POST /JSON/signatureRequest`, Signing rules, Limits), all run before the first request so that a
 * bad item never reaches the vendor. Each failure names the item and the field.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import {
	type FileContent,
	type FileInput,
	resolveFileContent,
	resolveFileInput,
	fileExtension,
} from '../../shared/binary';
import {
	type Field,
	subField,
	invalidField,
	isEmail,
	requireText,
	isObject,
} from '../../shared/validation';
import { CONVERTIBLE_EXTENSIONS, FIELD_TYPES } from './types';

/**
 * "Max 10 MB" (decoded). Inferred: read as 10 MiB; if the service means 10,000,000 bytes it refuses
 * the few files in between with its own message.
 */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** `expirationTime`: default 24 h, "can be extended up to 10 days" (partner connector). */
export const MAX_EXPIRATION_MS = 10 * 24 * 3600_000;

/** Document ids are opaque URL-safe strings (38 to over 100 characters in the examples). */
export const DOCUMENT_ID = /^[A-Za-z0-9._~-]{1,400}$/;

/**
 * Client-chosen signature request ids are UUIDs in every example; the API only says "string".
 * Inferred: anything URL-safe, because the id becomes a path segment (`/openDocument/{id}`).
 * `off` is reserved: in an upload it means "storage only".
 */
export const SIGNATURE_REQUEST_ID = /^[A-Za-z0-9._~-]{1,100}$/;

/** E.164, as in the wiki's `+421905123456`. */
export const PHONE = /^\+[1-9]\d{7,14}$/;

/**
 * Text tags: `_SO1_`…`_SO5_` optional, `_SC1_`…`_SC5_` compulsory signatures (docs/vendor-apis.md ›
 * OKdokument › Signing rules).
 */
export const TEXT_TAG = /^_S[OC][1-5]_$/;

/** Acrofield technical names, e.g. `SC_signature`, `TO_text`. No `;`: it separates names. */
export const FIELD_NAME = /^[A-Za-z0-9][\w.\- ]{0,199}$/;

/** `guiSignerName` is at most 40 characters (partner connector). */
export const MAX_SIGNER_NAME = 40;

export function requireDocumentId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	label: string | Field = 'Document ID',
): string {
	const id = requireText(ctx, itemIndex, label, value);
	if (!DOCUMENT_ID.test(id)) {
		throw invalidField(ctx, itemIndex, label, `"${id}" is not an OKdokument document ID`);
	}
	return id;
}

export function requireSignatureRequestId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	label: string | Field = 'Signature Request ID',
): string {
	const id = requireText(ctx, itemIndex, label, value);
	if (!SIGNATURE_REQUEST_ID.test(id) || id.toLowerCase() === 'off') {
		throw invalidField(
			ctx,
			itemIndex,
			label,
			`"${id}" is not a usable signature request ID`,
			'Use letters, digits, "-", "_", "." or "~" (a UUID is best); "off" is reserved.',
		);
	}
	return id;
}

export function requireEmail(
	ctx: IExecuteFunctions,
	itemIndex: number,
	label: string | Field,
	value: unknown,
): string {
	const email = requireText(ctx, itemIndex, label, value);
	if (!isEmail(email)) {
		throw invalidField(ctx, itemIndex, label, `"${email}" is not an e-mail address`);
	}
	return email;
}

/**
 * One or more addresses. The wiki's Rules page separates them with `;`, its §5.9 example with `|`;
 * both (and commas) are read, and `;` is sent (inferred).
 */
export function requireEmailList(
	ctx: IExecuteFunctions,
	itemIndex: number,
	label: string | Field,
	value: unknown,
): string {
	const list = requireText(ctx, itemIndex, label, value)
		.split(/[;,|]/)
		.map((entry) => entry.trim())
		.filter(Boolean);
	if (list.length === 0) throw invalidField(ctx, itemIndex, label, 'lists no e-mail address');
	for (const email of list) {
		if (!isEmail(email)) {
			throw invalidField(ctx, itemIndex, label, `"${email}" is not an e-mail address`);
		}
	}
	return list.join(';');
}

export function requirePhone(
	ctx: IExecuteFunctions,
	itemIndex: number,
	label: string | Field,
	value: unknown,
): string {
	const phone = requireText(ctx, itemIndex, label, value).replace(/[\s()-]/g, '');
	if (!PHONE.test(phone)) {
		throw invalidField(
			ctx,
			itemIndex,
			label,
			`"${String(value).trim()}" is not a phone number in international format`,
			'Write it with the country code, e.g. +421905123456',
		);
	}
	return phone;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

export function isPdf(bytes: Buffer): boolean {
	return bytes.subarray(0, 5).toString('latin1') === '%PDF-';
}

/** The document limits by size alone: not empty and at most 10 MB. Needs no byte of the file. */
export function checkDocumentSize(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	size: number,
): void {
	if (size === 0) throw invalidField(ctx, itemIndex, 'File', `"${name}" is empty`);
	if (size > MAX_FILE_BYTES) {
		const mb = (size / 1024 / 1024).toFixed(1);
		throw invalidField(
			ctx,
			itemIndex,
			'File',
			`"${name}" is ${mb} MB; OKdokument takes at most 10 MB`,
		);
	}
}

/**
 * The document limits by content: a PDF (checked by its first bytes) or a DOC/DOCX/XLS/XLSX file,
 * which OKdokument converts to PDF and which therefore needs its name.
 */
export function checkDocumentType(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	bytes: Buffer,
): void {
	const extension = fileExtension(name);
	if ((CONVERTIBLE_EXTENSIONS as readonly string[]).includes(extension)) {
		const magic = extension.endsWith('x') ? ZIP_MAGIC : OLE_MAGIC;
		if (!bytes.subarray(0, magic.length).equals(magic)) {
			throw invalidField(
				ctx,
				itemIndex,
				'File',
				`"${name}" is not a ${extension.toUpperCase()} file (its content does not match the extension)`,
			);
		}
		return;
	}
	if (!isPdf(bytes)) {
		throw invalidField(
			ctx,
			itemIndex,
			'File',
			extension === 'pdf' || extension === ''
				? `"${name}" is not a PDF (it does not start with %PDF-)`
				: `"${name}" has the type .${extension}; OKdokument takes PDF, DOC, DOCX, XLS and XLSX files`,
		);
	}
}

/** The document limits (docs/vendor-apis.md › OKdokument › Limits), size and content. */
export function checkDocumentFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	file: FileInput,
): FileInput {
	checkDocumentSize(ctx, itemIndex, file.fileName, file.bytes.length);
	checkDocumentType(ctx, itemIndex, file.fileName, file.bytes);
	return file;
}

/** Offset of a time zone from UTC at an instant, in ms. */
function zoneOffsetMs(epochMs: number, timeZone: string): number {
	const parts: Record<string, number> = {};
	for (const part of new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(epochMs))) {
		if (part.type !== 'literal') parts[part.type] = Number(part.value);
	}
	const wall = Date.UTC(
		parts.year,
		parts.month - 1,
		parts.day,
		parts.hour,
		parts.minute,
		parts.second,
	);
	return wall - Math.floor(epochMs / 1000) * 1000;
}

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/**
 * A date parameter as epoch ms. n8n's date picker gives wall-clock text without a zone, which is
 * read in the workflow's time zone; text with a zone, epoch ms (number or digits) and Luxon
 * DateTimes from expressions are read as they are. Undefined when it is not a date.
 */
export function toEpochMs(value: unknown, timeZone = 'UTC'): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : undefined;
	if (isObject(value) && typeof value.toMillis === 'function') {
		const ms = Number((value.toMillis as () => number)());
		return Number.isFinite(ms) ? ms : undefined;
	}
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim();
	if (/^\d{12,14}$/.test(text)) return Number(text);
	const naive = NAIVE.exec(text);
	if (naive) {
		const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = naive;
		const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, +ms.padEnd(3, '0'));
		const check = new Date(wall);
		// Date.UTC rolls 2026-13-45 over into 2027; a real date reads back the same.
		if (
			!Number.isFinite(wall) ||
			check.getUTCMonth() !== +mo - 1 ||
			check.getUTCDate() !== +d ||
			check.getUTCHours() !== +h ||
			check.getUTCMinutes() !== +mi ||
			check.getUTCSeconds() !== +s
		) {
			return undefined;
		}
		try {
			let epoch = wall - zoneOffsetMs(wall, timeZone);
			const corrected = wall - zoneOffsetMs(epoch, timeZone);
			if (corrected !== epoch) epoch = corrected;
			return epoch;
		} catch {
			return wall;
		}
	}
	const parsed = Date.parse(text);
	return Number.isFinite(parsed) ? parsed : undefined;
}

/** `expirationTime`: in the future and at most 10 days ahead; sent as epoch ms text. */
export function requireExpiration(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	now: number,
	label: Field,
): number {
	const ms = toEpochMs(value, ctx.getTimezone());
	if (ms === undefined) {
		throw invalidField(ctx, itemIndex, label, `"${String(value)}" is not a date and time`);
	}
	const iso = new Date(ms).toISOString();
	if (ms <= now) throw invalidField(ctx, itemIndex, label, `${iso} is in the past`);
	if (ms > now + MAX_EXPIRATION_MS) {
		throw invalidField(
			ctx,
			itemIndex,
			label,
			`${iso} is more than 10 days ahead; OKdokument keeps a request open for at most 10 days`,
		);
	}
	return ms;
}

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

function parseJsonObject(
	ctx: IExecuteFunctions,
	itemIndex: number,
	label: string | Field,
	raw: unknown,
): Record<string, unknown> | undefined {
	let value = raw;
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string') {
		if (value.trim() === '' || value.trim() === '{}') return undefined;
		try {
			value = JSON.parse(value);
		} catch {
			throw invalidField(ctx, itemIndex, label, 'is not valid JSON');
		}
	}
	if (!isObject(value)) throw invalidField(ctx, itemIndex, label, 'must be a JSON object');
	return Object.keys(value).length ? value : undefined;
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

/** Extra rules as a JSON object, for rules without a field of their own. */
export function parseRulesJson(
	ctx: IExecuteFunctions,
	itemIndex: number,
	raw: unknown,
	label: Field,
): IDataObject | undefined {
	return parseJsonObject(ctx, itemIndex, label, raw) as IDataObject | undefined;
}

/** The File Source parameters of one item, resolved and checked against the document limits. */
export async function readDocumentFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<FileInput> {
	return checkDocumentFile(
		ctx,
		itemIndex,
		await resolveFileInput(ctx, itemIndex, { maxBytes: MAX_FILE_BYTES }),
	);
}

/**
 * Like `readDocumentFile`, but a stored binary is not read here (see `resolveFileContent`): only its
 * size is checked now; check its content with `checkDocumentType` once its bytes are read.
 */
export async function readDocumentContent(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<FileContent> {
	const file = await resolveFileContent(ctx, itemIndex, { maxBytes: MAX_FILE_BYTES });
	checkDocumentSize(ctx, itemIndex, file.fileName, file.size);
	return file;
}
