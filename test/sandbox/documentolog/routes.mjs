// Documentolog emulator: its API (`/json/external/…`), the embedded signing page and the control
// API (`/__…`, with `/__config`), each route as docs/vendor-apis.md › Documentolog describes it.
import { HttpError } from '../frame.mjs';
import { samplePdf } from '../pdf.mjs';
import { zipStore } from './state.mjs';
import { MIME, SCOPE, escapeHtml, extensionOf } from './validation.mjs';

/** The routes over one instance's `store` (state.mjs), checked by its `validators` (validation.mjs). */
export function documentologRoutes(ctx, store, validators) {
	const { docs, defaults, requireKey, sign, docOfToken, newDocId, emit } = store;
	const { afterSender, senderSign, recipientAct, docOr404, fileOr404, fileAnswer } = store;
	const { edsBytes, ezBytes, originalBytes } = store;
	const { validate } = validators;

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
					number: store.nextNumber++,
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
					exp: Math.floor((ctx.now() + store.config.tokenTtlMs) / 1000),
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
				store.config = { ...store.config, ...(body ?? {}) };
				return { json: store.config };
			},
		],
		['GET', /^\/__config$/, () => ({ json: store.config })],
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
	return routes;
}
