// Documentolog emulator: what the service accepts (docs/vendor-apis.md › Documentolog): the
// create body, attachments, recipients, IIN/BIN check digits, with its validation errors.
import { HttpError } from '../frame.mjs';

/** The API key the sandbox accepts (placeholder, not a real key). */
export const DOCUMENTOLOG_KEY = 'example-documentolog-key';

export const EXTENSIONS = [
	'docx',
	'doc',
	'xlsx',
	'xls',
	'pptx',
	'ppt',
	'pdf',
	'rar',
	'zip',
	'rtf',
	'tiff',
	'jpeg',
	'jpg',
	'png',
	'gdoc',
];
export const METHODS = ['eds', 'egov-qr', 'adobe-sign', 'sms'];
export const FIELDS = [
	'aAttachments',
	'sSetWebhookUrl',
	'iSendToRecipient',
	'mRecipient',
	'mPhonesForSms',
	'iRecipientSignatureRequired',
	'mAvailableSignatureMethodsForRecipient',
	'mAvailableSignatureMethods',
	'sSender',
];
export const SMS_KEYS = ['enableBMG', 'phone', 'fio', 'iin', 'type'];
export const PHONE = /^\+\d \(\d{3}\) \d{3}-\d{2}-\d{2}$/;
export const EMAIL = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[A-Za-z]{2,}$/;
export const DAY = 24 * 3600_000;
/** "If the recipient closes without deciding, the link stays active for 30 days" (documented). */
export const LINK_VALIDITY_MS = 30 * DAY;
export const SCOPE = 'document-create|document-sign|document-show';

export const MIME = {
	pdf: 'application/pdf',
	doc: 'application/msword',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xls: 'application/vnd.ms-excel',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	zip: 'application/zip',
};

/**
 * IIN/BIN check digit, two passes (docs/vendor-apis.md › Documentolog › IIN, BIN and phone).
 * Written independently of the node's TypeScript.
 */
export function isValidKzId(id) {
	if (typeof id !== 'string' || !/^\d{12}$/.test(id)) return false;
	const d = [...id].map(Number);
	let c = d.slice(0, 11).reduce((s, x, i) => s + x * (i + 1), 0) % 11;
	if (c === 10) c = d.slice(0, 11).reduce((s, x, i) => s + x * (((i + 2) % 11) + 1), 0) % 11;
	return c !== 10 && c === d[11];
}

export const isUrl = (value) => {
	try {
		return ['http:', 'https:'].includes(new URL(value).protocol);
	} catch {
		return false;
	}
};
export const extensionOf = (name) => {
	const dot = name.lastIndexOf('.');
	return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};
export const lastSegment = (url) =>
	decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
