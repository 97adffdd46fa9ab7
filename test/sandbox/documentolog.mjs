// Documentolog emulator, strict like we expect the real service to be (docs/vendor-apis.md ›
// Documentolog). Everything the vendor does not document is marked "inferred" (our assumption) or
// "undocumented" and is configurable, at start (`startDocumentolog(options)`) or at run time
// (`POST /__config`).
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { HttpError, startEmulator } from './frame.mjs';
import { samplePdf, signedVariant } from './pdf.mjs';

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
const METHODS = ['eds', 'egov-qr', 'adobe-sign', 'sms'];
const FIELDS = [
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
const SMS_KEYS = ['enableBMG', 'phone', 'fio', 'iin', 'type'];
const PHONE = /^\+\d \(\d{3}\) \d{3}-\d{2}-\d{2}$/;
const EMAIL = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[A-Za-z]{2,}$/;
const DAY = 24 * 3600_000;
/** "If the recipient closes without deciding, the link stays active for 30 days" (documented). */
export const LINK_VALIDITY_MS = 30 * DAY;
const SCOPE = 'document-create|document-sign|document-show';

const MIME = {
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

const isUrl = (value) => {
	try {
		return ['http:', 'https:'].includes(new URL(value).protocol);
	} catch {
		return false;
	}
};
const extensionOf = (name) => {
	const dot = name.lastIndexOf('.');
	return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};
const lastSegment = (url) => decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
const dispositionName = (header) => {
	if (!header) return undefined;
	const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
	return match ? decodeURIComponent(match[1]) : undefined;
};
const escapeHtml = (text) =>
	String(text).replace(
		/[&<>"']/g,
		(ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch],
	);
const b64url = (value) => Buffer.from(value).toString('base64url');

/** A ZIP archive with the files stored uncompressed (what download-many returns, inferred). */
export function zipStore(files) {
	const locals = [];
	const centrals = [];
	let offset = 0;
	for (const { name, data } of files) {
		const nameBytes = Buffer.from(name, 'utf8');
		const crc = crc32(data);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(0x0800, 6);
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(data.length, 18);
		local.writeUInt32LE(data.length, 22);
		local.writeUInt16LE(nameBytes.length, 26);
		locals.push(local, nameBytes, data);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(0x0800, 8);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(data.length, 20);
		central.writeUInt32LE(data.length, 24);
		central.writeUInt16LE(nameBytes.length, 28);
		central.writeUInt32LE(offset, 42);
		centrals.push(central, nameBytes);
		offset += 30 + nameBytes.length + data.length;
	}
	const directory = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(files.length, 8);
	end.writeUInt16LE(files.length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, directory, end]);
}

export const EZ_MARK = 'n8n-esign-sandbox: EDS container (Ez format)';

export function documentologEmulator(options = {}) {
	return (ctx) => {
		const keys = new Set(options.keys ?? [DOCUMENTOLOG_KEY]);
		const defaults = {
			// 'flat' (the Business guide, default) or 'wrapped' (the Open API guide: {content:{…}}, no
			// event, no doc_id).
			completionShape: options.completionShape ?? 'flat',
			// Download each attachment at create and refuse unreachable ones (optional; inferred).
			fetchAttachments: options.fetchAttachments ?? false,
			// Whether download links need the api-key header is undocumented; open by default, as in the
			// examples.
			requireApiKeyOnDownloads: options.requireApiKeyOnDownloads ?? false,
			// Webhook retries are undocumented; none by default.
			retryScheduleMs: options.retryScheduleMs ?? [],
			// The token TTL is undocumented; one hour here (inferred).
			tokenTtlMs: options.tokenTtlMs ?? 3600_000,
		};
		let config = { ...defaults };
		const jwtSecret = randomBytes(32);
		const docs = new Map();
		let nextNumber = 1234;
		let nextFileId = 4444;

		const invalid = (errors) =>
			new HttpError(400, { status: 0, message: 'Validation failed', errors });
		const requireKey = (req) => {
			const key = req.headers['api-key'];
			if (typeof key !== 'string' || !keys.has(key))
				throw new HttpError(401, { status: 0, message: 'Invalid api-key' });
		};

		function sign(payload) {
			const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
			const body = b64url(JSON.stringify(payload));
			const mac = createHmac('sha256', jwtSecret).update(`${head}.${body}`).digest('base64url');
			return `${head}.${body}.${mac}`;
		}

		/** The document of a valid, unexpired iframe token, or undefined. */
		function docOfToken(token) {
			if (typeof token !== 'string') return undefined;
			const [head, body, mac] = token.split('.');
			if (!head || !body || !mac) return undefined;
			const expected = createHmac('sha256', jwtSecret).update(`${head}.${body}`).digest();
			const given = Buffer.from(mac, 'base64url');
			if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
			let payload;
			try {
				payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
			} catch {
				return undefined;
			}
			if (typeof payload.exp !== 'number' || payload.exp * 1000 < ctx.now()) return undefined;
			return docs.get(payload.doc);
		}

		function newDocId() {
			let digits = '';
			while (digits.length < 24) digits += String(randomInt(0, 10));
			return `KZ${digits}`;
		}

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
				if (config.fetchAttachments) {
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
				attachments.push({ url, name, bytes, contentType, fileId: nextFileId++ });
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
			for (const field of [
				'mAvailableSignatureMethodsForRecipient',
				'mAvailableSignatureMethods',
			]) {
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

		// ----- lifecycle (docs/vendor-apis.md › Documentolog › States; names are the emulator's own)
		// --

		function emit(doc, payload) {
			doc.events.push(payload);
			if (doc.webhookUrl)
				ctx.deliver(doc.webhookUrl, payload, { retryScheduleMs: config.retryScheduleMs });
		}

		const link = (path) => `${ctx.baseUrl}${path}`;
		function completionPayload(doc) {
			const files = (kind) =>
				doc.attachments.map((file) => ({
					name: file.name,
					link:
						kind === 'plain'
							? link(`/external/media/download/${file.fileId}`)
							: link(`/external/media/${kind}/dcs_universal_type/${doc.number}/${file.fileId}`),
				}));
			const content = {
				document: link(`/external/document/view-document/dcs_universal_type/${doc.number}`),
				download_all_files: link(
					`/external/media/download-many?files=${doc.attachments.map((file) => file.fileId).join(',')}`,
				),
				download_files: files('plain'),
				download_files_with_eds: files('download-eds'),
				download_files_with_eds_ez: files('download-eds-ez'),
			};
			return config.completionShape === 'wrapped'
				? { content }
				: { event: 'document_completed', doc_id: doc.docId, ...content };
		}

		function complete(doc) {
			doc.state = 'completed';
			doc.completedAt = ctx.now();
			emit(doc, completionPayload(doc));
		}

		/** After the sender is done (signed, or had nothing to sign). */
		function afterSender(doc) {
			if (!doc.sendToRecipient) return complete(doc);
			doc.state = 'sent';
			doc.sentAt = ctx.now();
			emit(doc, { event: 'document_sent', doc_id: doc.docId });
			// View only: nobody has to sign, so the document is done once it is delivered (inferred).
			if (!doc.signatureRequired || doc.recipients.length === 0) complete(doc);
		}

		function senderSign(doc, signType) {
			if (doc.state !== 'created' || doc.senderSigned)
				throw new HttpError(409, { message: `Sender cannot sign: document is ${doc.state}` });
			doc.senderSigned = { signType, at: new Date(ctx.now()).toISOString() };
			afterSender(doc);
		}

		function recipientAct(doc, id, action, name) {
			const recipient = doc.recipients.find((r) => r.id === id);
			if (!recipient) throw new HttpError(404, { message: `No recipient ${id}` });
			if (!['sent', 'partially_signed'].includes(doc.state) || recipient.status !== 'pending')
				throw new HttpError(409, {
					message: `Recipient is ${recipient.status}, document is ${doc.state}`,
				});
			recipient.name = name ?? recipient.name ?? 'Sandbox Signer';
			const signer = { name: recipient.name, recipient: recipient.id };
			if (action === 'decline') {
				recipient.status = 'declined';
				doc.state = 'declined';
				emit(doc, { event: 'signer_declined', doc_id: doc.docId, signer });
				return;
			}
			recipient.status = 'signed';
			doc.state = 'partially_signed';
			emit(doc, { event: 'signer_signed', doc_id: doc.docId, signer });
			if (doc.recipients.every((r) => r.status === 'signed')) complete(doc);
		}

		function docOr404(id) {
			const doc = docs.get(id);
			if (!doc) throw new HttpError(404, { message: `No document ${id}` });
			return doc;
		}

		// ----- files --------------------------------------------------------------------------

		function originalBytes(file) {
			if (file.bytes) return file.bytes;
			return extensionOf(file.name) === 'pdf'
				? samplePdf(file.name.replace(/\.[^.]+$/, ''))
				: Buffer.from(`n8n-esign-sandbox original file ${file.name}\n`);
		}
		const signerNames = (doc) =>
			doc.recipients.filter((r) => r.status === 'signed').map((r) => r.name);
		const edsBytes = (doc, file) => signedVariant(originalBytes(file), signerNames(doc));
		const ezBytes = (doc, file) =>
			Buffer.from(`${EZ_MARK}\n${edsBytes(doc, file).toString('base64')}\n`);

		function fileOr404(req, number, fileId, { signed }) {
			if (config.requireApiKeyOnDownloads) requireKey(req);
			for (const doc of docs.values()) {
				if (number !== undefined && String(doc.number) !== number) continue;
				const file = doc.attachments.find((f) => String(f.fileId) === fileId);
				if (!file) continue;
				if (signed && doc.state !== 'completed')
					throw new HttpError(404, { status: 0, message: 'File not found' });
				return { doc, file };
			}
			throw new HttpError(404, { status: 0, message: 'File not found' });
		}
		const fileAnswer = (bytes, name, type) => ({
			body: bytes,
			headers: {
				'content-type': type,
				'content-disposition': `attachment; filename="${encodeURIComponent(name)}"`,
			},
		});

		// ----- pages ----------------------------------------------------------------------------

		function embeddedPage(doc, token) {
			const already = Boolean(doc.senderSigned) || doc.state !== 'created';
			const methods = doc.senderMethods.length ? doc.senderMethods : ['eds'];
			const buttons = methods
				.filter((m) => m === 'eds' || m === 'egov-qr')
				.map((m) => {
					// The page reports eGov QR as "egov_gr" (documented sample, probably a typo).
					const signType = m === 'eds' ? 'eds' : 'egov_gr';
					return `<button type="button" data-action="sign" data-sign-type="${signType}">Sign (${m === 'eds' ? 'EDS' : 'eGov QR'})</button>`;
				})
				.join(' ');
			const list = doc.attachments.map((f) => `<li>${escapeHtml(f.name)}</li>`).join('');
			const script = `
const params = new URLSearchParams(location.search);
const post = (message) => window.parent.postMessage(Object.assign({ isDocumentolog: true }, message), '*');
const status = document.getElementById('status');
${already ? "post({ type: 'already-signed', success: true }); status.textContent = 'Already signed';" : ''}
for (const button of document.querySelectorAll('button[data-action]')) {
	button.addEventListener('click', async () => {
		const action = button.dataset.action;
		if (action === 'close') return post({ type: 'user-close', success: false });
		if (action === 'decline') {
			status.textContent = 'Declined';
			return post({ type: 'sign', success: false, signType: null });
		}
		const signType = button.dataset.signType;
		const response = await fetch('/external/sign/embedded/sign?sParams=' + encodeURIComponent(params.get('sParams')), {
			method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signType }),
		});
		status.textContent = response.ok ? 'Signed' : 'Signing failed';
		post({ type: 'sign', success: response.ok, signType });
	});
}`;
			return `<!doctype html><html><head><meta charset="utf-8"><title>Documentolog signing</title></head><body>
<h1>Documents to sign</h1><ul id="documents">${list}</ul>
<p id="status">${already ? 'Already signed' : 'Waiting for your signature'}</p>
<div>${already ? '' : `${buttons} <button type="button" data-action="decline">Decline</button>`} <button type="button" data-action="close">Close</button></div>
<script>${script}</script>
</body></html>`;
		}

		const html = (status, body) => ({
			status,
			body,
			headers: { 'content-type': 'text/html; charset=utf-8' },
		});

		const summary = (doc) => ({
			docId: doc.docId,
			number: doc.number,
			state: doc.state,
			token: doc.token,
			webhookUrl: doc.webhookUrl ?? null,
			sendToRecipient: doc.sendToRecipient,
			signatureRequired: doc.signatureRequired,
			senderSigned: doc.senderSigned ?? null,
			senderMethods: doc.senderMethods,
			attachments: doc.attachments.map(({ url, name, fileId }) => ({ url, name, fileId })),
			recipients: doc.recipients,
			events: doc.events,
		});

		const routes = [
			[
				'POST',
				/^\/json\/external\/oauth\/token$/,
				async ({ req, body }) => {
					requireKey(req);
					const attachments = await validate(body);
					const docId = newDocId();
					const recipients = body.mRecipient.map((id) => ({ id, status: 'pending' }));
					for (const sms of body.mPhonesForSms ?? []) {
						const id = sms.iin || sms.phone;
						if (!recipients.some((r) => r.id === id))
							recipients.push({ id, status: 'pending', name: sms.fio, sms: true });
						else recipients.find((r) => r.id === id).name = sms.fio;
					}
					const doc = {
						docId,
						number: nextNumber++,
						createdAt: ctx.now(),
						state: 'created',
						attachments,
						sendToRecipient: body.iSendToRecipient === 1,
						signatureRequired: body.iRecipientSignatureRequired === 1,
						recipients: body.iSendToRecipient === 1 ? recipients : [],
						senderMethods: body.mAvailableSignatureMethods,
						recipientMethods: body.mAvailableSignatureMethodsForRecipient,
						sender: body.sSender,
						webhookUrl: body.sSetWebhookUrl,
						events: [],
					};
					doc.token = sign({
						doc: docId,
						scope: SCOPE,
						iat: Math.floor(ctx.now() / 1000),
						exp: Math.floor((ctx.now() + config.tokenTtlMs) / 1000),
					});
					docs.set(docId, doc);
					// No sender methods: nothing for the sender to sign, the document moves on at once
					// (inferred).
					if (doc.senderMethods.length === 0) ctx.later(0, () => afterSender(doc));
					return {
						json: {
							status: 1,
							data: { access_token: doc.token, scope: SCOPE, token_type: 'Bearer' },
						},
					};
				},
			],
			[
				'GET',
				/^\/external\/sign\/embedded$/,
				({ query }) => {
					const doc = docOfToken(query.sParams);
					if (!doc)
						return html(
							401,
							'<!doctype html><title>Unauthorized</title><p>The link is invalid or has expired.</p>',
						);
					return html(200, embeddedPage(doc, query.sParams));
				},
			],
			[
				'POST',
				/^\/external\/sign\/embedded\/sign$/,
				({ query, body }) => {
					const doc = docOfToken(query.sParams);
					if (!doc) throw new HttpError(401, { status: 0, message: 'Invalid token' });
					senderSign(doc, body?.signType ?? 'eds');
					return { json: { status: 1 } };
				},
			],
			[
				'GET',
				/^\/external\/document\/view-document\/dcs_universal_type\/(?<n>\d+)$/,
				({ params }) => {
					const doc = [...docs.values()].find((d) => String(d.number) === params.n);
					if (!doc) return html(404, '<!doctype html><p>Not found</p>');
					return html(
						200,
						`<!doctype html><title>${doc.docId}</title><h1>${doc.docId}</h1><p>${doc.state}</p>`,
					);
				},
			],
			[
				'GET',
				/^\/external\/media\/download\/(?<id>\d+)$/,
				({ req, params }) => {
					const { file } = fileOr404(req, undefined, params.id, { signed: false });
					return fileAnswer(
						originalBytes(file),
						file.name,
						file.contentType ?? MIME[extensionOf(file.name)] ?? 'application/octet-stream',
					);
				},
			],
			[
				'GET',
				/^\/external\/media\/download-eds\/dcs_universal_type\/(?<n>\d+)\/(?<id>\d+)$/,
				({ req, params }) => {
					const { doc, file } = fileOr404(req, params.n, params.id, { signed: true });
					return fileAnswer(
						edsBytes(doc, file),
						file.name,
						MIME[extensionOf(file.name)] ?? 'application/octet-stream',
					);
				},
			],
			[
				'GET',
				/^\/external\/media\/download-eds-ez\/dcs_universal_type\/(?<n>\d+)\/(?<id>\d+)$/,
				({ req, params }) => {
					const { doc, file } = fileOr404(req, params.n, params.id, { signed: true });
					// What "Ez format" is, is not documented: a distinct CMS-like container stub.
					return fileAnswer(ezBytes(doc, file), `${file.name}.cms`, 'application/pkcs7-signature');
				},
			],
			[
				'GET',
				/^\/external\/media\/download-many$/,
				({ req, query }) => {
					// The separator of several ids is undocumented; comma here.
					const ids = String(query.files ?? '')
						.split(',')
						.filter(Boolean);
					if (ids.length === 0) throw new HttpError(404, { status: 0, message: 'File not found' });
					const entries = ids.map((id) => {
						const { file } = fileOr404(req, undefined, id, { signed: false });
						return { name: file.name, data: originalBytes(file) };
					});
					return fileAnswer(zipStore(entries), 'documents.zip', 'application/zip');
				},
			],
			// The vendor's own test receiver (in the Open API guide's example).
			['POST', /^\/external\/test\/webhook$/, () => ({ json: { status: 1 } })],

			// ----- control API: act as the sender and the recipients -------------------------------
			[
				'POST',
				/^\/__docs\/(?<id>[^/]+)\/sender-sign$/,
				({ params, body }) => {
					const doc = docOr404(params.id);
					senderSign(doc, body?.signType ?? 'eds');
					return { json: { ok: true, state: doc.state } };
				},
			],
			[
				'POST',
				/^\/__docs\/(?<id>[^/]+)\/send$/,
				({ params }) => {
					const doc = docOr404(params.id);
					if (doc.state !== 'created')
						throw new HttpError(409, { message: `Document is ${doc.state}` });
					afterSender(doc);
					return { json: { ok: true, state: doc.state } };
				},
			],
			[
				'POST',
				/^\/__docs\/(?<id>[^/]+)\/recipients\/(?<recipient>[^/]+)\/(?<action>sign|decline)$/,
				({ params, body }) => {
					const doc = docOr404(params.id);
					recipientAct(doc, decodeURIComponent(params.recipient), params.action, body?.name);
					return { json: { ok: true, state: doc.state } };
				},
			],
			[
				'POST',
				/^\/__docs\/(?<id>[^/]+)\/redeliver$/,
				({ params, query }) => {
					const doc = docOr404(params.id);
					const wanted = query.event ?? 'document_completed';
					const payload = [...doc.events]
						.reverse()
						.find((p) => (p.event ?? (p.content ? 'document_completed' : undefined)) === wanted);
					if (!payload) throw new HttpError(404, { message: `No ${wanted} was sent` });
					emit(doc, payload);
					return { json: { ok: true } };
				},
			],
			['GET', /^\/__docs\/(?<id>[^/]+)$/, ({ params }) => ({ json: summary(docOr404(params.id)) })],
			[
				'GET',
				/^\/__docs$/,
				({ query }) => ({
					json: [...docs.values()]
						.filter((doc) => query.token === undefined || doc.token === query.token)
						.filter((doc) => {
							if (query.correlation === undefined) return true;
							if (!doc.webhookUrl) return false;
							return [...new URL(doc.webhookUrl).searchParams.values()].includes(query.correlation);
						})
						.map(summary),
				}),
			],
			[
				'POST',
				/^\/__config$/,
				({ body }) => {
					for (const key of Object.keys(body ?? {}))
						if (!(key in defaults)) throw new HttpError(400, { message: `Unknown setting ${key}` });
					config = { ...config, ...(body ?? {}) };
					return { json: config };
				},
			],
			['GET', /^\/__config$/, () => ({ json: config })],
			[
				'GET',
				/^\/__files\/(?<name>[^/]+)$/,
				({ params }) => {
					const name = decodeURIComponent(params.name);
					const extension = extensionOf(name);
					const bytes =
						extension === 'pdf'
							? samplePdf(name.replace(/\.[^.]+$/, ''))
							: Buffer.from(`n8n-esign-sandbox sample ${name}\n`);
					return {
						body: bytes,
						headers: { 'content-type': MIME[extension] ?? 'application/octet-stream' },
					};
				},
			],
		];

		return {
			routes,
			// The API keys accepted; the frame's `POST /__keys` rotates them.
			keys,
			inboxIntro:
				'Each document needs two presses here, as in Documentolog: first the sender signs (the sender signs before the document goes out), then each recipient signs or declines. The recipient buttons appear once the sender has signed.',
			inbox: () =>
				[...docs.values()].flatMap((doc) => {
					const title = `Document ${doc.number} from ${personLabel(doc.sender)}`;
					if (doc.state === 'created' && !doc.senderSigned) {
						return [
							{
								title,
								detail: '(step 1 of 2: the sender signs first)',
								links: [
									{
										label: 'Open the embedded signing page',
										href: `/external/sign/embedded?sParams=${encodeURIComponent(doc.token)}`,
									},
								],
								actions: [
									{
										label: `Sign as sender ${personLabel(doc.sender)}`,
										path: `/__docs/${doc.docId}/sender-sign`,
									},
								],
							},
						];
					}
					if (!['sent', 'partially_signed'].includes(doc.state)) return [];
					const pending = doc.recipients.filter((recipient) => recipient.status === 'pending');
					const signed = doc.recipients
						.filter((recipient) => recipient.status === 'signed')
						.map((recipient) => `${personLabel(recipient.id, recipient.name)} ✓`);
					return [
						{
							title,
							detail: `(step 2 of 2: the sender signed ✓, now the recipients${signed.length ? `; signed: ${signed.join(', ')}` : ''})`,
							actions: pending.flatMap((recipient) => {
								// The person the button names is the one who signs (and whom the webhook names).
								const name = recipient.name ?? PEOPLE[recipient.id];
								const fields = name ? { name } : {};
								return ['sign', 'decline'].map((action) => ({
									label: `${action === 'sign' ? 'Sign' : 'Decline'} as recipient ${personLabel(recipient.id, name)}`,
									path: `/__docs/${doc.docId}/recipients/${encodeURIComponent(recipient.id)}/${action}`,
									fields,
								}));
							}),
						},
					];
				}),
			finished: () =>
				[...docs.values()]
					.filter((doc) => ['completed', 'declined', 'expired'].includes(doc.state))
					.reverse()
					.slice(0, 10)
					.map((doc) => {
						const decliner = doc.recipients.find((recipient) => recipient.status === 'declined');
						return {
							title: `Document ${doc.number} from ${personLabel(doc.sender)}`,
							detail: `(${doc.docId})`,
							outcome:
								doc.state === 'completed'
									? 'signed by everyone (completed)'
									: doc.state === 'declined'
										? `declined by ${personLabel(decliner?.id, decliner?.name)}`
										: 'expired unsigned',
							ok: doc.state === 'completed',
						};
					}),
			notFoundBody: { status: 0, message: 'Not found' },
			/**
			 * 30 days without a decision: the link goes inactive, with no webhook (30 days documented; no
			 * webhook inferred).
			 */
			onClock() {
				for (const doc of docs.values()) {
					if (
						['sent', 'partially_signed'].includes(doc.state) &&
						ctx.now() - doc.sentAt >= LINK_VALIDITY_MS
					)
						doc.state = 'expired';
				}
			},
			reset() {
				docs.clear();
				config = { ...defaults };
			},
		};
	};
}

/**
 * Names for the IINs/BINs the examples and tests use, so the sandbox page's buttons name a
 * person or company. Made up; the 7th IIN digit gives the century and gender (3 = man born in the
 * 1900s, 6 = woman born in the 2000s).
 */
const PEOPLE = {
	900101300017: 'Daniyar Seitkaliyev',
	900101300811: 'Arman Zhaksylykov',
	'061211600012': 'Aigerim Nurlanovna',
	'040740000001': 'TOO Dala Logistics',
	'040740000200': 'TOO Steppe Trade',
};

/**
 * "Aigerim Nurlanovna (IIN 061211600012)" for an IIN/BIN, the name given at signing if any;
 * e-mail addresses and phone numbers (also valid recipients) are shown as they are.
 */
function personLabel(id, name) {
	if (!id) return name ?? 'unknown';
	const text = String(id);
	if (!/^\d{12}$/.test(text)) return name ? `${name} (${text})` : text;
	// BINs carry 4, 5 or 6 in the 5th digit (the entity type); in an IIN it starts the birth day.
	const kind = '456'.includes(text[4]) ? 'BIN' : 'IIN';
	const who = name ?? PEOPLE[text];
	return who ? `${who} (${kind} ${text})` : `${kind} ${text}`;
}

export async function startDocumentolog(options = {}) {
	return await startEmulator({
		name: 'documentolog',
		port: options.port,
		timeScale: options.timeScale ?? 1,
		strict: options.strict ?? true,
		setup: documentologEmulator(options),
	});
}
