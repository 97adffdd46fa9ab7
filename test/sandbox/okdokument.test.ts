// The OKdokument emulator's contract (docs/vendor-apis.md › OKdokument), checked over HTTP: the
// node tests rely on it being as strict as the real service.
import { sleep } from 'n8n-workflow';
import { startSandbox, type Sandbox } from '../helpers/sandbox';

const KEY = 'example-okdokument-key';
const DAY = 24 * 3600_000;

let sandbox: Sandbox;
/** The emulator checks the PDF signature only; a tiny PDF-shaped file keeps the tables readable. */
const pdf = Buffer.from('%PDF-1.4\n%sandbox contract\n%%EOF\n');
const base = () => sandbox.url('okdokument');

beforeAll(async () => {
	sandbox = await startSandbox(['okdokument'], {
		// 3 s of real time in 'tags': long enough that a loaded machine still sees the state before it
		// moves on (the test polls for the move; it never sleeps a fixed time).
		options: { tagsDelayMs: 3_000_000, availableSignatureRequests: 50 },
	});
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await sandbox.control('okdokument', 'POST', '/__reset'));

async function call(
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = { 'x-api-key': KEY },
) {
	const response = await fetch(`${base()}${path}`, {
		method,
		redirect: 'manual',
		headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = text;
	}
	return {
		status: response.status,
		json: json as Record<string, unknown>,
		headers: response.headers,
	};
}

const file = (extra: Record<string, unknown> = {}) => ({
	filedata: { filename: 'a.pdf', content: pdf.toString('base64'), ...extra },
});

async function created(body: Record<string, unknown> = file()) {
	const answer = await call('POST', '/JSON/signatureRequest', body);
	expect(answer.status).toBe(200);
	return answer.json as { result: string; documentId: string; url: string; message: string };
}

describe('OKdokument emulator', () => {
	it('authenticates /JSON with x-api-key only: 401 without, 403 restricted; /openDocument is open', async () => {
		expect((await call('GET', '/JSON/counter', undefined, {})).json).toEqual({
			message: 'err.unauthorized',
			value: '',
		});
		expect((await call('GET', `/JSON/counter?x-api-key=${KEY}`, undefined, {})).status).toBe(401);
		expect(
			(
				await call('GET', '/JSON/counter', undefined, {
					'x-api-key': 'example-okdokument-restricted-key',
				})
			).status,
		).toBe(403);
		const request = await created();
		const open = await call('GET', `/openDocument/${request.result}`, undefined, {});
		expect(open.status).toBe(302);
		expect(open.headers.get('location')).toBe(`${base()}/viewDocument?id=${request.documentId}`);
	});

	it('answers a signature request create in the documented shape', async () => {
		const request = await created();
		expect(request).toEqual({
			message: 'msg.signature.request.id.created',
			result: expect.stringMatching(/^[0-9a-f-]{36}$/),
			url: `${base()}/openDocument/${request.result}`,
			documentId: expect.stringMatching(/^[A-Za-z0-9_-]{39}$/),
		});
	});

	it.each([
		['an unknown top-level field', { ...file(), colour: 'red' }, 'err.unknown.field', 'colour'],
		['an unknown filedata field', file({ pages: 2 }), 'err.unknown.field', 'filedata.pages'],
		[
			'both filedata and id',
			{ ...file(), id: 'x' },
			'err.invalid.request',
			'exactly one of filedata or id',
		],
		['neither filedata nor id', {}, 'err.invalid.request', 'exactly one of filedata or id'],
		[
			'broken base64',
			{ filedata: { content: 'JVBER%%' } },
			'err.file.invalid.base64',
			'filedata.content',
		],
		[
			'a file that is not a PDF',
			{ filedata: { content: Buffer.from('hello!').toString('base64') } },
			'err.file.not.pdf',
			'',
		],
		['a DOCX name on PDF bytes', file({ filename: 'a.docx' }), 'err.file.invalid.format', 'a.docx'],
		['an unknown state', file({ state: 'signed' }), 'err.invalid.state', 'signed'],
		[
			'an expiration in the past',
			{ ...file(), expirationTime: '1000000000000' },
			'err.invalid.expiration.time',
			'1000000000000',
		],
		['an unknown rule', { ...file(), rules: { autoSign: true } }, 'err.unknown.rule', 'autoSign'],
		[
			'emailTo without emailFrom',
			{ ...file(), rules: { emailTo: 'a@example.com' } },
			'err.rules.emailFrom.required',
			'emailFrom',
		],
		[
			'a bad OTP phone',
			{ ...file(), rules: { signOtpPhone: '0905123456' } },
			'err.invalid.rule',
			'signOtpPhone',
		],
		[
			'a bad text tag',
			{ ...file(), allowedFields: { SIGNATURE: '_SO1_;_SO9_' } },
			'err.invalid.field.name',
			'_SO9_',
		],
		[
			'an unknown ignoreRequired type',
			{ ...file(), ignoreRequired: ['PHOTO'] },
			'err.invalid.ignore.required',
			'["PHOTO"]',
		],
		[
			'the reserved request ID "off"',
			{ ...file(), signatureRequestId: 'off' },
			'err.invalid.signature.request.id',
			'off',
		],
	])('refuses %s with 400 in the vendor’s shape', async (_label, body, message, value) => {
		const answer = await call('POST', '/JSON/signatureRequest', body);
		expect([answer.status, answer.json]).toEqual([400, { message, value }]);
		expect(await sandbox.control('okdokument', 'GET', '/__documents')).toEqual([]);
	});

	it('takes rules in the connector’s string form', async () => {
		await created({ ...file(), rules: 'signAnywhereEnabled-false_lang-sk' });
		const [request] = await sandbox.control<Array<{ rules: unknown }>>(
			'okdokument',
			'GET',
			'/__signature-requests',
		);
		expect(request.rules).toEqual({ signAnywhereEnabled: false, lang: 'sk' });
	});

	it('refuses files over 10 MB', async () => {
		const big = Buffer.concat([pdf, Buffer.alloc(10 * 1024 * 1024 - pdf.length + 1, 0x20)]);
		const answer = await call('POST', '/JSON/signatureRequest', {
			filedata: { content: big.toString('base64') },
		});
		expect(answer.json).toEqual({ message: 'err.file.too.large', value: String(big.length) });
	});

	it('refuses a repeated signature request ID with 409', async () => {
		await created({ ...file(), signatureRequestId: 'same-id' });
		const again = await call('POST', '/JSON/signatureRequest', {
			...file(),
			signatureRequestId: 'same-id',
		});
		expect([again.status, again.json]).toEqual([
			409,
			{ message: 'err.signature.request.id.exists', value: 'same-id' },
		]);
	});

	it('moves tags → tosign after the configured delay, in vendor time', async () => {
		const request = await created(file({ state: 'tags' }));
		const meta = async () =>
			(await call('GET', `/JSON/document/metadata/${request.documentId}`)).json.state;
		expect(await meta()).toBe('tags');
		// Signing is refused while OKdokument still prepares the document.
		expect((await call('GET', `/openDocument/${request.result}`, undefined, {})).status).toBe(400);
		let state = await meta();
		for (const until = Date.now() + 30_000; state !== 'tosign' && Date.now() < until; ) {
			await sleep(20);
			state = await meta();
		}
		expect(state).toBe('tosign');
	});

	it('runs the rounds: changeState only from signed, a finished request is closed', async () => {
		const round1 = await created();
		const early = await call('POST', '/JSON/signatureRequest', {
			id: round1.documentId,
			changeState: 'tosign',
		});
		expect(early.json).toEqual({ message: 'err.invalid.change.state', value: 'tosign -> tosign' });
		const done = await sandbox.control<{ redirect: string }>(
			'okdokument',
			'POST',
			`/__signature-requests/${round1.result}/submit`,
		);
		expect(Object.fromEntries(new URL(done.redirect).searchParams)).toEqual({
			name: 'a',
			docid: round1.documentId,
			lang: 'en',
			result: 'success',
			ts: expect.stringMatching(/^\d+$/),
		});
		expect((await call('GET', `/openDocument/${round1.result}`, undefined, {})).status).toBe(400);
		const round2 = await created({ id: round1.documentId, changeState: 'tosign' });
		expect(round2.documentId).toBe(round1.documentId);
		const meta = await call('GET', `/JSON/document/metadata/${round1.documentId}`);
		expect(meta.json.state).toBe('tosign');
	});

	it('closes a request at its expiration time', async () => {
		const request = await created({ ...file(), expirationTime: String(Date.now() + 3600_000) });
		await sandbox.control('okdokument', 'POST', '/__clock', { advanceMs: 3600_000 + 1000 });
		expect((await call('GET', `/openDocument/${request.result}`, undefined, {})).status).toBe(400);
	});

	it('deletes documents by retention: unsigned after 30 days, signed 10 days after signing', async () => {
		const unsigned = await created();
		const signed = await created();
		await sandbox.control('okdokument', 'POST', `/__signature-requests/${signed.result}/submit`);
		await sandbox.control('okdokument', 'POST', '/__clock', { advanceMs: 10 * DAY });
		expect((await call('GET', `/JSON/document/metadata/${signed.documentId}`)).status).toBe(404);
		expect((await call('GET', `/JSON/document/metadata/${unsigned.documentId}`)).status).toBe(200);
		await sandbox.control('okdokument', 'POST', '/__clock', { advanceMs: 20 * DAY });
		expect((await call('GET', `/JSON/document/${unsigned.documentId}`)).json).toEqual({
			message: 'err.not.found',
			value: unsigned.documentId,
		});
	});

	it('stores JSON documents and registers callbacks the connector’s way', async () => {
		const stored = await call('POST', '/JSON/document', {
			filename: 'x.pdf',
			file: { $content: pdf.toString('base64') },
		});
		expect(stored.json).toEqual({
			code: 'SUCCESS',
			message: 'msg.document.created',
			result: expect.any(String),
			statusCode: 200,
			success: true,
		});
		const request = await created({ id: stored.json.result });
		const k12 = await call('POST', `/JSON/signatureRequest/${request.result}`, {
			sendInfoURL: 'https://example.com/cb',
		});
		expect(k12.json).toEqual({ message: 'msg.updated', result: request.result });
		const k2 = await call('PATCH', '/JSON/signatureRequest', {
			signatureRequestId: request.result,
			sendInfoUrl: 'https://example.com/cb2',
		});
		expect(k2.json).toEqual({
			message: 'msg.updated',
			result: request.result,
			url: `${base()}/${request.result}`,
		});
	});

	it('serves the signed file, one PDF signature per round, also when the callback failed; a cancel leaves the file', async () => {
		const refused = 'http://127.0.0.1:9/sendinfo';
		const signed = await created({ ...file(), sendInfoURL: refused });
		const canceled = await created({ ...file(), sendInfoURL: refused });
		const act = async (id: string, action: string) =>
			await sandbox.control('okdokument', 'POST', `/__signature-requests/${id}/${action}`, {
				signerName: 'Ján Novák',
			});
		await act(signed.result, 'submit');
		await act(canceled.result, 'cancel');
		const state = async (id: string) =>
			(await call('GET', `/JSON/document/metadata/${id}`)).json.state;
		// The refused callbacks are recorded asynchronously.
		const until = Date.now() + 8000;
		const both = async () => [await state(signed.documentId), await state(canceled.documentId)];
		while ((await both()).some((s) => s !== 'errorsendinfo') && Date.now() < until) await sleep(10);
		expect(await both()).toEqual(['errorsendinfo', 'errorsendinfo']);
		const bytesOf = async (id: string) =>
			Buffer.from(
				await (
					await fetch(`${base()}/JSON/document/${id}`, { headers: { 'x-api-key': KEY } })
				).arrayBuffer(),
			);
		const signedFile = await bytesOf(signed.documentId);
		expect(signedFile.subarray(0, pdf.length).equals(pdf)).toBe(true);
		const text = signedFile.toString('latin1');
		const range = /\/ByteRange \[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/
			.exec(text)!
			.slice(1)
			.map(Number);
		expect(range[0]).toBe(0);
		expect(range[2] + range[3]).toBe(signedFile.length);
		expect([text[range[1]], text[range[2] - 1]]).toEqual(['<', '>']);
		expect(text).toMatch(/\/Type \/Sig .*\/M \(D:\d{14}\+00'00'\)/);
		expect((await bytesOf(canceled.documentId)).equals(pdf)).toBe(true);
		// Strict: the document and metadata GETs take no query parameters.
		for (const path of [`/JSON/document/${signed.documentId}`, `/JSON/document/metadata/x`]) {
			expect((await call('GET', `${path}?format=pdf`)).json).toEqual({
				message: 'err.unknown.field',
				value: 'format',
			});
		}
	});

	it('lists by state and refuses an unknown one', async () => {
		await created();
		expect(
			((await call('GET', '/JSON/list/flat?state=tosign')).json as unknown as unknown[]).length,
		).toBe(1);
		expect((await call('GET', '/JSON/list/flat?state=done')).json).toEqual({
			message: 'err.invalid.state',
			value: 'done',
		});
		expect((await call('GET', '/JSON/list/flat')).status).toBe(400);
	});
});