export const dispositionName = (header) => {
	if (!header) return undefined;
	const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
	return match ? decodeURIComponent(match[1]) : undefined;
};
export const escapeHtml = (text) =>
	String(text).replace(
		/[&<>"']/g,
		(ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch],
	);
export const b64url = (value) => Buffer.from(value).toString('base64url');

/**
 * The checks of one emulator instance: `store` (state.mjs) gives the run-time configuration
 * (`POST /__config`) and numbers the attachments fetched.
 */
export function validators(ctx, store) {
	const invalid = (errors) =>
		new HttpError(400, { status: 0, message: 'Validation failed', errors });

	async function checkAttachments(list, errors) {
		const fail = (reason) => (errors.aAttachments ??= []).push(reason);
		if (!Array.isArray(list) || list.length === 0) {
			fail('This value should be a non-empty array of file links.');
			return [];
		}
		const attachments = [];
		for (const [index, url] of list.entries()) {
			if (typeof url !== 'string' || !isUrl(url)) {
				fail(`[${index}] must be an absolute http(s) URL.`);
				continue;
			}
			let name = lastSegment(url);
			let bytes;
			let contentType;
			if (store.config.fetchAttachments) {
				try {
					const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
					if (!response.ok) {
						fail(`[${index}] could not be downloaded (HTTP ${response.status}).`);
						continue;
					}
					bytes = Buffer.from(await response.arrayBuffer());
					contentType = response.headers.get('content-type') ?? undefined;
					// A link without an extension is judged by the file name it is served with (inferred).
					if (!extensionOf(name))
						name = dispositionName(response.headers.get('content-disposition')) ?? name;
				} catch (error) {
					fail(`[${index}] could not be downloaded (${error?.cause?.code ?? error?.name}).`);
					continue;
				}
			}
			if (!EXTENSIONS.includes(extensionOf(name))) {
				fail(`[${index}] has an unsupported file type; allowed: ${EXTENSIONS.join(', ')}.`);
				continue;
			}
			attachments.push({ url, name, bytes, contentType, fileId: store.nextFileId++ });
		}
		return attachments;
	}

	function checkRecipient(value) {
		if (typeof value !== 'string') return false;
		if (/^\d+$/.test(value)) return isValidKzId(value);
		if (value.includes('@')) return EMAIL.test(value);
		return PHONE.test(value);
	}

	async function validate(body) {
		if (!body || typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body))
			throw invalid({ body: ['The body must be a JSON object.'] });
		const errors = {};
		const add = (field, reason) => (errors[field] ??= []).push(reason);
		for (const key of Object.keys(body))
			if (!FIELDS.includes(key)) add(key, 'This field was not expected.');
		const attachments = await checkAttachments(body.aAttachments, errors);
		for (const field of ['iSendToRecipient', 'iRecipientSignatureRequired']) {
			if (body[field] !== 0 && body[field] !== 1) add(field, 'This value should be 0 or 1.');
		}
		if (!Array.isArray(body.mRecipient)) add('mRecipient', 'This value should be an array.');
		else {
			body.mRecipient.forEach((value, index) => {
				if (!checkRecipient(value))
					add('mRecipient', `[${index}] must be a valid IIN/BIN, e-mail or phone.`);
			});
			if (body.iSendToRecipient === 1 && body.mRecipient.length === 0 && !body.mPhonesForSms)
				add('mRecipient', 'At least one recipient is required when iSendToRecipient is 1.');
		}
		for (const field of ['mAvailableSignatureMethodsForRecipient', 'mAvailableSignatureMethods']) {
			const list = body[field];
			if (!Array.isArray(list)) add(field, 'This value should be an array.');
			else if (!list.every((method) => METHODS.includes(method)))
				add(field, `Allowed values: ${METHODS.join(', ')}.`);
		}
		if (!isValidKzId(body.sSender)) add('sSender', 'This value is not a valid IIN/BIN.');
		if (
			body.sSetWebhookUrl !== undefined &&
			(typeof body.sSetWebhookUrl !== 'string' || !isUrl(body.sSetWebhookUrl))
		)
			add('sSetWebhookUrl', 'This value is not a valid URL.');
		if (body.mPhonesForSms !== undefined) {
			if (!Array.isArray(body.mPhonesForSms))
				add('mPhonesForSms', 'This value should be an array.');
			else
				body.mPhonesForSms.forEach((entry, index) => {
					const label = `[${index}]`;
					if (!entry || typeof entry !== 'object' || Array.isArray(entry))
						return add('mPhonesForSms', `${label} must be an object.`);
					const keys = Object.keys(entry).sort();
					if (keys.join() !== [...SMS_KEYS].sort().join())
						add('mPhonesForSms', `${label} must have exactly the keys ${SMS_KEYS.join(', ')}.`);
					if (typeof entry.enableBMG !== 'boolean')
						add('mPhonesForSms', `${label}.enableBMG must be a boolean.`);
					if (typeof entry.phone !== 'string' || !PHONE.test(entry.phone))
						add('mPhonesForSms', `${label}.phone must look like +X (XXX) XXX-XX-XX.`);
					if (typeof entry.fio !== 'string' || entry.fio.trim() === '')
						add('mPhonesForSms', `${label}.fio must not be blank.`);
					if (entry.iin !== '' && !isValidKzId(entry.iin))
						add('mPhonesForSms', `${label}.iin must be empty or a valid IIN.`);
					if (entry.type !== 'sms') add('mPhonesForSms', `${label}.type must be "sms".`);
				});
		}
		if (Object.keys(errors).length) throw invalid(errors);
		return attachments;
	}

	return { invalid, validate };
}
