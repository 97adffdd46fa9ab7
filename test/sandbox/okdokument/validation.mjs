// OKdokument emulator: what the service accepts. The limits, formats and rules of
// docs/vendor-apis.md › OKdokument, and the checks of a request's body that change nothing.
import { HttpError } from '../frame.mjs';
import { samplePdf } from '../pdf.mjs';

export const DAY = 24 * 3600_000;
export const MAX_FILE_BYTES = 10 * 1024 * 1024; // inferred: "10 MB" read as MiB, as the node does
const MAX_EXPIRATION_MS = 10 * DAY;
const DEFAULT_EXPIRATION_MS = DAY;
export const STATES = ['tags', 'tostamp', 'tosign', 'signed', 'canceled', 'errorsendinfo'];
export const INITIAL_STATES = ['tosign', 'tags', 'tostamp'];
const FIELD_TYPES = ['TEXT', 'CHECKBOX', 'SIGNATURE', 'RADIO', 'COMBOBOX'];
const FIELDS_BEFORE_SIGNING = ['flatten', 'readOnly', 'keep'];
const LANGUAGES = ['sk', 'cs', 'en', 'ro', 'uk', 'pl', 'pt', 'hu'];
export const SIGNATURE_REQUEST_KEYS = [
	'signatureRequestId',
	'resulturl',
	'sendInfoURL',
	'expirationTime',
	'filedata',
	'id',
	'changeState',
	'allowedFields',
	'fieldConfig',
	'ignoreRequired',
	'fieldsBeforeSigning',
	'rules',
];
/** Request keys a storage-only upload (`signatureRequestId: "off"`) may not carry (inferred). */
export const REQUEST_ONLY_KEYS = SIGNATURE_REQUEST_KEYS.filter(
	(key) => !['signatureRequestId', 'filedata'].includes(key),
);
const RULE_TYPES = {
	emailFinal: 'emails',
	emailFrom: 'email',
	emailMessage: 'string',
	emailTo: 'email',
	emailNotification: 'boolean',
	guiAutoEnvelopeSubmit: 'boolean',
	guiAutoSubmit: 'boolean',
	guiOneButton: 'boolean',
	guiOpenSignature: 'boolean',
	guiReadRequired: 'boolean',
	guiRemoteQRCodeEnabled: 'boolean',
	guiRequestSignerName: 'boolean',
	guiSignatureNumber: 'integer',
	guiSignerName: 'signerName',
	guiSignerDate: 'string',
	lang: 'language',
	language: 'language',
	mouseSignature: 'boolean',
	nameFrom: 'string',
	notificationExpiration: 'boolean',
	openOtpCode: 'string',
	openOtpEmail: 'email',
	openOtpPhone: 'phone',
	resulturl: 'url',
	sendInfo: 'url',
	'sendInfo.user': 'url',
	signAnywhereEnabled: 'boolean',
	signOtpCode: 'string',
	signOtpEmail: 'email',
	signOtpPhone: 'phone',
};
const EMAIL = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[A-Za-z]{2,}$/;
const PHONE = /^\+[1-9]\d{7,14}$/;
const TEXT_TAG = /^_S[OC][1-5]_$/;
const FIELD_NAME = /^[A-Za-z0-9][\w.\- ]{0,199}$/;
const SR_ID = /^[A-Za-z0-9._~-]{1,100}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
export const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** The vendor's error shape: `{"message":"err.<key>","value":…}`. */
export const fail = (status, key, value = '') =>
	new HttpError(status, { message: `err.${key}`, value });
export const bad = (key, value) => fail(400, key, value);
export const blank = (value) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
export const isUrl = (value) => {
	try {
		return ['http:', 'https:'].includes(new URL(value).protocol);
	} catch {
		return false;
	}
};
export const isObject = (value) =>
	typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

/** `YYYY-MM-DD HH:mm:ss`. The service writes local time without a zone; the sandbox writes UTC. */
export const modification = (ms) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/**
 * The checks of one emulator instance: strict mode (`ctx.strict`, the frame's) refuses unknown
 * keys; a new signature request id must be free and a request left (`store`, state.mjs).
 */
