// The sandbox frame: one HTTP server per vendor emulator (loopback unless ESIGN_SANDBOX_HOST,
// address.mjs), with what every emulator shares: a request log, fault injection per route, a
// controllable clock, outbound webhook delivery with the vendor's retry schedule (time-scaled for
// tests), and the control API under /__.
// Dev-only: never part of the published package.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { sandboxAddress } from './address.mjs';

export class HttpError extends Error {
	constructor(status, body, headers = {}) {
		super(typeof body === 'string' ? body : JSON.stringify(body));
		this.status = status;
		this.body = body;
		this.headers = headers;
	}
}

/** PHP-style bracket keys (`a[0][b]`, `a[0][c][]`) → nested objects/arrays. */
export function parseBracketForm(params) {
	const out = {};
	for (const [fullKey, value] of params) {
		const parts = fullKey.replace(/\]/g, '').split('[');
		let node = out;
		parts.forEach((part, index) => {
			const last = index === parts.length - 1;
			if (last) {
				if (part === '') node.push(value);
				else node[part] = value;
				return;
			}
			const nextIsList = parts[index + 1] === '';
			node[part] ??= nextIsList ? [] : {};
			node = node[part];
		});
	}
	return out;
}

/** Index-keyed maps (`{"0":{…},"1":{…}}`) are lists to the Gateway; normalise them. */
export function normaliseLists(value) {
	if (Array.isArray(value)) return value.map(normaliseLists);
	if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
		const keys = Object.keys(value);
		if (keys.length && keys.every((key, index) => key === String(index))) {
			return keys.map((key) => normaliseLists(value[key]));
		}
		return Object.fromEntries(keys.map((key) => [key, normaliseLists(value[key])]));
	}
	return value;
}

/** Minimal multipart/form-data parser: fields as strings, files as {filename, contentType, data}. */
export function parseMultipart(raw, contentType) {
	const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
	if (!boundary) throw new HttpError(400, { message: 'multipart boundary missing' });
	const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
	const fields = {};
	const files = {};
	let start = raw.indexOf(delimiter);
	while (start !== -1) {
		const next = raw.indexOf(delimiter, start + delimiter.length);
		if (next === -1) break;
		const part = raw.subarray(start + delimiter.length + 2, next - 2);
		const headerEnd = part.indexOf('\r\n\r\n');
		if (headerEnd !== -1) {
			const headers = part.subarray(0, headerEnd).toString('utf8');
			const data = part.subarray(headerEnd + 4);
			const name = /name="([^"]*)"/i.exec(headers)?.[1];
			const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
			const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1];
			if (name !== undefined) {
				if (filename !== undefined) files[name] = { filename, contentType: type, data };
				else fields[name] = data.toString('utf8');
			}
		}
		start = next;
	}
	return { fields, files };
}

export function parseBody(req, raw) {
	const type = (req.headers['content-type'] ?? '').toLowerCase();
	if (raw.length === 0) return undefined;
	if (type.includes('application/json')) {
		try {
			return JSON.parse(raw.toString('utf8'));
		} catch {
			throw new HttpError(400, { message: 'Malformed JSON body' });
		}
	}
	if (type.includes('application/x-www-form-urlencoded')) {
		return parseBracketForm(new URLSearchParams(raw.toString('utf8')));
	}
	if (type.includes('multipart/form-data')) {
		const { fields, files } = parseMultipart(raw, req.headers['content-type']);
		return { ...parseBracketForm(Object.entries(fields)), __files: files };
	}
	return raw;
}

/**
 * Starts an emulator. `setup(ctx)` returns `{ routes: [[method, RegExp, handler]], reset() }`; a handler
 * gets `{ req, res, url, params, query, body, raw }` and returns `{status, json|body, headers}` or
 * throws HttpError. The frame owns everything under /__ that is common to all vendors.
 */
