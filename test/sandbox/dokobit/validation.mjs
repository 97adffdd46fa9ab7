// Dokobit Documents Gateway emulator: what the Gateway accepts (docs/vendor-apis.md › Dokobit
// Documents Gateway): signing types, purposes, signers and files, with its error messages.
import { createHash } from 'node:crypto';
import { HttpError, normaliseLists } from '../frame.mjs';

export const DOKOBIT_TOKENS = {
	sandbox: 'example-dokobit-token',
	production: 'example-dokobit-prod-token',
};

export const SIGNING_TYPES = [
	'pdf',
	'pdflt',
	'asice',
	'adoc',
	'adoc.bedoc',
	'adoc.cedoc',
	'adoc.gedoc',
	'adoc.ggedoc',
	'mdoc',
	'mdoc.bedoc',
	'mdoc.cedoc',
	'mdoc.gedoc',
	'mdoc.ggedoc',
	'bdoc',
	'edoc',
];
export const PURPOSES = [
	'signature',
	'confirmation',
	'visa',
	'conciliation',
	'registration',
	'registration-of-incoming-documents',
	'acknowledgement',
	'notarisation',
	'copy-certification',
];
export const OPTIONS = ['mobile', 'smartid', 'stationary', 'eparaksts_mobile', 'audkenni_app'];
export const LANGUAGES = ['en', 'et', 'is', 'lt', 'lv', 'ru'];
export const SIGNER_KEYS = [
	'id',
	'name',
	'surname',
	'signing_purpose',
	'code',
	'phone',
	'country_code',
	'signing_options',
	'company',
	'country',
	'city',
	'postal_code',
	'position',
	'structural_subdivision',
	'pdf',
	'pdflt',
	'adoc',
	'mdoc',
	'email',
	'notifications_language',
];
export const CODE =
	/^((11412090004)|([3456][0-9]{2}(0[1-9]|1[0-2])\d{6})|([0-9]{2}(0[1-9]|1[0-2])[0-9]{2}[+\-A]\d{4}))$/;
export const PHONE = /^\+((3706\d{7})|(372\d{7,8})|(358(4[0-9]|467|50)\d{4,8}))$/;
export const DAY = 24 * 3600_000;
/** Documented postback retries: +5 min, +1 h, +24 h (support article 820). */
export const POSTBACK_RETRIES_MS = [5 * 60_000, 3600_000, DAY];

export const invalid = (...errors) =>
	new HttpError(400, { status: 'error', message: 'Data validation failed', errors, code: 10000 });
export const notExpected = (field) => invalid(`${field}: This field was not expected.`);
export const isUrl = (value) => {
	try {
		return ['http:', 'https:'].includes(new URL(value).protocol);
	} catch {
		return false;
	}
};
export const blank = (value) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
export const sha1 = (bytes) => createHash('sha1').update(bytes).digest('hex');

/** The checks of one emulator instance (strict mode is the frame's `ctx.strict`). */
export function validators(ctx) {
	const onlyKeys = (body, allowed, prefix = '') => {
		for (const key of Object.keys(body ?? {}))
			if (!allowed.includes(key)) throw notExpected(`${prefix}${key}`);
	};

	function validateSigner(signer, label) {
		if (!signer || typeof signer !== 'object' || Array.isArray(signer))
			throw invalid(`${label}: This value should be of type object.`);
		onlyKeys(signer, SIGNER_KEYS, `${label}[`);
		for (const key of ['id', 'name', 'surname'])
			if (blank(signer[key])) throw invalid(`${label}[${key}]: This value should not be blank.`);
		for (const [key, value] of Object.entries(signer))
			if (blank(value)) throw invalid(`${label}[${key}]: This value should not be blank.`);
		if (signer.signing_purpose === undefined)
			throw invalid(`${label}[signing_purpose]: This field is missing.`);
		if (!PURPOSES.includes(signer.signing_purpose))
			throw invalid(`${label}[signing_purpose]: The value you selected is not a valid choice.`);
		if (ctx.strict && signer.code !== undefined && !CODE.test(String(signer.code)))
			throw invalid(`${label}[code]: This value is not valid.`);
		if (ctx.strict && signer.phone !== undefined && !PHONE.test(String(signer.phone)))
			throw invalid(`${label}[phone]: This value is not valid.`);
		if (signer.signing_options !== undefined) {
			const list = normaliseLists(signer.signing_options);
			if (!Array.isArray(list) || !list.every((option) => OPTIONS.includes(option)))
				throw invalid(`${label}[signing_options]: One or more of the given values is invalid.`);
		}
	}

	function addSigners(signing, list) {
		const signers = normaliseLists(list);
		if (!Array.isArray(signers) || signers.length === 0)
			throw invalid('signers: This value should not be blank.');
		signers.forEach((signer, index) => validateSigner(signer, `signers[${index}]`));
		const ids = new Set(signing.signers.map((signer) => signer.id));
		for (const signer of signers) {
			if (ids.has(String(signer.id)))
				throw invalid(`signers: Signer with id "${signer.id}" already exists.`);
			ids.add(String(signer.id));
		}
		for (const signer of signers) {
			signing.signers.push({
				...signer,
				id: String(signer.id),
				token: ctx.id('st', 10),
				status: 'pending',
			});
		}
	}

	function decodeFile(file, label, { needContent }) {
		if (!file || typeof file !== 'object') throw invalid(`${label}: This field is missing.`);
		onlyKeys(file, ['name', 'digest', 'url', 'content', 'token'], `${label}[`);
		if (blank(file.name)) throw invalid(`${label}[name]: This value should not be blank.`);
		if (blank(file.digest) || !/^([0-9a-f]{64}|[0-9a-f]{40})$/i.test(file.digest))
			throw invalid(`${label}[digest]: This value is not valid.`);
		const hasUrl = !blank(file.url);
		const hasContent = !blank(file.content);
		if (hasUrl === hasContent || (needContent && !hasContent))
			throw invalid(`${label}: Exactly one of url or content must be given.`);
		if (hasUrl && !isUrl(file.url)) throw invalid(`${label}[url]: This value is not a valid URL.`);
		if (hasContent) {
			const text = String(file.content);
			if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0)
				throw invalid(`${label}[content]: This value is not valid base64.`);
			const bytes = Buffer.from(text, 'base64');
			if (![sha256(bytes), sha1(bytes)].includes(String(file.digest).toLowerCase()))
				throw invalid(`${label}[digest]: Digest does not match file content.`);
			return { bytes };
		}
		return { url: file.url };
	}

	return { onlyKeys, addSigners, decodeFile };
}
