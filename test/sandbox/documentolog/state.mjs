// Documentolog emulator: what the service holds (documents, their files and tokens) and how a
// document moves on: the sender signs, recipients sign or decline, it completes or expires, and
// each step calls the webhook.
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { HttpError } from '../frame.mjs';
import { samplePdf, signedVariant } from '../pdf.mjs';
import { DOCUMENTOLOG_KEY, LINK_VALIDITY_MS, b64url, extensionOf } from './validation.mjs';

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

/** One instance's state; `config` (the run-time configuration) and the counters are on `store`. */
export function createState(ctx, options) {
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
	const jwtSecret = randomBytes(32);
	const docs = new Map();

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

	// ----- lifecycle (docs/vendor-apis.md › Documentolog › States; names are the emulator's own)
	// --

	function emit(doc, payload) {
		doc.events.push(payload);
		if (doc.webhookUrl)
			ctx.deliver(doc.webhookUrl, payload, { retryScheduleMs: store.config.retryScheduleMs });
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
		return store.config.completionShape === 'wrapped'
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
		if (store.config.requireApiKeyOnDownloads) requireKey(req);
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

	const store = {
		keys,
		docs,
		/** The configuration at start; `POST /__config` changes `config`, a reset restores it. */
		defaults,
		config: { ...defaults },
		nextNumber: 1234,
		nextFileId: 4444,
		requireKey,
		sign,
		docOfToken,
		newDocId,
		emit,
		afterSender,
		senderSign,
		recipientAct,
		docOr404,
		fileOr404,
		fileAnswer,
		edsBytes,
		ezBytes,
		originalBytes,
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
			store.config = { ...defaults };
		},
	};
	return store;
}

/** The sandbox page's views of the documents waiting for a signature, and of the last finished. */
export function documentologViews(store) {
	const { docs } = store;
	return {
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
