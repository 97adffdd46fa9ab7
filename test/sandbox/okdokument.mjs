// OKdokument emulator, strict like the real service (docs/vendor-apis.md › OKdokument). Where the
// API is undocumented the choice is marked "inferred" and can be changed through the options of
// okDokumentEmulator.
import { randomBytes, randomUUID } from 'node:crypto';
import { HttpError, startEmulator } from './frame.mjs';
import { samplePdf, signedVariant, withPdfSignature } from './pdf.mjs';

/** The API key the sandbox accepts. */
export const OKDOKUMENT_API_KEY = 'example-okdokument-key';
/** A key that authenticates but lacks permissions: every /JSON call answers 403. */
export const OKDOKUMENT_RESTRICTED_KEY = 'example-okdokument-restricted-key';

const DAY = 24 * 3600_000;
export const MAX_FILE_BYTES = 10 * 1024 * 1024; // inferred: "10 MB" read as MiB, as the node does
const MAX_EXPIRATION_MS = 10 * DAY;
const DEFAULT_EXPIRATION_MS = DAY;
const STATES = ['tags', 'tostamp', 'tosign', 'signed', 'canceled', 'errorsendinfo'];
const INITIAL_STATES = ['tosign', 'tags', 'tostamp'];
const FIELD_TYPES = ['TEXT', 'CHECKBOX', 'SIGNATURE', 'RADIO', 'COMBOBOX'];
const FIELDS_BEFORE_SIGNING = ['flatten', 'readOnly', 'keep'];
const LANGUAGES = ['sk', 'cs', 'en', 'ro', 'uk', 'pl', 'pt', 'hu'];
const SIGNATURE_REQUEST_KEYS = [
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
const REQUEST_ONLY_KEYS = SIGNATURE_REQUEST_KEYS.filter(
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
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** The vendor's error shape: `{"message":"err.<key>","value":…}`. */
const fail = (status, key, value = '') => new HttpError(status, { message: `err.${key}`, value });
const bad = (key, value) => fail(400, key, value);
const blank = (value) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
const isUrl = (value) => {
	try {
		return ['http:', 'https:'].includes(new URL(value).protocol);
	} catch {
		return false;
	}
};
const isObject = (value) =>
	typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

/** `YYYY-MM-DD HH:mm:ss`. The service writes local time without a zone; the sandbox writes UTC. */
const modification = (ms) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/** A small DOCX stand-in: the ZIP signature the node and this emulator check, and some text. */
export function sampleDocx() {
	return Buffer.concat([ZIP, Buffer.from('word/document.xml sandbox contract')]);
}

export function okDokumentEmulator(options = {}) {
	const keys = new Set(options.apiKeys ?? [OKDOKUMENT_API_KEY]);
	const restricted = new Set(options.restrictedKeys ?? [OKDOKUMENT_RESTRICTED_KEY]);
	const signedRetentionMs = options.signedRetentionMs ?? 10 * DAY;
	// Inferred: wiki 30 days; the connector README says 60.
	const unsignedRetentionMs = options.unsignedRetentionMs ?? 30 * DAY;
	const tagsDelayMs = options.tagsDelayMs ?? 2000;
	// No retry is documented; failure only turns the document into `errorsendinfo`.
	const sendInfoRetriesMs = options.sendInfoRetriesMs ?? [];
	const sendInfoTimeoutMs = options.sendInfoTimeoutMs ?? 10_000;
	const sendInfoCopies = options.sendInfoCopies ?? 1;
	const initialRequests = options.availableSignatureRequests ?? 1000;

	return (ctx) => {
		const documents = new Map();
		const requests = new Map();
		const counters = { storedFiles: 0, deleted: 0, used: 0, downloaded: 0 };
		let available = initialRequests;
		let number = 0;

		// The frame records each delivery attempt; watching the records tells whether sendInfo got
		// its 200, which decides `errorsendinfo`.
		const watchers = new WeakMap();
		const push = ctx.deliveries.push.bind(ctx.deliveries);
		ctx.deliveries.push = (...records) => {
			for (const record of records) {
				const onDone = watchers.get(record.body);
				if (!onDone) continue;
				let ok;
				Object.defineProperty(record, 'ok', {
					enumerable: true,
					configurable: true,
					get: () => ok,
					set: (value) => {
						ok = value;
						onDone(record);
					},
				});
			}
			return push(...records);
		};

		const auth = (req) => {
			const key = req.headers['x-api-key'];
			if (typeof key === 'string' && restricted.has(key)) throw fail(403, 'forbidden');
			if (typeof key !== 'string' || !keys.has(key)) throw fail(401, 'unauthorized');
		};
		const onlyKeys = (body, allowed, prefix = '') => {
			if (!ctx.strict) return;
			for (const key of Object.keys(body ?? {}))
				if (!allowed.includes(key)) throw bad('unknown.field', `${prefix}${key}`);
		};
		const jsonBody = (body) => {
			if (!isObject(body)) throw bad('invalid.request', 'expected a JSON object');
			return body;
		};

		function expireByRetention() {
			const now = ctx.now();
			for (const doc of documents.values()) {
				if (doc.deleted) continue;
				const age = doc.signedAt !== undefined ? now - doc.signedAt : now - doc.createdAt;
				const limit = doc.signedAt !== undefined ? signedRetentionMs : unsignedRetentionMs;
				if (age >= limit) {
					doc.deleted = true;
					doc.deletedBy = 'retention';
				}
			}
		}
		const docOr404 = (id) => {
			expireByRetention();
			const doc = documents.get(id);
			if (!doc || doc.deleted) throw fail(404, 'not.found', id);
			return doc;
		};
		const touch = (doc, state) => {
			doc.state = state;
			doc.modifiedAt = ctx.now();
		};
		const metadata = (doc) => ({
			filename: doc.filename,
			state: doc.state,
			modification: modification(doc.modifiedAt),
			id: doc.id,
			date: doc.createdAt,
			number: doc.number,
		});

		/** Decodes `content` (or `$content`): strict base64, at most 10 MB, PDF or a convertible file. */
		function decodeFile(content, filename, label) {
			if (typeof content !== 'string' || content.length === 0) throw bad('file.missing', label);
			if (content.length % 4 !== 0 || !BASE64.test(content))
				throw bad('file.invalid.base64', label);
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
				if (
					['string', 'email', 'emails', 'phone', 'url', 'language', 'signerName'].includes(type)
				) {
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
				if (requests.has(id)) throw fail(409, 'signature.request.id.exists', id);
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
			if (available <= 0) throw fail(403, 'no.signature.requests.left', '0'); // inferred
			request.newDocument = newDocument;
			return request;
		}

		function storeDocument({ bytes, original, filename, state }) {
			const now = ctx.now();
			const id = randomBytes(30).toString('base64url').slice(0, 39);
			const doc = {
				id,
				filename: filename || `${randomUUID()}.pdf`,
				bytes,
				original,
				state,
				createdAt: now,
				modifiedAt: now,
				number: String(now + ++number),
				group: 'api_user',
				rounds: 0,
			};
			documents.set(id, doc);
			counters.storedFiles++;
			if (state === 'tags' || state === 'tostamp') {
				// The service inserts signature fields (tags) or its stamp, then the document is ready.
				ctx.later(tagsDelayMs, () => {
					if (!doc.deleted && doc.state === state) touch(doc, 'tosign');
				});
			}
			return doc;
		}

		function openRequest(doc, request) {
			const id = request.id ?? randomUUID();
			const entry = {
				id,
				documentId: doc.id,
				state: 'open',
				createdAt: ctx.now(),
				expiresAt: request.expiresAt,
				sendInfoURL: request.sendInfoURL,
				resulturl: request.resulturl,
				rules: request.rules,
				allowedFields: request.allowedFields,
				fieldConfig: request.fieldConfig,
				ignoreRequired: request.ignoreRequired,
				fieldsBeforeSigning: request.fieldsBeforeSigning,
				round: ++doc.rounds,
			};
			requests.set(id, entry);
			available--;
			counters.used++;
			return entry;
		}

		const created = (entry) => ({
			message: 'msg.signature.request.id.created',
			result: entry.id,
			url: `${ctx.baseUrl}/openDocument/${entry.id}`,
			documentId: entry.documentId,
		});

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

		const usable = (entry) => {
			if (!entry || entry.state !== 'open') return false;
			const doc = documents.get(entry.documentId);
			expireByRetention();
			return ctx.now() < entry.expiresAt && doc && !doc.deleted && doc.state === 'tosign';
		};

		function resultUrl(entry, doc, result) {
			const target = new URL(entry.resulturl ?? `${ctx.baseUrl}/thankYouPage.html`);
			target.searchParams.set('name', doc.filename.replace(/\.[^.]+$/, ''));
			target.searchParams.set('docid', doc.id);
			target.searchParams.set('lang', entry.rules?.lang ?? entry.rules?.language ?? 'en');
			target.searchParams.set('result', result);
			target.searchParams.set('ts', String(ctx.now()));
			return target.toString();
		}

		function sendInfo(entry, doc, state) {
			if (!entry.sendInfoURL) return;
			entry.callback = { attempts: 0 };
			for (let copy = 0; copy < sendInfoCopies; copy++) {
				// Exactly the documented body; no authentication of any kind.
				const payload = { state, id: doc.id, signatureRequestId: entry.id };
				watchers.set(payload, (record) => {
					entry.callback.attempts++;
					entry.callback.lastStatus = record.status;
					entry.callback.ok = record.ok;
					if (record.ok) {
						if (doc.state === 'errorsendinfo' && doc.outcomeOf === entry.id) touch(doc, state);
					} else if (doc.state === state && doc.outcomeOf === entry.id) {
						touch(doc, 'errorsendinfo');
					}
				});
				ctx.deliver(entry.sendInfoURL, payload, {
					retryScheduleMs: sendInfoRetriesMs,
					timeoutMs: sendInfoTimeoutMs,
				});
			}
		}

		/** The signer presses Submit (or finishes on a phone) or Cancel. */
		function finish(entry, action, signerName) {
			const doc = documents.get(entry.documentId);
			const state = action === 'cancel' ? 'canceled' : 'signed';
			entry.state = action === 'cancel' ? 'canceled' : 'submitted';
			entry.finishedAt = ctx.now();
			doc.outcomeOf = entry.id;
			doc.lastOutcome = state;
			if (state === 'signed') {
				// Inferred: the signed PDF carries a PDF signature (signature dictionary with /ByteRange),
				// one per submitted round; a cancel leaves the file as it was. This is what tells the two
				// apart once the state shows only `errorsendinfo`.
				const signer = signerName ?? entry.rules?.guiSignerName ?? `round ${entry.round} signer`;
				doc.bytes = withPdfSignature(signedVariant(doc.bytes, [signer]), {
					signer,
					signedAt: ctx.now(),
				});
				doc.signedAt = ctx.now();
			}
			touch(doc, state);
			sendInfo(entry, doc, state);
			return resultUrl(
				entry,
				doc,
				{ submit: 'success', mobile: 'mobile', cancel: 'close' }[action],
			);
		}

		const html = (body, status = 200) => ({
			status,
			body: `<!doctype html><meta charset="utf-8">${body}`,
			headers: { 'content-type': 'text/html; charset=utf-8' },
		});

		const routes = [
			// POST /JSON/signatureRequest
			[
				'POST',
				/^\/JSON\/signatureRequest$/,
				({ req, body }) => {
					auth(req);
					const data = jsonBody(body);
					onlyKeys(data, SIGNATURE_REQUEST_KEYS);
					const hasFile = data.filedata !== undefined;
					const hasId = data.id !== undefined;
					if (hasFile === hasId) throw bad('invalid.request', 'exactly one of filedata or id');
					let doc;
					let file;
					let fileMeta;
					if (hasFile) {
						fileMeta = readFiledata(data.filedata, { content: true });
						if (data.changeState !== undefined) throw bad('invalid.change.state', 'new document');
						file = decodeFile(
							data.filedata.content ?? data.filedata.$content,
							fileMeta.filename,
							'filedata.content',
						);
					} else {
						if (typeof data.id !== 'string') throw bad('invalid.id', String(data.id));
						doc = docOr404(data.id);
						if (data.changeState !== undefined) {
							// Inferred: a signed document whose callback failed may start its next round too.
							const signed =
								doc.state === 'signed' ||
								(doc.state === 'errorsendinfo' && doc.lastOutcome === 'signed');
							if (data.changeState !== 'tosign' || !signed)
								throw bad('invalid.change.state', `${doc.state} -> ${data.changeState}`);
						} else if (doc.state !== 'tosign') {
							throw bad('invalid.document.state', doc.state);
						}
					}
					const request = readRequest(data, { newDocument: hasFile });
					if (hasFile) doc = storeDocument({ ...file, ...fileMeta });
					else if (data.changeState) touch(doc, 'tosign');
					return { json: created(openRequest(doc, request)) };
				},
			],
			// PATCH /JSON/signatureRequest (the table spells sendInfoUrl, the example sendInfoURL: both
			// accepted)
			[
				'PATCH',
				/^\/JSON\/signatureRequest$/,
				({ req, body }) => {
					auth(req);
					const data = jsonBody(body);
					onlyKeys(data, ['signatureRequestId', 'sendInfoURL', 'sendInfoUrl', 'resulturl']);
					const entry = requests.get(data.signatureRequestId);
					if (!entry || entry.state === 'deleted')
						throw bad('signature.request.not.found', String(data.signatureRequestId ?? ''));
					const callback = data.sendInfoURL ?? data.sendInfoUrl;
					if (callback !== undefined && !isUrl(callback)) throw bad('invalid.url', 'sendInfoURL');
					if (data.resulturl !== undefined && !isUrl(data.resulturl))
						throw bad('invalid.url', 'resulturl');
					if (callback !== undefined) entry.sendInfoURL = callback;
					if (data.resulturl !== undefined) entry.resulturl = data.resulturl;
					return {
						json: { message: 'msg.updated', result: entry.id, url: `${ctx.baseUrl}/${entry.id}` },
					};
				},
			],
			// DELETE /JSON/signatureRequest/{id}
			[
				'DELETE',
				/^\/JSON\/signatureRequest\/(?<id>[^/]+)$/,
				({ req, params }) => {
					auth(req);
					const id = decodeURIComponent(params.id);
					const entry = requests.get(id);
					if (!entry || entry.state === 'deleted') throw bad('signature.request.not.found', id);
					entry.state = 'deleted';
					return { json: { message: 'msg.deleted', result: id } };
				},
			],
			// POST /JSON/signatureRequest/{id} (partner connector; the node uses PATCH)
			[
				'POST',
				/^\/JSON\/signatureRequest\/(?<id>[^/]+)$/,
				({ req, params, body }) => {
					auth(req);
					const data = jsonBody(body);
					onlyKeys(data, ['sendInfoURL']);
					const id = decodeURIComponent(params.id);
					const entry = requests.get(id);
					if (!entry || entry.state === 'deleted') throw bad('signature.request.not.found', id);
					if (!isUrl(data.sendInfoURL)) throw bad('invalid.url', 'sendInfoURL');
					entry.sendInfoURL = data.sendInfoURL;
					return { json: { message: 'msg.updated', result: id } };
				},
			],
			// POST /JSON/document: storage only, JSON. Answer in the connector's shape.
			[
				'POST',
				/^\/JSON\/document$/,
				({ req, body }) => {
					auth(req);
					const data = jsonBody(body);
					onlyKeys(data, ['filename', 'state', 'file']);
					if (!isObject(data.file)) throw bad('file.missing', 'file');
					onlyKeys(data.file, ['content', '$content'], 'file.');
					const state = data.state ?? 'tosign';
					if (!['tosign', 'tags', 'tostamp'].includes(state)) throw bad('invalid.state', state);
					const file = decodeFile(data.file.content ?? data.file.$content, data.filename, 'file');
					const doc = storeDocument({ ...file, filename: data.filename, state });
					return {
						json: {
							code: 'SUCCESS',
							message: 'msg.document.created',
							result: doc.id,
							statusCode: 200,
							success: true,
						},
					};
				},
			],
			// POST /JSON/upload: multipart `dataText` | `data` + `file`.
			[
				'POST',
				/^\/JSON\/upload$/,
				({ req, body }) => {
					auth(req);
					if (!String(req.headers['content-type'] ?? '').startsWith('multipart/form-data'))
						throw bad('invalid.request', 'multipart/form-data expected');
					const { __files: files = {}, ...fields } = body ?? {};
					onlyKeys(fields, ['dataText']);
					onlyKeys(files, ['file', 'data']);
					if (!files.file) throw bad('file.missing', 'file');
					if ((fields.dataText === undefined) === (files.data === undefined))
						throw bad('invalid.request', 'exactly one of dataText or data');
					let metadata;
					try {
						metadata = JSON.parse(fields.dataText ?? files.data.data.toString('utf8'));
					} catch {
						throw bad('invalid.metadata', 'not JSON');
					}
					if (!isObject(metadata)) throw bad('invalid.metadata', 'not an object');
					onlyKeys(
						metadata,
						SIGNATURE_REQUEST_KEYS.filter((key) => !['id', 'changeState'].includes(key)),
					);
					const fileMeta =
						metadata.filedata === undefined
							? { state: 'tosign' }
							: readFiledata(metadata.filedata, { content: false });
					const filename = fileMeta.filename ?? files.file.filename;
					const file = checkFile(files.file.data, filename);
					if (metadata.signatureRequestId === 'off') {
						for (const key of REQUEST_ONLY_KEYS)
							if (metadata[key] !== undefined) throw bad('unexpected.field', key);
						const doc = storeDocument({ ...file, filename, state: fileMeta.state });
						// Inferred: the upload answer is undocumented; a storage-only upload names the
						// document.
						return {
							json: { message: 'msg.document.created', result: doc.id, documentId: doc.id },
						};
					}
					const request = readRequest(metadata, { newDocument: true });
					const doc = storeDocument({ ...file, filename, state: fileMeta.state });
					return { json: created(openRequest(doc, request)) };
				},
			],
			// GET /openDocument/{id}: the signer's link. No authentication.
			[
				'GET',
				/^\/openDocument\/(?<id>[^/]+)$/,
				({ params }) => {
					const id = decodeURIComponent(params.id);
					const entry = requests.get(id);
					if (!usable(entry)) throw bad('invalid.signature.request', id);
					entry.opened = true;
					return {
						status: 302,
						headers: { location: `${ctx.baseUrl}/viewDocument?id=${entry.documentId}` },
					};
				},
			],
			[
				'GET',
				/^\/viewDocument$/,
				({ query }) => {
					const entry = [...requests.values()].find(
						(candidate) => candidate.documentId === query.id && usable(candidate),
					);
					if (!entry) return html('<p>This document cannot be signed now.</p>', 400);
					const doc = documents.get(entry.documentId);
					const action = (name, label) =>
						`<form method="post" action="/__signature-requests/${entry.id}/${name}?redirect=1"><button>${label}</button></form>`;
					return html(
						`<title>${doc.filename}</title><h1>${doc.filename}</h1>${action('submit', 'Submit')}${action('cancel', 'Cancel')}`,
					);
				},
			],
			['GET', /^\/thankYouPage\.html$/, () => html('<p>Thank you.</p>')],
			// GET /JSON/document/metadata/{id} (before GET /JSON/document/{id}: more specific path)
			[
				'GET',
				/^\/JSON\/document\/metadata\/(?<id>[^/]+)$/,
				({ req, params, query }) => {
					auth(req);
					onlyKeys(query, []);
					return { json: metadata(docOr404(decodeURIComponent(params.id))) };
				},
			],
			// GET /JSON/document/{id}: PDF bytes (the signed variant once signed, also when the state
			// shows `errorsendinfo`; Office files converted). No file name header is documented, so none
			// is sent.
			[
				'GET',
				/^\/JSON\/document\/(?<id>[^/]+)$/,
				({ req, params, query }) => {
					auth(req);
					onlyKeys(query, []);
					const doc = docOr404(decodeURIComponent(params.id));
					counters.downloaded++;
					return { body: doc.bytes, headers: { 'content-type': 'application/pdf' } };
				},
			],
			// DELETE /JSON/document/{id}
			[
				'DELETE',
				/^\/JSON\/document\/(?<id>[^/]+)$/,
				({ req, params }) => {
					auth(req);
					const id = decodeURIComponent(params.id);
					expireByRetention();
					const doc = documents.get(id);
					if (!doc || doc.deleted)
						throw new HttpError(404, {
							code: 'NOT_FOUND',
							message: 'err.not.found',
							result: id,
							statusCode: 404,
							success: false,
						});
					doc.deleted = true;
					doc.deletedBy = 'api';
					counters.deleted++;
					return {
						json: {
							code: 'SUCCESS',
							message: 'msg.deleted',
							result: id,
							statusCode: 200,
							success: true,
						},
					};
				},
			],
			// GET /JSON/list/flat
			[
				'GET',
				/^\/JSON\/list\/flat$/,
				({ req, query }) => {
					auth(req);
					onlyKeys(query, ['state']);
					const state = query.state;
					if (state !== '*' && !STATES.includes(state)) throw bad('invalid.state', state ?? '');
					expireByRetention();
					return {
						json: [...documents.values()]
							.filter((doc) => !doc.deleted && (state === '*' || doc.state === state))
							.map((doc) => ({
								...metadata(doc),
								url: `${ctx.baseUrl}/rest/document/${doc.id}`,
								group: doc.group,
							})),
					};
				},
			],
			// GET /JSON/counter: every value a string.
			[
				'GET',
				/^\/JSON\/counter$/,
				({ req }) => {
					auth(req);
					const month = (() => {
						const now = new Date(ctx.now());
						return `${now.getUTCFullYear()}.${now.getUTCMonth() + 1}.sandbox`;
					})();
					return {
						json: {
							actual: {
								'sandbox.storedFiles': String(counters.storedFiles),
								'sandbox.deleted.f': String(counters.deleted),
								'sandbox.usedSignatureRequests': String(counters.used),
								'sandbox.downloaded': String(counters.downloaded),
								'sandbox.availableSignatureRequests': String(available),
							},
							downloaded: { [month]: String(counters.downloaded) },
							files: { [month]: String(counters.storedFiles) },
							'deleted.f': { [month]: String(counters.deleted) },
							signatureRequests: { [month]: String(counters.used) },
						},
					};
				},
			],
			// Control API: act as the signer. `__requests` belongs to the frame's request log.
			[
				'POST',
				/^\/__signature-requests\/(?<id>[^/]+)\/(?<action>submit|cancel|mobile)$/,
				({ params, body, query }) => {
					const entry = requests.get(decodeURIComponent(params.id));
					if (!entry) throw new HttpError(404, { message: 'No such signature request' });
					if (!usable(entry)) {
						const doc = documents.get(entry.documentId);
						throw new HttpError(409, {
							message: `Request is ${entry.state}${ctx.now() >= entry.expiresAt ? ' (expired)' : ''}, document is ${doc?.deleted ? 'deleted' : doc?.state}`,
						});
					}
					const redirect = finish(
						entry,
						params.action,
						isObject(body) ? body.signerName : undefined,
					);
					if (query.redirect) return { status: 302, headers: { location: redirect } };
					const doc = documents.get(entry.documentId);
					return {
						json: {
							ok: true,
							state: doc.state,
							documentId: doc.id,
							signatureRequestId: entry.id,
							redirect,
							callback: entry.sendInfoURL ?? null,
						},
					};
				},
			],
			[
				'GET',
				/^\/__signature-requests\/(?<id>[^/]+)$/,
				({ params }) => {
					const entry = requests.get(decodeURIComponent(params.id));
					if (!entry) throw new HttpError(404, { message: 'No such signature request' });
					return { json: { ...entry, documentState: documents.get(entry.documentId)?.state } };
				},
			],
			[
				'GET',
				/^\/__signature-requests$/,
				() => ({
					json: [...requests.values()].map((entry) => ({
						id: entry.id,
						documentId: entry.documentId,
						state: entry.state,
						round: entry.round,
						sendInfoURL: entry.sendInfoURL,
						resulturl: entry.resulturl,
						expiresAt: entry.expiresAt,
						rules: entry.rules,
						callback: entry.callback,
					})),
				}),
			],
			[
				'GET',
				/^\/__documents$/,
				() => {
					expireByRetention();
					return {
						json: [...documents.values()].map((doc) => ({
							...metadata(doc),
							deleted: doc.deleted === true,
							deletedBy: doc.deletedBy,
							bytes: doc.bytes.length,
							converted: doc.original !== undefined,
							rounds: doc.rounds,
						})),
					};
				},
			],
			[
				'GET',
				/^\/__files\/sample\.pdf$/,
				() => ({ body: samplePdf(), headers: { 'content-type': 'application/pdf' } }),
			],
			[
				'GET',
				/^\/__files\/sample\.docx$/,
				() => ({
					body: sampleDocx(),
					headers: {
						'content-type':
							'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
					},
				}),
			],
		];

		return {
			routes,
			// The API keys accepted; the frame's `POST /__keys` rotates them.
			keys,
			inbox: () =>
				[...requests.values()].filter(usable).map((entry) => ({
					title: documents.get(entry.documentId).filename,
					detail: `(signature request ${entry.id})`,
					links: [
						{
							label: 'Open the signer page',
							href: `/openDocument/${encodeURIComponent(entry.id)}`,
						},
					],
					actions: ['submit', 'cancel'].map((action) => ({
						label: action === 'submit' ? 'Sign (Submit)' : 'Cancel',
						path: `/__signature-requests/${encodeURIComponent(entry.id)}/${action}`,
					})),
				})),
			finished: () =>
				[...requests.values()]
					.filter((entry) => entry.state === 'submitted' || entry.state === 'canceled')
					.sort((a, b) => b.finishedAt - a.finishedAt)
					.slice(0, 10)
					.map((entry) => ({
						title: documents.get(entry.documentId)?.filename ?? entry.documentId,
						detail: `(signature request ${entry.id})`,
						outcome: entry.state === 'submitted' ? 'signed' : 'canceled by the signer',
						ok: entry.state === 'submitted',
					})),
			notFoundBody: { message: 'err.not.found', value: '' },
			onClock: expireByRetention,
			reset() {
				documents.clear();
				requests.clear();
				Object.assign(counters, { storedFiles: 0, deleted: 0, used: 0, downloaded: 0 });
				available = initialRequests;
			},
		};
	};
}

export async function startOkDokument(options = {}) {
	return await startEmulator({
		name: 'okdokument',
		port: options.port,
		timeScale: options.timeScale ?? 1,
		strict: options.strict ?? true,
		setup: okDokumentEmulator(options),
	});
}
