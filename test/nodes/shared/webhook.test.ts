import type { IDataObject } from 'n8n-workflow';
import { dedupeKey, vendorTimeToIso } from '../../../nodes/shared/events';
import {
	DEDUPE_DEFAULTS,
	clearDedupeMemory,
	hasSeen,
	pruneSeen,
	readSeen,
	rememberOnce,
	syncRemembered,
} from '../../../nodes/shared/dedupe';
import {
	acknowledge,
	badRequest,
	headersForAudit,
	methodNotAllowed,
	queryWithout,
	MAX_WEBHOOK_BODY_BYTES,
	readJsonObjectBody,
	readSecuredEvent,
	redactDeep,
	respond,
	safeEqual,
	tryLater,
	unauthorized,
	urlSecretMatches,
} from '../../../nodes/shared/webhook';
import { mockWebhookFunctions } from './webhookMock';

describe('safeEqual', () => {
	it('matches equal strings only', () => {
		expect(safeEqual('s3cret-value', 's3cret-value')).toBe(true);
		expect(safeEqual('s3cret-value', 's3cret-valuE')).toBe(false);
		expect(safeEqual('s3cret-value', 's3cret-value-longer')).toBe(false);
		expect(safeEqual('', '')).toBe(true);
		expect(safeEqual('', 'x')).toBe(false);
		expect(safeEqual('žėčę', 'žėčę')).toBe(true);
	});
});

describe('urlSecretMatches', () => {
	it('passes everything when no secret is configured', () => {
		expect(urlSecretMatches('', {})).toBe(true);
		expect(urlSecretMatches('', { secret: 'anything' })).toBe(true);
	});

	it('needs the exact value in the named parameter', () => {
		expect(urlSecretMatches('abc123', { secret: 'abc123' })).toBe(true);
		expect(urlSecretMatches('abc123', { secret: 'abc124' })).toBe(false);
		expect(urlSecretMatches('abc123', {})).toBe(false);
		expect(urlSecretMatches('abc123', { token: 'abc123' })).toBe(false);
		expect(urlSecretMatches('abc123', { token: 'abc123' }, 'token')).toBe(true);
	});

	it('refuses repeated or non-string values', () => {
		expect(urlSecretMatches('abc123', { secret: ['abc123', 'abc123'] })).toBe(false);
		expect(urlSecretMatches('abc123', { secret: { a: 1 } })).toBe(false);
		expect(urlSecretMatches('abc123', undefined)).toBe(false);
	});
});

describe('readSecuredEvent with a check of its own', () => {
	const read = (query: Record<string, unknown>, check: (given: string) => boolean) =>
		readSecuredEvent(mockWebhookFunctions({ query, body: { a: 1 } }).ctx, check, 'secret');

	it('hands the check the one string value, and answers 401 when it refuses', () => {
		const given: string[] = [];
		const check = (value: string) => {
			given.push(value);
			return value === 'old' || value === 'new';
		};
		expect(read({ secret: 'old' }, check).ok).toBe(true);
		expect(read({ secret: 'new' }, check).ok).toBe(true);
		expect(read({ secret: 'other' }, check).ok).toBe(false);
		expect(given).toEqual(['old', 'new', 'other']);
	});

	it('refuses a missing, repeated or non-string secret without asking the check', () => {
		const check = jest.fn(() => true);
		for (const query of [{}, { secret: ['old', 'old'] }, { secret: { a: 1 } }, { Secret: 'old' }]) {
			const result = read(query, check);
			expect(result.ok).toBe(false);
		}
		expect(check).not.toHaveBeenCalled();
	});
});

describe('queryWithout / headersForAudit / redactDeep', () => {
	it('removes the secret from the query', () => {
		expect(queryWithout({ secret: 'x', run: '1' }, ['secret'])).toEqual({ run: '1' });
		expect(queryWithout(undefined, ['secret'])).toEqual({});
	});

	it('drops headers that can carry credentials', () => {
		expect(
			headersForAudit({
				'content-type': 'application/json',
				Authorization: 'Basic eA==',
				cookie: 'a=b',
				'proxy-authorization': 'x',
				'user-agent': 'dokobit',
			}),
		).toEqual({ 'content-type': 'application/json', 'user-agent': 'dokobit' });
	});

	it('replaces secrets in every nested string', () => {
		const value = { a: 'key=topsecret', b: ['x topsecret', 3, null], c: { d: 'topsecret' } };
		expect(redactDeep(value, ['topsecret', ''])).toEqual({
			a: 'key=[redacted]',
			b: ['x [redacted]', 3, null],
			c: { d: '[redacted]' },
		});
		expect(redactDeep(value, ['abc'])).toBe(value);
	});
});

