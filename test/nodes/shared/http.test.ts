import type { INode } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';
import { describeFailure, isRetryable, redact, toApiError } from '../../../nodes/shared/apiError';
import { isOnBase, pathOnBase } from '../../../nodes/shared/hosts';
import { type ApiContext, type VendorApi, vendorRequest } from '../../../nodes/shared/http';
import {
	MAX_RETRIES,
	pauseRemainingMs,
	pauseRequests,
	retryDelayMs,
} from '../../../nodes/shared/retry';
import { AdaptiveLimit, setAdaptiveLimit } from '../../../nodes/shared/concurrency';

const NOW = Date.parse('2025-03-01T12:00:00Z');

describe('retryDelayMs', () => {
	it('uses Retry-After given in seconds', () => {
		expect(retryDelayMs(0, '1', NOW)).toBe(1000);
		expect(retryDelayMs(3, '7', NOW)).toBe(7000);
		expect(retryDelayMs(0, '0', NOW)).toBe(0);
	});

	it('uses Retry-After given as an HTTP date, relative to now', () => {
		const inFive = new Date(NOW + 5000).toUTCString();
		expect(retryDelayMs(0, inFive, NOW)).toBe(5000);
	});

	it('never waits a negative time for a date in the past', () => {
		expect(retryDelayMs(0, new Date(NOW - 60_000).toUTCString(), NOW)).toBe(0);
	});

	it('caps a hostile Retry-After at 30 s', () => {
		expect(retryDelayMs(0, '86400', NOW)).toBe(30_000);
		expect(retryDelayMs(0, new Date(NOW + 3600_000).toUTCString(), NOW)).toBe(30_000);
	});

	it.each([
		['soon'],
		[''],
		['   '],
		['in a while'],
		['-5'],
		['1.5'],
		['1e3'],
		['0x10'],
		['1.5.2'],
		[undefined],
		[null],
	])('falls back to backoff for a garbage Retry-After (%p)', (header) => {
		expect(retryDelayMs(0, header, NOW, () => 0)).toBe(500);
		expect(retryDelayMs(2, header, NOW, () => 0)).toBe(2000);
	});

	it('grows exponentially, with up to 25 % jitter from the injected random', () => {
		const none = [0, 1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, undefined, NOW, () => 0));
		expect(none).toEqual([500, 1000, 2000, 4000, 8000]);
		const most = [0, 1, 2].map((attempt) => retryDelayMs(attempt, undefined, NOW, () => 0.999));
		expect(most).toEqual([624, 1249, 2499]);
		expect(retryDelayMs(1, undefined, NOW, () => 0.5)).toBe(1125);
	});

	it('caps the exponential backoff at 30 s', () => {
		expect(retryDelayMs(10, undefined, NOW, () => 0)).toBe(30_000);
		expect(retryDelayMs(MAX_RETRIES + 20, undefined, NOW, () => 0.999)).toBe(30_000);
	});
});

