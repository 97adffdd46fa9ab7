// OKdokument emulator: what the service holds (documents, signature requests, counters) and how
// it changes: retention, the signer's Submit or Cancel, the sendInfo callback and its outcome.
import { randomBytes, randomUUID } from 'node:crypto';
import { signedVariant, withPdfSignature } from '../pdf.mjs';
import { fail, modification } from './validation.mjs';

/** `settings`: what okDokumentEmulator read from its options (okdokument.mjs). */
export function createState(ctx, settings) {
	const {
		keys,
		restricted,
		signedRetentionMs,
		unsignedRetentionMs,
		tagsDelayMs,
		sendInfoRetriesMs,
		sendInfoTimeoutMs,
		sendInfoCopies,
		initialRequests,
	} = settings;
	const documents = new Map();
	const requests = new Map();
	const counters = { storedFiles: 0, deleted: 0, used: 0, downloaded: 0 };
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
		store.available--;
		counters.used++;
		return entry;
	}

	const created = (entry) => ({
		message: 'msg.signature.request.id.created',
		result: entry.id,
		url: `${ctx.baseUrl}/openDocument/${entry.id}`,
		documentId: entry.documentId,
	});

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
		return resultUrl(entry, doc, { submit: 'success', mobile: 'mobile', cancel: 'close' }[action]);
	}

	const store = {
		documents,
		requests,
		counters,
		/** Signature requests left on the plan. */
		available: initialRequests,
		auth,
		expireByRetention,
		docOr404,
		touch,
		metadata,
		storeDocument,
		openRequest,
		created,
		usable,
		finish,
		reset() {
			documents.clear();
			requests.clear();
			Object.assign(counters, { storedFiles: 0, deleted: 0, used: 0, downloaded: 0 });
			store.available = initialRequests;
		},
	};
	return store;
}