describe('dedupe store', () => {
	it('remembers a key once', () => {
		const data: IDataObject = {};
		expect(hasSeen(data, 'k1')).toBe(false);
		expect(rememberOnce(data, 'k1', { now: 1_000 })).toBe(true);
		expect(rememberOnce(data, 'k1', { now: 2_000 })).toBe(false);
		expect(hasSeen(data, 'k1', { now: 2_000 })).toBe(true);
		expect(readSeen(data)).toEqual({ k1: 1_000 });
	});

	it('keeps at most max keys, dropping the oldest', () => {
		const data: IDataObject = {};
		for (let i = 0; i < 25; i++)
			expect(rememberOnce(data, `k${i}`, { max: 10, now: i })).toBe(true);
		const seen = readSeen(data);
		expect(Object.keys(seen)).toHaveLength(10);
		expect(Object.keys(seen).sort()).toEqual(
			Array.from({ length: 10 }, (_, i) => `k${i + 15}`).sort(),
		);
		expect(rememberOnce(data, 'k0', { max: 10, now: 26 })).toBe(true);
		expect(Object.keys(readSeen(data))).toHaveLength(10);
	});

	it('stays bounded with the default limit', () => {
		const data: IDataObject = {};
		for (let i = 0; i < DEDUPE_DEFAULTS.max + 50; i++)
			rememberOnce(data, `dokobit:t${i}`, { now: i });
		expect(Object.keys(readSeen(data))).toHaveLength(DEDUPE_DEFAULTS.max);
		expect(JSON.stringify(data).length).toBeLessThan(40_000);
	});

	it('forgets keys after ttlMs', () => {
		const data: IDataObject = {};
		rememberOnce(data, 'old', { ttlMs: 100, now: 0 });
		expect(hasSeen(data, 'old', { ttlMs: 100, now: 99 })).toBe(true);
		expect(hasSeen(data, 'old', { ttlMs: 100, now: 100 })).toBe(false);
		expect(rememberOnce(data, 'new', { ttlMs: 100, now: 150 })).toBe(true);
		expect(readSeen(data)).toEqual({ new: 150 });
		expect(rememberOnce(data, 'old', { ttlMs: 100, now: 160 })).toBe(true);
	});

	it('uses its own field and ignores malformed entries', () => {
		const data: IDataObject = { seen: { good: 5, bad: 'x', worse: null }, since: 'keep' };
		expect(readSeen(data)).toEqual({ good: 5 });
		expect(rememberOnce(data, 'other', { field: 'dedupe', now: 10 })).toBe(true);
		expect(data.dedupe).toEqual({ other: 10 });
		expect(data.since).toBe('keep');
		const broken: IDataObject = { seen: 'not an object' };
		expect(rememberOnce(broken, 'k', { now: 1 })).toBe(true);
		expect(broken.seen).toEqual({ k: 1 });
	});

	it('writes a fresh object so the static-data proxy sees the change', () => {
		const data: IDataObject = {};
		rememberOnce(data, 'a', { now: 1 });
		const first = data.seen;
		rememberOnce(data, 'b', { now: 2 });
		expect(data.seen).not.toBe(first);
		rememberOnce(data, 'b', { now: 3 });
		expect(readSeen(data)).toEqual({ a: 1, b: 2 });
	});

	it('pruneSeen sorts by age, not by key order', () => {
		expect(pruneSeen({ '2': 30, '10': 10, a: 20 }, 2, 1_000, 40)).toEqual({ a: 20, '2': 30 });
	});

	it('survives the JSON round trip of the database', () => {
		let stored: IDataObject = {};
		for (const key of ['x', 'y', 'x']) {
			const data = JSON.parse(JSON.stringify(stored)) as IDataObject;
			rememberOnce(data, key);
			stored = data;
		}
		expect(Object.keys(readSeen(stored)).sort()).toEqual(['x', 'y']);
	});
});