describe('isRetryable', () => {
	it.each([429, 500, 502, 503, 504])('retries HTTP %i', (status) => {
		expect(isRetryable({ status })).toBe(true);
	});

	it.each([400, 401, 403, 404, 409, 422, 501])('does not retry HTTP %i', (status) => {
		expect(isRetryable({ status })).toBe(false);
	});

	it.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED', 'EPIPE'])(
		'retries the network error %s',
		(code) => {
			expect(isRetryable({ code })).toBe(true);
		},
	);

	it('does not retry unknown network errors or an empty failure', () => {
		expect(isRetryable({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' })).toBe(false);
		expect(isRetryable({})).toBe(false);
	});

	it('lets the HTTP status win over a network code', () => {
		expect(isRetryable({ status: 400, code: 'ECONNRESET' })).toBe(false);
	});
});

describe('describeFailure', () => {
	it('reads the response from the cause of a wrapped error', () => {
		const error = {
			message: 'wrapper',
			cause: {
				message: 'Request failed with status code 429',
				code: 'ERR_BAD_REQUEST',
				response: { status: 429, headers: { 'retry-after': '1' }, data: { message: 'slow down' } },
			},
		};
		expect(describeFailure(error)).toEqual({
			status: 429,
			headers: { 'retry-after': '1' },
			data: { message: 'slow down' },
			code: 'ERR_BAD_REQUEST',
			message: 'Request failed with status code 429',
		});
	});

	it('reads a bare axios-like error', () => {
		const error = { message: 'boom', response: { status: 503, headers: {}, data: 'down' } };
		expect(describeFailure(error)).toMatchObject({ status: 503, data: 'down', message: 'boom' });
	});

	it('reads a network error without a response', () => {
		const error = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		expect(describeFailure(error)).toEqual({
			status: undefined,
			headers: undefined,
			data: undefined,
			code: 'ECONNRESET',
			message: 'socket hang up',
		});
	});

	it('falls back to the httpCode of an n8n error', () => {
		expect(describeFailure({ httpCode: '404', message: 'nope' }).status).toBe(404);
		expect(describeFailure({ httpCode: null, message: 'nope' }).status).toBeUndefined();
	});

	it('survives null and primitives', () => {
		expect(describeFailure(null).status).toBeUndefined();
		expect(describeFailure('text').status).toBeUndefined();
	});
});

describe('redact', () => {
	it('removes every plain occurrence of a secret', () => {
		expect(redact('token=example-secret-1 and again example-secret-1', ['example-secret-1'])).toBe(
			'token=[redacted] and again [redacted]',
		);
	});

	it('removes the URL-encoded form of a secret', () => {
		const secret = 'example key/with+chars';
		const text = `GET /api?access_token=${encodeURIComponent(secret)} failed`;
		expect(text).not.toContain(secret);
		expect(redact(text, [secret])).toBe('GET /api?access_token=[redacted] failed');
	});

	it('handles several secrets and leaves other text alone', () => {
		expect(redact('a-secret-1 b-secret-2 c', ['a-secret-1', 'b-secret-2'])).toBe(
			'[redacted] [redacted] c',
		);
		expect(redact('nothing here', ['a-secret-1'])).toBe('nothing here');
	});

	it('ignores empty and very short secrets instead of shredding the text', () => {
		expect(redact('abc def', ['', 'a', 'de'])).toBe('abc def');
	});
});

describe('isOnBase / pathOnBase', () => {
	const base = 'https://gateway.dokobit.com';

	it('accepts a URL on the same origin', () => {
		const url = 'https://gateway.dokobit.com/api/signing/T1/download';
		expect(isOnBase(url, base)).toBe(true);
		expect(pathOnBase(url, base)).toBe('/api/signing/T1/download');
	});

	it('keeps the query string in the path', () => {
		expect(pathOnBase('https://gateway.dokobit.com/a/b?x=1&y=2', `${base}/`)).toBe('/a/b?x=1&y=2');
	});

	it.each([
		['another host', 'https://evil.com/api/signing/T1/download'],
		['another port', 'https://gateway.dokobit.com:8443/api/signing/T1/download'],
		['another scheme', 'http://gateway.dokobit.com/api/signing/T1/download'],
		['a look-alike host', 'https://gateway.dokobit.com.evil.com/api/signing/T1/download'],
		['a userinfo trick', 'https://gateway.dokobit.com@evil.com/api/signing/T1/download'],
		['a subdomain', 'https://x.gateway.dokobit.com/api'],
		['not a URL', 'gateway.dokobit.com/api'],
		['an empty string', ''],
	])('refuses %s', (_label, url) => {
		expect(isOnBase(url, base)).toBe(false);
		expect(pathOnBase(url, base)).toBeUndefined();
	});

	it('refuses everything when the base itself is not a URL', () => {
		expect(isOnBase('https://gateway.dokobit.com/api', 'not a url')).toBe(false);
	});

	describe('with a path-prefix base (a proxy)', () => {
		const proxy = 'https://proxy.example.com/dokobit/';

		it('accepts URLs under the prefix and strips it', () => {
			const url = 'https://proxy.example.com/dokobit/api/signing/T1/download';
			expect(isOnBase(url, proxy)).toBe(true);
			expect(pathOnBase(url, proxy)).toBe('/api/signing/T1/download');
			expect(pathOnBase('https://proxy.example.com/dokobit', proxy)).toBe('/');
		});

		it.each([
			['a sibling path with the same prefix', 'https://proxy.example.com/dokobit-evil/api'],
			['a path outside the prefix', 'https://proxy.example.com/other/api'],
			['a dot-dot escape', 'https://proxy.example.com/dokobit/../admin'],
			['an encoded dot-dot escape', 'https://proxy.example.com/dokobit/%2e%2e/admin'],
		])('refuses %s', (_label, url) => {
			expect(isOnBase(url, proxy)).toBe(false);
			expect(pathOnBase(url, proxy)).toBeUndefined();
		});
	});
});

describe('toApiError', () => {
	const node: INode = {
		id: 'n1',
		name: 'Node',
		type: 'test',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const api: VendorApi = {
		credentialType: 'testApi',
		vendorName: 'Vendor',
		baseUrl: () => 'https://vendor.example.com',
		errorMessage: (body) => (body as { message?: string })?.message,
		secretFields: ['apiKey'],
	};
	const secret = 'example-api-key-42';
	const failure = (status: number, data: unknown) => ({
		message: `Request failed: GET https://vendor.example.com/x?access_token=${secret}`,
		config: { url: `https://vendor.example.com/x?access_token=${secret}` },
		cause: { response: { status, headers: {}, data } },
	});

	it.each([
		[401, 'Vendor refused the credentials (HTTP 401)'],
		[403, 'Vendor refused the credentials (HTTP 403)'],
		[404, 'Vendor could not find the requested resource (HTTP 404)'],
		[429, 'Vendor rate limit reached (HTTP 429)'],
		[503, 'Vendor answered HTTP 503'],
	])('names HTTP %i clearly, and the item', (status, message) => {
		const error = toApiError(node, api, failure(status, {}), [secret], 2);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(message);
		expect(error.httpCode).toBe(String(status));
		expect(error.context.itemIndex).toBe(2);
	});

	it('names a network failure by its code', () => {
		const error = toApiError(node, api, { code: 'ECONNRESET', message: 'socket hang up' }, [
			secret,
		]);
		// Not n8n's generic text for ECONNRESET: that one names neither the vendor nor the item.
		expect(error.message).toBe('Could not reach Vendor: the connection was closed unexpectedly');
		expect(error.description).toBe('ECONNRESET. The request was read-only and can be run again.');
		expect(error.httpCode).toBeNull();
	});

	it('says a timed-out request timed out, and whether it may have reached the vendor', () => {
		const timeout = { code: 'ECONNABORTED', message: 'timeout of 500ms exceeded' };
		const create = toApiError(node, api, timeout, [secret], 0, {
			timeoutMs: 500,
			idempotent: false,
		});
		expect(create.message).toBe(
			'Vendor did not answer within 0.5 s (timeout); check at Vendor before sending it again',
		);
		expect(create.description).toBe(
			'The request may still have reached Vendor; check there before sending it again.',
		);
		const read = toApiError(node, api, { code: 'ERR_SOCKET_CONNECTION_TIMEOUT' }, [secret]);
		expect(read.message).toBe('Vendor did not answer (timeout)');
		expect(read.description).toBe('The request was read-only and can be run again.');
	});

	it.each([
		['thrown as is', (error: Error) => error],
		['wrapped by the request helper', (error: Error) => ({ message: error.message, cause: error })],
	])(
		'says n8n’s SSRF protection blocked a request, and that a create was not sent (%s)',
		(_form, wrap) => {
			// n8n 2.x (@n8n/backend-network) refuses a restricted host before connecting.
			const blocked = Object.assign(
				new Error('The request was blocked because it resolves to a restricted IP address'),
				{ name: 'SsrfBlockedIpError' },
			);
			const create = toApiError(node, api, wrap(blocked), [secret], 0, { idempotent: false });
			expect(create.message).toBe('n8n’s SSRF protection blocked the request to Vendor');
			expect(create.description).toBe(
				'The request was blocked because it resolves to a restricted IP address. Nothing was sent. ' +
					'Ask your n8n administrator to allow the host (N8N_SSRF_ALLOWED_HOSTNAMES or N8N_SSRF_ALLOWED_IP_RANGES).',
			);
			expect(isRetryable(describeFailure(wrap(blocked)))).toBe(false);
		},
	);

	it('names the input a 404 is about when the vendor knows the path', () => {
		const error = toApiError(
			node,
			{ ...api, subjectOf: (path) => `Signing Token "${path.split('/')[2]}"` },
			failure(404, {}),
			[secret],
			1,
			{ path: '/signing/abc/status' },
		);
		expect(error.message).toBe('Vendor could not find Signing Token "abc" (HTTP 404)');
	});

	it('keeps the vendor message as description, redacted, and drops the request config', () => {
		const error = toApiError(node, api, failure(400, { message: `bad key ${secret}` }), [secret]);
		expect(error.description).toBe('bad key [redacted]');
		const everything = JSON.stringify({ ...error, message: error.message, stack: error.stack });
		expect(everything).not.toContain(secret);
	});
});

describe('vendorRequest when the execution is cancelled', () => {
	const api: VendorApi = {
		credentialType: 'exampleApi',
		vendorName: 'Example',
		baseUrl: () => 'http://127.0.0.1:9',
		errorMessage: () => undefined,
		secretFields: [],
	};

	function cancellableContext() {
		const controller = new AbortController();
		const requests: unknown[] = [];
		let answered: () => void = () => {};
		const firstAnswer = new Promise<void>((resolve) => (answered = resolve));
		const ctx = {
			getNode: () => ({ name: 'Node', credentials: {} }),
			getCredentials: async () => ({}),
			getExecutionCancelSignal: () => controller.signal,
			helpers: {
				async httpRequestWithAuthentication(_type: string, request: unknown) {
					requests.push(request);
					answered();
					throw Object.assign(new Error('Too Many Requests'), {
						response: { status: 429, headers: { 'retry-after': '60' } },
					});
				},
			},
		};
		return { ctx: ctx as unknown as ApiContext, controller, requests, firstAnswer };
	}

	// Retry-After: 60 would hold a read for 30 s (the cap); the cancel must end it at once. The
	// test's default timeout (5 s) is the bound, not a timed assertion.
	it('ends a Retry-After pause at once and sends nothing more', async () => {
		const { ctx, controller, requests, firstAnswer } = cancellableContext();
		const reading = vendorRequest.call(ctx, api, 'GET', '/status', { idempotent: true });
		await firstAnswer;
		// Cancel inside the pause, not before the 429 is handled.
		while (pauseRemainingMs(ctx) === 0) await sleep(0);
		controller.abort(new Error('Execution stopped'));
		await expect(reading).rejects.toThrow('Execution stopped');
		expect(requests).toHaveLength(1);
	});

	it('ends the wait of a read refused alone (Auto) at once; the run was never paused', async () => {
		const { ctx, controller, requests, firstAnswer } = cancellableContext();
		// Two items in a window of four: this read and another one that is at the vendor, so the
		// refusal is about the number in flight. It halves the window to two.
		const limiter = new AdaptiveLimit({}, 4);
		setAdaptiveLimit(ctx, limiter);
		limiter.enter();
		limiter.enter();
		limiter.start('reads');
		const reading = vendorRequest.call(ctx, api, 'GET', '/status', { idempotent: true });
		await firstAnswer;
		while (limiter.stats.waitedAlone === 0) await sleep(0);
		expect(pauseRemainingMs(ctx)).toBe(0);
		// While it waits, its place is free for another item (one of the two left).
		expect(limiter.limit).toBe(2);
		expect(limiter.hasRoom()).toBe(true);
		controller.abort(new Error('Execution stopped'));
		await expect(reading).rejects.toThrow('Execution stopped');
		expect(requests).toHaveLength(1);
		// It took its place back at once: the window is full again until the runner's leave().
		expect(limiter.hasRoom()).toBe(false);
		limiter.leave();
		expect(limiter.hasRoom()).toBe(true);
		setAdaptiveLimit(ctx, undefined);
	});

	it('sends nothing when the execution was cancelled before the request', async () => {
		const { ctx, controller, requests } = cancellableContext();
		pauseRequests(ctx, 60_000);
		controller.abort(new Error('Execution stopped'));
		await expect(
			vendorRequest.call(ctx, api, 'GET', '/status', { idempotent: true }),
		).rejects.toThrow('Execution stopped');
		expect(requests).toHaveLength(0);
	});
});
