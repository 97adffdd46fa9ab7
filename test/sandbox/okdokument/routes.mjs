// OKdokument emulator: its HTTP API, the signer's pages and the control API (`/__…`), each route
// as docs/vendor-apis.md › OKdokument describes the endpoint.
import { HttpError } from '../frame.mjs';
import { samplePdf } from '../pdf.mjs';
import {
	REQUEST_ONLY_KEYS,
	SIGNATURE_REQUEST_KEYS,
	STATES,
	ZIP,
	bad,
	isObject,
	isUrl,
} from './validation.mjs';

/** A small DOCX stand-in: the ZIP signature the node and this emulator check, and some text. */
export function sampleDocx() {
	return Buffer.concat([ZIP, Buffer.from('word/document.xml sandbox contract')]);
}

/** The routes over one instance's `store` (state.mjs), checked by its `validators` (validation.mjs). */
export function okDokumentRoutes(ctx, store, validators) {
	const { documents, requests, counters, auth, docOr404, touch, metadata, storeDocument } = store;
	const { openRequest, created, usable, finish, expireByRetention } = store;
	const { onlyKeys, jsonBody, decodeFile, checkFile, readRequest, readFiledata } = validators;

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
							'sandbox.availableSignatureRequests': String(store.available),
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
				const redirect = finish(entry, params.action, isObject(body) ? body.signerName : undefined);
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
					'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
				},
			}),
		],
	];
	return routes;
}

/** The sandbox page's views of the signature requests open, and of the last ones finished. */
export function okDokumentViews(store) {
	const { documents, requests, usable } = store;
	return {
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
	};
}