describe('dedupe store across concurrent requests (in-process copy)', () => {
	afterEach(() => clearDedupeMemory());
	const clone = (data: IDataObject) => JSON.parse(JSON.stringify(data)) as IDataObject;

	it('catches a key that a concurrent request saved over', () => {
		const scope = { scope: 'wf1:node1' };
		const db: IDataObject = {};
		const a = clone(db);
		const b = clone(db);
		expect(rememberOnce(a, 'signer', { ...scope, now: 1 })).toBe(true);
		expect(rememberOnce(b, 'completed', { ...scope, now: 2 })).toBe(true);
		// b was loaded before a saved; a saves first, then b overwrites it: a's key is gone from "db".
		const saved = clone(b);
		expect(readSeen(saved)).toEqual({ signer: 1, completed: 2 });
		const stale: IDataObject = { seen: { completed: 2 } };
		expect(hasSeen(stale, 'signer', { now: 3 })).toBe(false);
		expect(hasSeen(stale, 'signer', { ...scope, now: 3 })).toBe(true);
		// Only this process's copy knew it: written back, so n8n saves it again.
		expect(readSeen(stale)).toEqual({ signer: 1, completed: 2 });
		const again: IDataObject = { seen: { completed: 2 } };
		expect(rememberOnce(again, 'signer', { ...scope, now: 3 })).toBe(false);
		expect(readSeen(again)).toEqual({ signer: 1, completed: 2 });
	});

	it('writes nothing for a key static data already holds', () => {
		const scope = { scope: 'wf1b:node1' };
		const data: IDataObject = {};
		rememberOnce(data, 'k', { ...scope, now: 1 });
		const written = data.seen;
		expect(hasSeen(data, 'k', { ...scope, now: 2 })).toBe(true);
		expect(rememberOnce(data, 'k', { ...scope, now: 2 })).toBe(false);
		expect(data.seen).toBe(written);
	});

	it('writes the keys it knows back with syncRemembered, and only then', () => {
		const scope = { scope: 'wf2:node1' };
		const a: IDataObject = {};
		const b: IDataObject = {};
		rememberOnce(b, 'completed', { ...scope, now: 2 });
		rememberOnce(a, 'signer', { ...scope, now: 1 });
		expect(readSeen(b)).toEqual({ completed: 2 });
		const before = b.seen;
		syncRemembered(b, { ...scope, now: 3 });
		expect(readSeen(b)).toEqual({ signer: 1, completed: 2 });
		const synced = b.seen;
		syncRemembered(b, { ...scope, now: 4 });
		expect(b.seen).toBe(synced);
		expect(before).not.toBe(synced);
		syncRemembered(a, { now: 5 });
		expect(readSeen(a)).toEqual({ signer: 1, completed: 2 });
	});

	it('keeps scopes apart', () => {
		rememberOnce({}, 'k', { scope: 'wf3:a', now: 1 });
		expect(hasSeen({}, 'k', { scope: 'wf3:a', now: 2 })).toBe(true);
		expect(hasSeen({}, 'k', { scope: 'wf3:b', now: 2 })).toBe(false);
	});

	it('bounds the in-memory copy like the stored one', () => {
		const data: IDataObject = {};
		for (let i = 0; i < 30; i++) rememberOnce(data, `k${i}`, { scope: 'wf4:a', max: 5, now: i });
		expect(hasSeen({}, 'k0', { scope: 'wf4:a', now: 31 })).toBe(false);
		expect(hasSeen({}, 'k29', { scope: 'wf4:a', now: 31 })).toBe(true);
		const fresh: IDataObject = {};
		syncRemembered(fresh, { scope: 'wf4:a', max: 5, now: 31 });
		expect(Object.keys(readSeen(fresh))).toHaveLength(5);
	});
});

describe('answers', () => {
	it.each([
		['acknowledge', acknowledge, 200, { received: true }],
		['unauthorized', unauthorized, 401, { message: 'Unauthorized' }],
		['tryLater', (ctx: never) => tryLater(ctx, 'later'), 503, { message: 'later' }],
		[
			'badRequest',
			(ctx: never) => badRequest(ctx, 'Missing token'),
			400,
			{ message: 'Missing token' },
		],
	])('%s answers itself and starts nothing', (_name, answer, status, body) => {
		const mock = mockWebhookFunctions();
		const result = (answer as (ctx: unknown) => unknown)(mock.ctx);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(mock.response).toMatchObject({ statusCode: status, body, written: true });
	});

	it('405 names the allowed method', () => {
		const mock = mockWebhookFunctions();
		methodNotAllowed(mock.ctx, 'POST');
		expect(mock.response).toMatchObject({ statusCode: 405, headers: { allow: 'POST' } });
	});

	it('writes only once', () => {
		const mock = mockWebhookFunctions();
		respond(mock.ctx, 200, { received: true });
		respond(mock.ctx, 500, { message: 'late' });
		expect(mock.response).toMatchObject({ statusCode: 200, body: { received: true } });
	});
});

