// The resume webhook of Send and Wait for Signature / Wait for Signature: hand-built
// IWebhookFunctions (test/nodes/shared/webhookMock.ts) with the execution's custom data, against the
// OKdokument emulator over real HTTP.
import type { IDataObject, INodeType, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { OkDokument } from '../../../nodes/OkDokument/OkDokument.node';
import type { ParsedCallback } from '../../../nodes/OkDokument/helpers/callback';
import {
	EXPIRY_GRACE_MS,
	WAITING_FOR_DOCUMENT,
	WAITING_FOR_ROUND,
	capAtExpiry,
} from '../../../nodes/OkDokument/helpers/wait';
import { isAwaited, verifiedOutcome } from '../../../nodes/OkDokument/helpers/waitCallback';
import { RESUME_PROOF_PARAMETER, legacyResumeProof } from '../../../nodes/shared/resume';
import { startSandbox, type Sandbox } from '../../helpers/sandbox';
import {
	type MockExecution,
	mockWebhookFunctions,
	startWebhookReceiver,
} from '../shared/webhookMock';
import { API_KEY, SIGNED_MARK, answeredCallback, apiRequests, clearLog } from './harness';

const node = new OkDokument();

let sandbox: Sandbox;
let pdf: Buffer;

const base = () => sandbox.url('okdokument');
const credentials = () => ({
	okDokumentApi: { environment: 'custom', baseUrl: base(), apiKey: API_KEY },
});

beforeAll(async () => {
	sandbox = await startSandbox(['okdokument']);
	pdf = Buffer.from(
		await (await fetch(`${sandbox.url('okdokument')}/__files/sample.pdf`)).arrayBuffer(),
	);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

/** What the waiting execution recorded (n8n's execution custom data). */
type Expected = { documentId?: string; round?: string };

function recorded(expected: Expected): Record<string, string> {
	const data: Record<string, string> = {};
	if (expected.documentId !== undefined) data[WAITING_FOR_DOCUMENT] = expected.documentId;
	if (expected.round !== undefined) data[WAITING_FOR_ROUND] = expected.round;
	return data;
}

function customData(expected: Expected) {
	const data = recorded(expected);
	return {
		get: (key: string) => data[key],
		getAll: () => ({ ...data }),
		set: () => {},
		setAll: () => {},
	};
}

const EXECUTION_ID = 'exec-1';
/** The package's proof on this execution's resume URL (nodes/shared/resume.ts). */
const PROOF = { [RESUME_PROOF_PARAMETER]: legacyResumeProof(API_KEY, 'okdokument', EXECUTION_ID) };

async function resume(
	body: unknown,
	expected: Expected,
	parameters: Record<string, unknown> = {},
	headers?: Record<string, string>,
	call: { query?: Record<string, unknown>; execution?: MockExecution } = {},
) {
	const mock = mockWebhookFunctions({
		body,
		headers,
		query: call.query ?? PROOF,
		parameters: { resource: 'signatureRequest', operation: 'createAndWait', ...parameters },
		credentials: credentials(),
		node: { name: 'Send and wait', type: 'n8n-nodes-esign.okDokument' },
		execution: { id: EXECUTION_ID, customData: recorded(expected), ...call.execution },
	});
	const result = await node.webhook!.call(mock.ctx);
	return { result, response: mock.response, requests: mock.requests };
}

interface Created {
	result: string;
	documentId: string;
}

async function createRequest(extra: IDataObject = {}): Promise<Created> {
	const response = await fetch(`${base()}/JSON/signatureRequest`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
		body: JSON.stringify({
			filedata: { filename: 'contract.pdf', content: pdf.toString('base64') },
			...extra,
		}),
	});
	const json = (await response.json()) as Created;
	if (!response.ok) throw new Error(JSON.stringify(json));
	return json;
}

async function act(signatureRequestId: string, action: 'submit' | 'cancel' = 'submit') {
	await sandbox.control(
		'okdokument',
		'POST',
		`/__signature-requests/${signatureRequestId}/${action}`,
		{ signerName: 'Ján Novák' },
	);
}

const waiting = (created: Created): Expected => ({
	documentId: created.documentId,
	round: created.result,
});
/** The documented callback body; `null` leaves out `state`. */
const callbackOf = (created: Created, state: string | null = 'signed'): IDataObject => ({
	...(state === null ? {} : { state }),
	id: created.documentId,
	signatureRequestId: created.result,
});

const resumed = (result: IWebhookResponseData) => result.workflowData?.[0]?.[0];

async function metadataCalls(documentId: string): Promise<number> {
	return (await apiRequests(sandbox)).filter(
		(r) => r.path === `/JSON/document/metadata/${documentId}`,
	).length;
}

describe('OKdokument wait: helpers', () => {
	const callback = (extra: Partial<ParsedCallback> = {}): ParsedCallback => ({
		id: 'doc-1',
		signatureRequestId: 'round-1',
		state: 'signed',
		...extra,
	});

	it('matches the awaited document and, when known, its round', () => {
		expect(isAwaited(callback(), { documentId: 'doc-1', round: 'round-1' })).toBe(true);
		expect(isAwaited(callback(), { documentId: 'doc-1' })).toBe(true);
		expect(isAwaited(callback(), { documentId: 'doc-2', round: 'round-1' })).toBe(false);
		expect(isAwaited(callback(), { documentId: 'doc-1', round: 'round-2' })).toBe(false);
		// A callback without a round is judged by the document.
		const noRound = callback({ signatureRequestId: undefined });
		expect(isAwaited(noRound, { documentId: 'doc-1', round: 'round-1' })).toBe(true);
		// The round alone (the create gave no document id) identifies it too, but only with a round.
		expect(isAwaited(callback({ id: 'other' }), { round: 'round-1' })).toBe(true);
		expect(isAwaited(noRound, { round: 'round-1' })).toBe(false);
		// Nothing recorded: nothing is awaited.
		expect(isAwaited(callback(), {})).toBe(false);
	});

	it('accepts only a final state the metadata bears out', () => {
		const meta = (state: string) => ({ id: 'doc-1', state });
		expect(verifiedOutcome(callback(), meta('signed'))).toBe('signed');
		expect(verifiedOutcome(callback({ state: 'canceled' }), meta('canceled'))).toBe('canceled');
		expect(verifiedOutcome(callback({ state: undefined }), meta('canceled'))).toBe('canceled');
		expect(verifiedOutcome(callback({ state: 'canceled' }), meta('signed'))).toBeUndefined();
		expect(verifiedOutcome(callback(), meta('canceled'))).toBeUndefined();
		for (const pending of ['tosign', 'tags', 'tostamp', 'whatever'])
			expect(verifiedOutcome(callback(), meta(pending))).toBeUndefined();
		// errorsendinfo hides the outcome, so the callback's state cannot contradict it.
		expect(verifiedOutcome(callback(), meta('errorsendinfo'))).toBe('errorsendinfo');
		expect(verifiedOutcome(callback({ state: 'canceled' }), meta('errorsendinfo'))).toBe(
			'errorsendinfo',
		);
	});

	it('caps the wait shortly after an explicit link expiry', () => {
		const limit = new Date('2030-01-10T00:00:00Z');
		expect(capAtExpiry(limit, undefined)).toBe(limit);
		expect(capAtExpiry(limit, 'not a date')).toBe(limit);
		expect(capAtExpiry(limit, '2030-01-02T00:00:00.000Z').getTime()).toBe(
			Date.parse('2030-01-02T00:00:00Z') + EXPIRY_GRACE_MS,
		);
		expect(capAtExpiry(limit, '2030-02-01T00:00:00.000Z')).toBe(limit);
	});
});

describe('OKdokument wait: the resume webhook', () => {
	it('registers the resume call for POST only (n8n answers other methods itself)', () => {
		expect(node.description.webhooks?.map((webhook) => webhook.httpMethod)).toEqual(['POST']);
	});

	it('resumes on n8n before 2.16, reading what it waits for through $execution.customData', async () => {
		const created = await createRequest();
		await act(created.result);
		const { result } = await resume(
			callbackOf(created),
			waiting(created),
			{ waitOptions: { downloadSignedFile: false } },
			undefined,
			{ execution: { customDataApi: 'additionalKeys' } },
		);
		expect(resumed(result)?.json).toMatchObject({ outcome: 'signed' });
	});

	it.each([
		['no proof', {}],
		['a wrong proof', { [RESUME_PROOF_PARAMETER]: 'f'.repeat(64) }],
		[
			'the proof of another execution',
			{ [RESUME_PROOF_PARAMETER]: legacyResumeProof(API_KEY, 'okdokument', 'exec-2') },
		],
		['only an n8n signature', { signature: 'a'.repeat(64) }],
	])(
		'refuses (401, nothing asked, still waiting) a real "signed" callback with %s',
		async (_, query) => {
			const created = await createRequest();
			await act(created.result);
			await clearLog(sandbox);
			const { result, response } = await resume(
				callbackOf(created),
				waiting(created),
				{},
				undefined,
				{ query },
			);
			expect(response.statusCode).toBe(401);
			expect(resumed(result)).toBeUndefined();
			expect(await apiRequests(sandbox)).toEqual([]);
		},
	);

	it('resumes on a verified "signed" with the normalized event, the outcome and the signed PDF', async () => {
		const created = await createRequest();
		await act(created.result);
		const { result, response } = await resume(callbackOf(created), waiting(created), {
			waitOptions: { binaryPropertyName: 'signed' },
		});
		expect(response).toMatchObject({ statusCode: 200, written: true });
		expect(result.noWebhookResponse).toBe(true);
		const item = resumed(result)!;
		expect(item.json).toMatchObject({
			outcome: 'signed',
			vendor: 'okdokument',
			event: 'document.completed',
			documentId: created.documentId,
			signer: { id: created.result },
			verified: true,
			status: { state: 'signed', id: created.documentId },
			dedupeKey: `okdokument:${created.documentId}:document.completed:${created.result}`,
			raw: { body: callbackOf(created), query: {} },
			files: [{ kind: 'signed', name: 'contract.pdf' }],
		});
		const file = item.binary!.signed;
		expect(file.mimeType).toBe('application/pdf');
		expect(Buffer.from(file.data, 'base64').toString('latin1')).toContain(SIGNED_MARK);
		expect(JSON.stringify(item.json)).not.toContain(API_KEY);
	});

	it('resumes on "signed" without the file when Download Signed File is off', async () => {
		const created = await createRequest();
		await act(created.result);
		const { result, requests } = await resume(callbackOf(created), waiting(created), {
			waitOptions: { downloadSignedFile: false },
		});
		expect(resumed(result)?.json.outcome).toBe('signed');
		expect(resumed(result)?.binary).toBeUndefined();
		expect(requests).toHaveLength(1); // the metadata only
	});

	it('resumes on a verified "canceled" (also spelled "cancelled") with no file', async () => {
		const created = await createRequest();
		await act(created.result, 'cancel');
		const { result } = await resume(callbackOf(created, 'cancelled'), waiting(created));
		expect(resumed(result)?.json).toMatchObject({
			outcome: 'canceled',
			event: 'document.declined',
			verified: true,
		});
		expect(resumed(result)?.binary).toBeUndefined();
	});

	it('takes the outcome from the metadata when the callback names no state', async () => {
		const created = await createRequest();
		await act(created.result, 'cancel');
		const { result } = await resume(callbackOf(created, null), waiting(created));
		expect(resumed(result)?.json.outcome).toBe('canceled');
	});

	it('resumes with "errorsendinfo" (document.failed, no file) once OKdokument gave up calling back', async () => {
		const created = await createRequest({ sendInfoURL: 'http://127.0.0.1:9/unreachable' });
		await act(created.result);
		let state = '';
		for (let i = 0; i < 300 && state !== 'errorsendinfo'; i++) {
			await sleep(10);
			state = (
				(await (
					await fetch(`${base()}/JSON/document/metadata/${created.documentId}`, {
						headers: { 'x-api-key': API_KEY },
					})
				).json()) as { state: string }
			).state;
		}
		expect(state).toBe('errorsendinfo');
		const { result, response } = await resume(callbackOf(created), waiting(created));
		expect(response.statusCode).toBe(200);
		expect(resumed(result)?.json).toMatchObject({
			outcome: 'errorsendinfo',
			event: 'document.failed',
			documentId: created.documentId,
			signer: { id: created.result },
			verified: true,
			dedupeKey: `okdokument:${created.documentId}:document.failed:${created.result}`,
			status: { state: 'errorsendinfo' },
		});
		expect(resumed(result)?.binary).toBeUndefined();
	});

	it('keeps waiting (200) when the document is still pending, whatever the callback claims', async () => {
		const created = await createRequest();
		for (const state of ['signed', 'canceled', null]) {
			const { result, response } = await resume(callbackOf(created, state), waiting(created));
			expect(response).toMatchObject({ statusCode: 200, body: { received: true } });
			expect(result.workflowData).toBeUndefined();
		}
		expect(await metadataCalls(created.documentId)).toBe(3);
	});

	it('keeps waiting when the callback contradicts the verified state', async () => {
		const created = await createRequest();
		await act(created.result);
		const { result, response } = await resume(callbackOf(created, 'canceled'), waiting(created));
		expect(response.statusCode).toBe(200);
		expect(result.workflowData).toBeUndefined();
	});

	it('ignores (200, nothing asked) a callback for another document or another round', async () => {
		const mine = await createRequest();
		const other = await createRequest();
		await act(other.result);
		for (const body of [
			callbackOf(other),
			{ ...callbackOf(mine), signatureRequestId: other.result },
		]) {
			const { result, response, requests } = await resume(body, waiting(mine));
			expect(response).toMatchObject({ statusCode: 200, body: { received: true } });
			expect(result.workflowData).toBeUndefined();
			expect(requests).toHaveLength(0);
		}
	});

	it('ignores every callback when the execution recorded nothing to wait for', async () => {
		const created = await createRequest();
		await act(created.result);
		const { result, requests } = await resume(callbackOf(created), {});
		expect(result.workflowData).toBeUndefined();
		expect(requests).toHaveLength(0);
	});

	const malformed: Array<[string, unknown, Record<string, string> | undefined, string]> = [
		['an empty body', {}, undefined, 'Missing id'],
		['a body without id', { state: 'signed' }, undefined, 'Missing id'],
		['a malformed id', { state: 'signed', id: 'a b' }, undefined, 'Malformed id'],
		['an unknown state', { state: 'burnt', id: 'doc-1' }, undefined, 'Unknown state "burnt"'],
		['a form body', 'state=signed', { 'content-type': 'application/x-www-form-urlencoded' }, ''],
	];
	it.each(malformed)(
		'answers 400 to %s and keeps waiting',
		async (_name, body, headers, message) => {
			const { result, response, requests } = await resume(
				body,
				{ documentId: 'doc-1', round: 'r1' },
				{},
				headers,
			);
			expect(response.statusCode).toBe(400);
			if (message) expect(response.body).toEqual({ message });
			expect(result.workflowData).toBeUndefined();
			expect(requests).toHaveLength(0);
		},
	);

	it('answers 413 to an oversized body and keeps waiting', async () => {
		const { result, response, requests } = await resume(
			{ state: 'signed', id: 'doc-1', padding: 'x'.repeat(70_000) },
			{ documentId: 'doc-1', round: 'r1' },
			{},
			{ 'content-type': 'application/json', 'content-length': '70050' },
		);
		expect(response.statusCode).toBe(413);
		expect(response.body).toEqual({ message: 'Body is larger than 64 KiB' });
		expect(result.workflowData).toBeUndefined();
		expect(requests).toHaveLength(0);
	});

	it('answers 503 (one bounded attempt) when the metadata cannot be read, and keeps waiting', async () => {
		const created = await createRequest();
		await act(created.result);
		await sandbox.control('okdokument', 'POST', '/__faults', {
			match: { method: 'GET', path: '^/JSON/document/metadata/' },
			action: { status: 500 },
		});
		try {
			const { result, response } = await resume(callbackOf(created), waiting(created));
			expect(response).toMatchObject({
				statusCode: 503,
				body: { message: 'Could not verify the callback' },
			});
			expect(result.workflowData).toBeUndefined();
			expect(await metadataCalls(created.documentId)).toBe(1);
		} finally {
			await sandbox.control('okdokument', 'DELETE', '/__faults');
		}
	});

	it('acknowledges (200) a callback for a document OKdokument no longer has', async () => {
		const gone = { id: 'deleted-document-0001', state: 'signed', signatureRequestId: 'r1' };
		const { result, response } = await resume(gone, {
			documentId: 'deleted-document-0001',
			round: 'r1',
		});
		expect(response.statusCode).toBe(200);
		expect(result.workflowData).toBeUndefined();
	});

	it('still resumes, saying why, when the signed file cannot be downloaded after the answer', async () => {
		const created = await createRequest();
		await act(created.result);
		await sandbox.control('okdokument', 'POST', '/__faults', {
			match: { method: 'GET', path: '^/JSON/document/[^/]+$' },
			action: { status: 403, body: { message: 'err.forbidden', value: 'download' } },
		});
		try {
			const { result, response } = await resume(callbackOf(created), waiting(created));
			expect(response.statusCode).toBe(200);
			const item = resumed(result)!;
			expect(item.json.outcome).toBe('signed');
			expect(item.json.downloadError).toEqual(expect.any(String));
			expect(item.binary).toBeUndefined();
		} finally {
			await sandbox.control('okdokument', 'DELETE', '/__faults');
		}
	});
});

describe('OKdokument wait: the emulator’s own callback', () => {
	it('is answered 200 and resumes once; the document stays "signed" (no errorsendinfo)', async () => {
		const created = { documentId: '', result: '' };
		const expected: Expected = {};
		// The node as n8n runs it on a resume: the waiting execution's custom data is on the context.
		const waitingNode: INodeType = {
			description: node.description,
			async webhook(this: IWebhookFunctions) {
				Object.assign(this, { customData: customData(expected) });
				return await node.webhook.call(this);
			},
		};
		const receiver = await startWebhookReceiver(waitingNode, {
			parameters: { resource: 'signatureRequest', operation: 'createAndWait' },
			credentials: credentials(),
		});
		try {
			Object.assign(
				created,
				await createRequest({
					sendInfoURL: `${receiver.url}/webhook-waiting/42?signature=${'a'.repeat(64)}&${RESUME_PROOF_PARAMETER}=${PROOF[RESUME_PROOF_PARAMETER]}`,
				}),
			);
			Object.assign(expected, waiting(created));
			await act(created.result);
			// Settled, not merely answered: the node answers before it downloads the signed file.
			const [delivery] = await receiver.settled(1);
			expect(delivery.query).toEqual({ signature: 'a'.repeat(64), ...PROOF });
			expect(delivery.response.statusCode).toBe(200);
			expect(receiver.executions()).toHaveLength(1);
			expect(resumed(delivery.result!)?.json).toMatchObject({
				outcome: 'signed',
				raw: { query: {} },
			});
			// OKdokument judges the callback by the answer it reads back; wait until it has.
			expect(await answeredCallback(sandbox, created.result)).toEqual({
				attempts: 1,
				lastStatus: 200,
				ok: true,
			});
			expect(receiver.deliveries).toHaveLength(1);
			const meta = (await (
				await fetch(`${base()}/JSON/document/metadata/${created.documentId}`, {
					headers: { 'x-api-key': API_KEY },
				})
			).json()) as { state: string };
			expect(meta.state).toBe('signed');
		} finally {
			await receiver.close();
		}
	});
});