export function validators(ctx, store) {
	const onlyKeys = (body, allowed, prefix = '') => {
		if (!ctx.strict) return;
		for (const key of Object.keys(body ?? {}))
			if (!allowed.includes(key)) throw bad('unknown.field', `${prefix}${key}`);
	};
	const jsonBody = (body) => {
		if (!isObject(body)) throw bad('invalid.request', 'expected a JSON object');
		return body;
	};

	/** Decodes `content` (or `$content`): strict base64, at most 10 MB, PDF or a convertible file. */
	function decodeFile(content, filename, label) {
		if (typeof content !== 'string' || content.length === 0) throw bad('file.missing', label);
		if (content.length % 4 !== 0 || !BASE64.test(content)) throw bad('file.invalid.base64', label);
		const bytes = Buffer.from(content, 'base64');
		return checkFile(bytes, filename);
	}
	function checkFile(bytes, filename) {
		if (bytes.length === 0) throw bad('file.empty', filename ?? '');
		if (bytes.length > MAX_FILE_BYTES) throw bad('file.too.large', String(bytes.length));
		const extension = /\.([^.]+)$/.exec(filename ?? '')?.[1]?.toLowerCase();
		if (['docx', 'xlsx'].includes(extension)) {
			if (!bytes.subarray(0, 4).equals(ZIP)) throw bad('file.invalid.format', filename);
			return { bytes: samplePdf(`Converted ${filename}`, 1), original: bytes };
		}
		if (['doc', 'xls'].includes(extension)) {
			if (!bytes.subarray(0, 8).equals(OLE)) throw bad('file.invalid.format', filename);
			return { bytes: samplePdf(`Converted ${filename}`, 1), original: bytes };
		}
		if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-')
			throw bad('file.not.pdf', filename ?? '');
		return { bytes };
	}

	function parseRules(rules) {
		let object = rules;
		if (typeof rules === 'string') {
			// Connector form: `Name-Value_Name2-Value` (partner connector).
			object = {};
			for (const pair of rules.split('_').filter(Boolean)) {
				const dash = pair.indexOf('-');
				if (dash <= 0) throw bad('invalid.rules', pair);
				const value = pair.slice(dash + 1);
				object[pair.slice(0, dash)] = value === 'true' ? true : value === 'false' ? false : value;
			}
		}
		if (!isObject(object)) throw bad('invalid.rules', typeof rules);
		for (const [key, value] of Object.entries(object)) {
			const type = RULE_TYPES[key];
			if (!type) {
				if (ctx.strict) throw bad('unknown.rule', key);
				continue;
			}
			const invalid = () => bad('invalid.rule', key);
			if (type === 'boolean' && typeof value !== 'boolean') throw invalid();
			if (type === 'integer' && !Number.isInteger(Number(value))) throw invalid();
			if (['string', 'email', 'emails', 'phone', 'url', 'language', 'signerName'].includes(type)) {
				if (typeof value !== 'string' || value.trim() === '') throw invalid();
			}
			if (type === 'email' && !EMAIL.test(value)) throw invalid();
			if (type === 'emails' && !value.split(/[;|]/).every((email) => EMAIL.test(email.trim())))
				throw invalid();
			if (type === 'phone' && !PHONE.test(value)) throw invalid();
			if (type === 'url' && !isUrl(value)) throw invalid();
			if (type === 'language' && !LANGUAGES.includes(value)) throw invalid();
			if (type === 'signerName' && value.length > 40) throw invalid();
		}
		// "emailFrom … Mandatory when emailTo is used."
		if (object.emailTo !== undefined && object.emailFrom === undefined)
			throw bad('rules.emailFrom.required', 'emailFrom');
		return object;
	}

	function checkFieldName(name, label) {
		if (typeof name !== 'string' || name.trim() === '') throw bad('invalid.field.name', label);
		const trimmed = name.trim();
		const tagLike = trimmed.startsWith('_') || trimmed.endsWith('_');
		if (tagLike ? !TEXT_TAG.test(trimmed) : !FIELD_NAME.test(trimmed))
			throw bad('invalid.field.name', trimmed);
	}

	/** Everything a signature request carries, validated without changing anything. */
	function readRequest(body, { newDocument }) {
		const request = {};
		if (body.signatureRequestId !== undefined) {
			const id = body.signatureRequestId;
			if (typeof id !== 'string' || !SR_ID.test(id) || id === 'off')
				throw bad('invalid.signature.request.id', String(id));
			if (store.requests.has(id)) throw fail(409, 'signature.request.id.exists', id);
			request.id = id;
		}
		for (const key of ['resulturl', 'sendInfoURL']) {
			if (body[key] === undefined) continue;
			if (!isUrl(body[key])) throw bad('invalid.url', key);
			request[key] = body[key];
		}
		const now = ctx.now();
		request.expiresAt = now + DEFAULT_EXPIRATION_MS;
		if (body.expirationTime !== undefined) {
			const text = String(body.expirationTime);
			if (!/^\d{10,15}$/.test(text)) throw bad('invalid.expiration.time', text);
			const ms = Number(text);
			if (ms <= now || ms > now + MAX_EXPIRATION_MS) throw bad('invalid.expiration.time', text);
			request.expiresAt = ms;
		}
		if (body.allowedFields !== undefined) {
			if (!isObject(body.allowedFields)) throw bad('invalid.allowed.fields', '');
			for (const [type, names] of Object.entries(body.allowedFields)) {
				if (!FIELD_TYPES.includes(type)) throw bad('invalid.allowed.fields', type);
				const list = typeof names === 'string' ? names.split(';') : names;
				if (!Array.isArray(list) || list.length === 0) throw bad('invalid.allowed.fields', type);
				list.forEach((name) => checkFieldName(name, type));
			}
			request.allowedFields = body.allowedFields;
		}
		if (body.fieldConfig !== undefined) {
			if (!Array.isArray(body.fieldConfig)) throw bad('invalid.field.config', '');
			body.fieldConfig.forEach((entry, index) => {
				if (!isObject(entry)) throw bad('invalid.field.config', String(index));
				onlyKeys(entry, ['name', 'value', 'readOnly'], `fieldConfig[${index}].`);
				checkFieldName(entry.name, `fieldConfig[${index}].name`);
				if (entry.readOnly !== undefined && typeof entry.readOnly !== 'boolean')
					throw bad('invalid.field.config', `fieldConfig[${index}].readOnly`);
			});
			request.fieldConfig = body.fieldConfig;
		}
		if (body.ignoreRequired !== undefined) {
			if (
				!Array.isArray(body.ignoreRequired) ||
				!body.ignoreRequired.every((type) => FIELD_TYPES.includes(type))
			)
				throw bad('invalid.ignore.required', JSON.stringify(body.ignoreRequired));
			request.ignoreRequired = body.ignoreRequired;
		}
		if (body.fieldsBeforeSigning !== undefined) {
			if (!FIELDS_BEFORE_SIGNING.includes(body.fieldsBeforeSigning))
				throw bad('invalid.fields.before.signing', String(body.fieldsBeforeSigning));
			request.fieldsBeforeSigning = body.fieldsBeforeSigning;
		}
		request.rules = body.rules === undefined ? {} : parseRules(body.rules);
		if (store.available <= 0) throw fail(403, 'no.signature.requests.left', '0'); // inferred
		request.newDocument = newDocument;
		return request;
	}

	function readFiledata(filedata, { content }) {
		if (!isObject(filedata)) throw bad('invalid.filedata', '');
		onlyKeys(
			filedata,
			content ? ['filename', 'content', '$content', 'state'] : ['filename', 'state'],
			'filedata.',
		);
		const state = filedata.state ?? 'tosign';
		if (!INITIAL_STATES.includes(state)) throw bad('invalid.state', String(state));
		if (filedata.filename !== undefined && blank(filedata.filename))
			throw bad('invalid.filename', '');
		return { state, filename: filedata.filename };
	}

	return { onlyKeys, jsonBody, decodeFile, checkFile, parseRules, readRequest, readFiledata };
}