describe('readJsonObjectBody', () => {
	const read = (request: Parameters<typeof mockWebhookFunctions>[0]) =>
		readJsonObjectBody(mockWebhookFunctions(request).ctx);

	it('takes the parsed JSON object', () => {
		expect(read({ body: { token: 't' } })).toEqual({ ok: true, body: { token: 't' } });
		expect(
			read({ headers: { 'content-type': 'application/json; charset=utf-8' }, body: { a: 1 } }),
		).toEqual({ ok: true, body: { a: 1 } });
		expect(
			read({ headers: { 'content-type': 'application/vnd.api+json' }, body: { a: 1 } }),
		).toEqual({ ok: true, body: { a: 1 } });
	});

	it('parses JSON text sent as text/plain, without a type, or only as raw bytes', () => {
		expect(read({ headers: { 'content-type': 'text/plain' }, body: '{"a":1}' })).toEqual({
			ok: true,
			body: { a: 1 },
		});
		expect(read({ headers: {}, body: {}, rawBody: Buffer.from('\uFEFF{"a":2}') })).toEqual({
			ok: true,
			body: { a: 2 },
		});
	});

	it('refuses other content types, non-objects and broken JSON', () => {
		expect(read({ headers: { 'content-type': 'application/xml' }, body: { a: 1 } })).toEqual({
			ok: false,
			problem: 'Expected a JSON body, got application/xml',
			status: 400,
		});
		expect(read({ headers: { 'content-type': 'multipart/form-data' }, body: {} }).ok).toBe(false);
		expect(read({ body: [1, 2] })).toEqual({
			ok: false,
			problem: 'Body is not a JSON object',
			status: 400,
		});
		expect(read({ headers: { 'content-type': 'text/plain' }, body: '[1]' })).toEqual({
			ok: false,
			problem: 'Body is not a JSON object',
			status: 400,
		});
		expect(read({ headers: { 'content-type': 'text/plain' }, body: '{"a":' })).toEqual({
			ok: false,
			problem: 'Body is not valid JSON',
			status: 400,
		});
		expect(read({ headers: { 'content-type': 'text/plain' }, body: '' })).toEqual({
			ok: false,
			problem: 'Empty body',
			status: 400,
		});
		expect(read({ body: {} })).toEqual({ ok: true, body: {} });
	});

	it('refuses (413) a body over 64 KiB, by its bytes or, without them, by its declared length', () => {
		const big = JSON.stringify({ token: 't', padding: 'x'.repeat(MAX_WEBHOOK_BODY_BYTES) });
		const tooLarge = { ok: false, problem: 'Body is larger than 64 KiB', status: 413 };
		expect(read({ body: JSON.parse(big), rawBody: Buffer.from(big) })).toEqual(tooLarge);
		expect(
			read({
				headers: { 'content-type': 'application/json', 'content-length': String(big.length) },
				body: JSON.parse(big),
			}),
		).toEqual(tooLarge);
		const fits = JSON.stringify({ token: 't', padding: 'x'.repeat(60 * 1024) });
		expect(read({ body: JSON.parse(fits), rawBody: Buffer.from(fits) }).ok).toBe(true);
	});
});

describe('events', () => {
	it('builds the normalized event’s dedupe key', () => {
		expect(dedupeKey('dokobit', 'T', 'signer.signed', { id: '1', identifier: 'c' })).toBe(
			'dokobit:T:signer.signed:1',
		);
		expect(dedupeKey('dokobit', 'T', 'signer.signed', { identifier: 'c' })).toBe(
			'dokobit:T:signer.signed:c',
		);
		expect(dedupeKey('dokobit', 'T', 'document.completed')).toBe('dokobit:T:document.completed:');
	});

	it('reads vendor times', () => {
		expect(vendorTimeToIso('2019-06-04 11:59:14')).toBe('2019-06-04T11:59:14.000Z');
		expect(vendorTimeToIso('2019-06-04T11:59:14+03:00')).toBe('2019-06-04T08:59:14.000Z');
		expect(vendorTimeToIso('yesterday')).toBeUndefined();
		expect(vendorTimeToIso(null)).toBeUndefined();
	});
});
