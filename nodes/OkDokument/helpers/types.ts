/** Request and response shapes of the OKdokument API (docs/vendor-apis.md › OKdokument). */
import { isObject } from '../../shared/validation';

/** Document states (wiki 1.6). `canceled` is the vendor's spelling. */
export const DOCUMENT_STATES = [
	'tags',
	'tostamp',
	'tosign',
	'signed',
	'canceled',
	'errorsendinfo',
] as const;
export type DocumentState = (typeof DOCUMENT_STATES)[number];

/** States a new document may be given (`filedata.state`; `tostamp` from the connector). */
export const INITIAL_STATES = ['tosign', 'tags', 'tostamp'] as const;
export type InitialState = (typeof INITIAL_STATES)[number];

/** The outcomes the sendInfo callback reports. */
export const OUTCOME_STATES = ['signed', 'canceled'] as const;
export type OutcomeState = (typeof OUTCOME_STATES)[number];

/** Acrofield types of `allowedFields` and `ignoreRequired`. */
export const FIELD_TYPES = ['TEXT', 'CHECKBOX', 'SIGNATURE', 'RADIO', 'COMBOBOX'] as const;

export const FIELDS_BEFORE_SIGNING = ['flatten', 'readOnly', 'keep'] as const;

/** E-mail and SMS template languages (partner connector); the default is `sk`. */
export const LANGUAGES = ['sk', 'cs', 'en', 'ro', 'uk', 'pl', 'pt', 'hu'] as const;

/** The languages as the panel names them. */
export const LANGUAGE_NAMES: Record<(typeof LANGUAGES)[number], string> = {
	cs: 'Czech',
	en: 'English',
	hu: 'Hungarian',
	pl: 'Polish',
	pt: 'Portuguese',
	ro: 'Romanian',
	sk: 'Slovak',
	uk: 'Ukrainian',
};

/** File types OKdokument takes: PDF, and Office files it converts to PDF (needs the file name). */
export const CONVERTIBLE_EXTENSIONS = ['doc', 'docx', 'xls', 'xlsx'] as const;
export const DOCUMENT_EXTENSIONS = ['pdf', ...CONVERTIBLE_EXTENSIONS] as const;

/** `POST /JSON/signatureRequest` / `POST /JSON/upload` success: `result` is the request id. */
export interface SignatureRequestResult {
	message?: string;
	result: string;
	url?: string;
	documentId?: string;
	[key: string]: unknown;
}

/** `GET /JSON/document/metadata/{id}`; `date` is epoch ms, `modification` local time, no zone. */
export interface DocumentMetadata {
	id: string;
	state: string;
	filename?: string;
	modification?: string;
	date?: number;
	number?: string;
	[key: string]: unknown;
}

/** One entry of `GET /JSON/list/flat`. */
export interface ListedDocument extends DocumentMetadata {
	url?: string;
	group?: string;
}

/** `GET /JSON/counter`: groups of counters; the wiki shows every value as a string. */
export interface Counters {
	actual?: Record<string, string | number>;
	[group: string]: Record<string, string | number> | undefined;
}

/** The sendInfo callback body (docs/vendor-apis.md › OKdokument › Callback). */
export interface SendInfoCallback {
	state?: string;
	id: string;
	signatureRequestId?: string;
	[key: string]: unknown;
}

function isText(value: unknown): value is string {
	return typeof value === 'string' && value.trim() !== '';
}

export function isOutcomeState(value: unknown): value is OutcomeState {
	return typeof value === 'string' && (OUTCOME_STATES as readonly string[]).includes(value);
}

export function isSignatureRequestResult(value: unknown): value is SignatureRequestResult {
	return isObject(value) && isText(value.result);
}

export function isDocumentMetadata(value: unknown): value is DocumentMetadata {
	return isObject(value) && isText(value.id) && isText(value.state);
}

export function isDocumentList(value: unknown): value is ListedDocument[] {
	return Array.isArray(value) && value.every(isDocumentMetadata);
}

export function isCounters(value: unknown): value is Counters {
	return (
		isObject(value) &&
		Object.values(value).every(
			(group) =>
				isObject(group) &&
				Object.values(group).every((v) => typeof v === 'string' || typeof v === 'number'),
		)
	);
}