export async function startEmulator({ name, port = 0, timeScale = 1, setup, strict = true }) {
	const state = {
		requests: [],
		deliveries: [],
		faults: [],
		/** `POST /__limits`: a vendor-side cap on requests in flight (off unless set). */
		limit: undefined,
		inFlight: 0,
		clockOffsetMs: 0,
		timers: new Set(),
	};
	const ctx = {
		name,
		strict,
		timeScale,
		baseUrl: '',
		now: () => Date.now() + state.clockOffsetMs,
		id: (prefix = '', bytes = 12) => `${prefix}${randomBytes(bytes).toString('hex')}`,
		/** Schedules `fn` after `ms` of vendor time (scaled by timeScale). */
		later(ms, fn) {
			const timer = setTimeout(
				() => {
					state.timers.delete(timer);
					fn();
				},
				Math.max(0, ms * ctx.timeScale),
			);
			state.timers.add(timer);
			return timer;
		},
		deliver,
		deliveries: state.deliveries,
		requests: state.requests,
	};
	const emulator = setup(ctx);
	const initialKeys = emulator.keys ? [...emulator.keys] : [];

	/**
	 * POSTs a webhook the way the vendor does: exact URL (query string kept), JSON body, retried on
	 * failure after each delay in `retryScheduleMs` (vendor time). Failure = non-2xx (3xx included,
	 * redirects are not followed), timeout, or a network error.
	 */
	function deliver(url, payload, { retryScheduleMs = [], timeoutMs = 10_000, headers = {} } = {}) {
		const attempt = (index) => {
			const started = ctx.now();
			const record = {
				url,
				body: payload,
				attempt: index + 1,
				at: new Date(started).toISOString(),
			};
			state.deliveries.push(record);
			const finish = (status, error) => {
				record.status = status;
				record.error = error;
				record.ok = status >= 200 && status < 300;
				if (!record.ok && index < retryScheduleMs.length) {
					ctx.later(retryScheduleMs[index], () => attempt(index + 1));
				}
			};
			fetch(url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'user-agent': `${name}-emulator`,
					...headers,
				},
				body: JSON.stringify(payload),
				redirect: 'manual',
				signal: AbortSignal.timeout(timeoutMs),
			})
				.then(async (response) => {
					record.responseBody = (await response.text()).slice(0, 500);
					finish(response.status);
				})
				.catch((error) => finish(0, String(error?.cause?.code ?? error?.name ?? error)));
		};
		attempt(0);
	}

	function matchFault(req, path) {
		const index = state.faults.findIndex((fault) => {
			const match = fault.match ?? {};
			if (match.method && match.method.toUpperCase() !== req.method) return false;
			if (match.path && !new RegExp(match.path).test(path)) return false;
			if (match.probability !== undefined && Math.random() >= match.probability) return false;
			return true;
		});
		if (index === -1) return undefined;
		const fault = state.faults[index];
		if (fault.match?.times !== undefined && --fault.match.times <= 0) state.faults.splice(index, 1);
		return fault.action ?? {};
	}

	async function control(req, res, url, body) {
		const path = url.pathname;
		const json = (status, data) => send(res, { status, json: data });
		if (path === '/__requests' && req.method === 'GET') return json(200, state.requests);
		if (path === '/__requests' && req.method === 'DELETE') {
			state.requests.length = 0;
			return json(200, { ok: true });
		}
		if (path === '/__deliveries' && req.method === 'GET') return json(200, state.deliveries);
		if (path === '/__faults' && req.method === 'POST') {
			state.faults.push(body);
			return json(200, { ok: true, faults: state.faults.length });
		}
		if (path === '/__faults' && req.method === 'DELETE') {
			state.faults.length = 0;
			return json(200, { ok: true });
		}
		// A rate limit like a vendor's gateway: at most `maxInFlight` requests on matching paths are
		// served at once; one more is answered at once with 429 and `Retry-After` (seconds).
		if (path === '/__limits' && req.method === 'POST') {
			const maxInFlight = Number(body?.maxInFlight);
			if (!Number.isInteger(maxInFlight) || maxInFlight < 1)
				return json(400, { message: 'maxInFlight must be a whole number ≥ 1' });
			state.limit = {
				maxInFlight,
				retryAfter: body.retryAfter ?? 1,
				path: body.path,
				method: body.method,
				refused: 0,
			};
			return json(200, { ok: true, limit: state.limit });
		}
		if (path === '/__limits' && req.method === 'GET')
			return json(200, { limit: state.limit ?? null, inFlight: state.inFlight });
		if (path === '/__limits' && req.method === 'DELETE') {
			state.limit = undefined;
			return json(200, { ok: true });
		}
		if (path === '/__fail-next' && req.method === 'POST') {
			const q = Object.fromEntries(url.searchParams);
			state.faults.push({
				match: { path: q.path, method: q.method, times: Number(q.times ?? 1) },
				action: { status: Number(q.status ?? 500), retryAfter: q.retryAfter },
			});
			return json(200, { ok: true });
		}
		// Key rotation at the vendor: `{ add?: [keys], revoke?: [keys] }` changes which API keys the
		// emulator accepts from now on (for emulators that expose their `keys`). `/__reset` restores
		// the keys it started with.
		if (path === '/__keys' && req.method === 'POST' && emulator.keys) {
			const list = (value) => (Array.isArray(value) ? value.map(String) : []);
			for (const key of list(body?.add)) emulator.keys.add(key);
			for (const key of list(body?.revoke)) emulator.keys.delete(key);
			return json(200, { ok: true, keys: emulator.keys.size });
		}
		if (path === '/__clock' && req.method === 'POST') {
			state.clockOffsetMs += Number(body?.advanceMs ?? 0);
			emulator.onClock?.();
			return json(200, { now: new Date(ctx.now()).toISOString() });
		}
		if (path === '/__reset' && req.method === 'POST') {
			reset();
			return json(200, { ok: true });
		}
		if (path === '/__health') return json(200, { ok: true, vendor: name });
		return undefined;
	}

	function reset() {
		state.requests.length = 0;
		state.deliveries.length = 0;
		state.faults.length = 0;
		state.limit = undefined;
		state.clockOffsetMs = 0;
		for (const timer of state.timers) clearTimeout(timer);
		state.timers.clear();
		if (emulator.keys) {
			emulator.keys.clear();
			for (const key of initialKeys) emulator.keys.add(key);
		}
		emulator.reset?.();
	}

	const server = http.createServer(async (req, res) => {
		const chunks = [];
		for await (const chunk of req) chunks.push(chunk);
		const raw = Buffer.concat(chunks);
		const url = new URL(req.url, ctx.baseUrl);
		try {
			let body;
			try {
				body = parseBody(req, raw);
			} catch (error) {
				if (!url.pathname.startsWith('/__')) throw error;
			}
			if (url.pathname === '/' && req.method === 'GET' && emulator.inbox) {
				return send(res, {
					body: inboxPage(name, emulator.inbox(), {
						intro: emulator.inboxIntro,
						finished: emulator.finished?.() ?? [],
					}),
					headers: { 'content-type': 'text/html; charset=utf-8' },
				});
			}
			// Browsers ask every page's host for an icon; answer it without logging an API request.
			if (url.pathname === '/favicon.ico' && req.method === 'GET') {
				return send(res, { body: FAVICON, headers: { 'content-type': 'image/svg+xml' } });
			}
			if (url.pathname.startsWith('/__')) {
				const handledByFrame = await control(req, res, url, body);
				if (handledByFrame !== undefined || res.writableEnded) return;
			} else {
				const entry = {
					method: req.method,
					path: url.pathname,
					query: Object.fromEntries(url.searchParams),
					headers: req.headers,
					contentType: req.headers['content-type'],
					body: Buffer.isBuffer(body) ? `<${body.length} bytes>` : stripFiles(body),
					bytes: raw.length,
					at: new Date(ctx.now()).toISOString(),
				};
				state.requests.push(entry);
				if (overLimit(req, res, url.pathname, entry)) return;
				const fault = matchFault(req, url.pathname);
				if (fault && (await applyFault(req, res, fault))) return;
			}
			for (const [method, pattern, handler] of emulator.routes) {
				if (method !== req.method && method !== '*') continue;
				const match = pattern.exec(url.pathname);
				if (!match) continue;
				const query = Object.fromEntries(url.searchParams);
				const result = await handler({
					req,
					res,
					url,
					params: match.groups ?? {},
					query,
					body,
					raw,
				});
				// A button on the inbox page: back to the page, not to the control API's JSON answer.
				if (query.back === 'inbox' && result && (result.status ?? 200) < 400) {
					return send(res, { status: 303, headers: { location: '/' } });
				}
				if (!res.writableEnded && result) send(res, result, state.activeFault);
				return;
			}
			throw new HttpError(
				404,
				emulator.notFoundBody ?? { message: 'Requested URL was not found.' },
			);
		} catch (error) {
			if (res.writableEnded) return;
			if (error instanceof HttpError) {
				send(res, {
					status: error.status,
					json: typeof error.body === 'string' ? undefined : error.body,
					body: typeof error.body === 'string' ? error.body : undefined,
					headers: error.headers,
				});
			} else {
				send(res, {
					status: 500,
					json: { status: 'error', message: String(error?.message ?? error) },
				});
			}
		}
	});

	/**
	 * With a limit set: refuses a matching request beyond `maxInFlight` (429, marked `limited` in the
	 * request log) or counts it in flight until its response is done. False = serve it.
	 */
	function overLimit(req, res, path, entry) {
		const limit = state.limit;
		if (!limit) return false;
		if (limit.method && limit.method.toUpperCase() !== req.method) return false;
		if (limit.path && !new RegExp(limit.path).test(path)) return false;
		if (state.inFlight >= limit.maxInFlight) {
			limit.refused++;
			entry.limited = true;
			send(res, {
				status: 429,
				json: { status: 'error', message: 'Too Many Requests' },
				headers: { 'retry-after': String(limit.retryAfter) },
			});
			return true;
		}
		state.inFlight++;
		let done = false;
		res.once('close', () => {
			if (done) return;
			done = true;
			state.inFlight--;
		});
		return false;
	}

	/** Returns true when the fault answered the request itself. Latency and slow bodies let it through. */
	async function applyFault(req, res, action) {
		if (action.latencyMs) {
			// `jitter` 0.5 spreads each delay evenly over latencyMs ± 50 %.
			const spread = Number(action.jitter ?? 0) * (2 * Math.random() - 1);
			const ms = Math.max(0, action.latencyMs * (1 + spread));
			await new Promise((resolve) => setTimeout(resolve, ms));
		}
		if (action.drop === 'before-headers') {
			req.socket.destroy();
			return true;
		}
		// A lost answer: the vendor does the work (creates the document…), then the connection
		// breaks before any of the answer is sent.
		if (action.drop === 'after-processing') {
			dropAnswer(res);
			return false;
		}
		if (action.hangMs) {
			await new Promise((resolve) => setTimeout(resolve, action.hangMs));
			req.socket.destroy();
			return true;
		}
		if (action.status) {
			const headers = {};
			if (action.retryAfter !== undefined && action.retryAfter !== null)
				headers['retry-after'] = String(action.retryAfter);
			if (action.malformedJson) {
				send(res, {
					status: action.status,
					body: '{"status":"error","message":',
					headers: { ...headers, 'content-type': 'application/json' },
				});
			} else if (action.html) {
				send(res, {
					status: action.status,
					body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
					headers: { ...headers, 'content-type': 'text/html' },
				});
			} else {
				send(res, {
					status: action.status,
					json: action.body ?? { status: 'error', message: `Injected ${action.status}` },
					headers,
				});
			}
			return true;
		}
		// Body-level faults (mid-body drop, truncation, slow drip) apply to the real response.
		if (action.drop === 'mid-body' || action.truncateAt !== undefined || action.slowBodyMs) {
			wrapResponse(res, action);
		}
		return false;
	}

	const { listenHost, publicHost } = sandboxAddress();
	await new Promise((resolve) => server.listen(port, listenHost, resolve));
	ctx.baseUrl = `http://${publicHost}:${server.address().port}`;
	return {
		name,
		baseUrl: ctx.baseUrl,
		ctx,
		emulator,
		reset,
		async close() {
			reset();
			server.closeAllConnections?.();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

function stripFiles(body) {
	if (!body || typeof body !== 'object' || !body.__files) return body;
	const { __files, ...rest } = body;
	return {
		...rest,
		files: Object.fromEntries(
			Object.entries(__files).map(([k, f]) => [
				k,
				{ filename: f.filename, contentType: f.contentType, bytes: f.data.length },
			]),
		),
	};
}

/** Makes the answer never arrive: the first write of it destroys the socket instead. */
function dropAnswer(res) {
	const cut = () => {
		res.socket?.destroy();
		return res;
	};
	res.writeHead = cut;
	res.write = () => {
		cut();
		return false;
	};
	res.end = cut;
}

/** Makes the next body write misbehave: cut the socket half-way, truncate, or drip slowly. */
function wrapResponse(res, action) {
	const originalEnd = res.end.bind(res);
	res.end = (chunk, ...rest) => {
		const body =
			chunk === undefined ? Buffer.alloc(0) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
		if (action.drop === 'mid-body') {
			res.write(body.subarray(0, Math.floor(body.length / 2)));
			setTimeout(() => res.socket?.destroy(), 20);
			return res;
		}
		if (action.truncateAt !== undefined) {
			res.write(body.subarray(0, action.truncateAt));
			setTimeout(() => res.socket?.destroy(), 20);
			return res;
		}
		const pieces = 10;
		const size = Math.ceil(body.length / pieces) || 1;
		let offset = 0;
		const drip = () => {
			if (offset >= body.length) return originalEnd(undefined, ...rest);
			res.write(body.subarray(offset, offset + size));
			offset += size;
			setTimeout(drip, action.slowBodyMs / pieces);
		};
		drip();
		return res;
	};
}

const escapeHtml = (text) =>
	String(text).replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
	);

/** A plain pen-nib icon, so the sandbox pages do not log a 404 for /favicon.ico. */
const FAVICON =
	'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#3a6ea5"/><path d="M4 12l1-4 5-5 3 3-5 5z" fill="#fff"/></svg>';

/** The `<head>` bits every HTML page of the sandbox shares: charset and the inline icon. */
export const PAGE_HEAD = '<meta charset="utf-8"><link rel="icon" href="/favicon.ico">';

/**
 * The sandbox's home page: what is waiting for a signer, with a button per action, so a person
 * trying the nodes can play the signer in a browser. `items` come from the emulator's `inbox()`:
 * `{ title, detail, actions: [{ label, path, fields? }], links?: [{ label, href }] }`; `finished`
 * from its `finished()`: `{ title, detail, outcome, ok }` for the documents that reached an end,
 * newest first, so pressing the last button shows a confirmation instead of an empty page.
 */
const VENDOR_TITLES = {
	dokobit: 'Dokobit Documents Gateway',
	okdokument: 'OKdokument',
	documentolog: 'Documentolog',
};

function inboxPage(name, items, { intro, finished = [] } = {}) {
	const vendor = VENDOR_TITLES[name] ?? name;
	const rows = items.map((item) => {
		const actions = item.actions
			.map((action) => {
				const fields = Object.entries(action.fields ?? {})
					.map(
						([key, value]) =>
							`<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`,
					)
					.join('');
				return `<form method="post" action="${escapeHtml(action.path)}?back=inbox">${fields}<button>${escapeHtml(action.label)}</button></form>`;
			})
			.join('');
		const links = (item.links ?? [])
			.map((link) => `<a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a>`)
			.join(' ');
		return `<li><b>${escapeHtml(item.title)}</b> ${escapeHtml(item.detail ?? '')} ${links}<div class="actions">${actions}</div></li>`;
	});
	const done = finished.map(
		(item) =>
			`<li class="${item.ok ? 'ok' : 'not-ok'}"><b>${escapeHtml(item.title)}</b> ${escapeHtml(item.detail ?? '')}: <span class="outcome">${escapeHtml(item.outcome)} ${item.ok ? '✓' : '✗'}</span></li>`,
	);
	return `<!doctype html>${PAGE_HEAD}<meta http-equiv="refresh" content="5"><title>${escapeHtml(vendor)} sandbox</title>
<style>body{font-family:sans-serif;margin:2em}li{margin:1em 0}.actions form{display:inline;margin-right:.5em}.intro{max-width:48em}.ok .outcome{color:#17803d;font-weight:bold}.not-ok .outcome{color:#b42318;font-weight:bold}</style>
<h1>${escapeHtml(vendor)} sandbox: waiting for a signer</h1>
${intro ? `<p class="intro">${escapeHtml(intro)}</p>` : ''}
${rows.length ? `<ul>${rows.join('')}</ul>` : '<p>Nothing is waiting. Run a workflow that sends a document; this page refreshes itself.</p>'}
${done.length ? `<h2>Recently finished</h2><ul class="finished">${done.join('')}</ul>` : ''}`;
}

export function send(res, { status = 200, json, body, headers = {} }) {
	if (res.writableEnded) return;
	if (json !== undefined) {
		const text = JSON.stringify(json);
		res.writeHead(status, {
			'content-type': 'application/json',
			'content-length': Buffer.byteLength(text),
			...headers,
		});
		res.end(text);
		return;
	}
	const payload = body === undefined ? '' : body;
	const length = Buffer.isBuffer(payload) ? payload.length : Buffer.byteLength(payload);
	res.writeHead(status, { 'content-length': length, ...headers });
	res.end(payload);
}
