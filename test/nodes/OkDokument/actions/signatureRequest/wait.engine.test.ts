/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// Send and Wait for Signature / Wait for Signature, execute side, through n8n-core's engine: what
// is sent, what the execution records before it waits, and every refusal before anything is sent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
} from 'n8n-workflow';
import { WAIT_INDEFINITELY, sleep } from 'n8n-workflow';
import { OkDokumentApi } from '../../../../../credentials/OkDokumentApi.credentials';
import { OkDokument } from '../../../../../nodes/OkDokument/OkDokument.node';
import {
	EXPIRY_GRACE_MS,
	WAITING_FOR_DOCUMENT,
	WAITING_FOR_ROUND,
} from '../../../../../nodes/OkDokument/helpers/wait';
import { errorOf, outputOf, runWorkflow } from '../../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	RESUME_DIGESTS_KEY,
	RESUME_PROOF_PARAMETER,
	proofDigest,
} from '../../../../../nodes/shared/resume';
import {
	SIGNED_MARK,
	apiRequests,
	clearLog,
	createRequest,
	credentials,
	emulatorDocuments,
	fileItem,
	runOkDokument,
	samplePdf,
	signerAction,
} from '../../harness';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['okdokument']);
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

/**
 * The engine harness's resume URL: webhookWaitingBaseUrl, execution id, n8n's token, and the
 * package's random proof for this wait.
 */
const RESUME_URL = new RegExp(
	`^http://127\\.0\\.0\\.1:5678/webhook-waiting/exec-engine\\?signature=[0-9a-f]{64}&${RESUME_PROOF_PARAMETER}=[0-9a-f]{64}$`,
);

const sendAndWait = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'signatureRequest',
	operation: 'createAndWait',
	documentSource: 'upload',
	fileSource: 'binary',
	binaryPropertyName: 'data',
	...extra,
});
const waitFor = (documentId: string, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'signatureRequest',
	operation: 'waitForSignature',
	documentId,
	...extra,
});

const metadataOf = (run: IRun) => run.data.resultData.metadata ?? {};
const creates = async () =>
	(await apiRequests(sandbox)).filter(
		(r) => r.method === 'POST' && r.path === '/JSON/signatureRequest',
	);

async function documentState(documentId: string): Promise<string | undefined> {
	return (await emulatorDocuments(sandbox)).find((d) => d.id === documentId)?.state;
}

describe('OKdokument → Send and Wait for Signature (execute side)', () => {
	it('Create adds the proof to a Callback URL that is this execution’s resume URL, and masks it in its output', async () => {
		const run = await runOkDokument(
			sandbox,
			{
				...sendAndWait({ operation: 'create' }),
				options: { callbackUrl: '={{ $execution.resumeUrl }}' },
			},
			[fileItem(pdf)],
		);
		expect(errorOf(run)).toBeUndefined();
		const [sent] = await creates();
		expect(sent.body.sendInfoURL).toMatch(RESUME_URL);
		const [item] = outputOf(run);
		expect(item.json.callbackUrl).toMatch(
			new RegExp(
				`/webhook-waiting/exec-engine\\?signature=\\*\\*\\*&${RESUME_PROOF_PARAMETER}=\\*\\*\\*$`,
			),
		);
	});

	it('Create leaves any other Callback URL as given', async () => {
		const callbackUrl = 'https://hooks.example.com/okdokument?x=1';
		const run = await runOkDokument(
			sandbox,
			{ ...sendAndWait({ operation: 'create' }), options: { callbackUrl } },
			[fileItem(pdf)],
		);
		expect(errorOf(run)).toBeUndefined();
		expect((await creates())[0].body.sendInfoURL).toBe(callbackUrl);
		expect(outputOf(run)[0].json.callbackUrl).toBe(callbackUrl);
	});

	it('creates the request with the resume URL as sendInfoURL, records the wait and waits', async () => {
		const run = await runOkDokument(sandbox, sendAndWait(), [fileItem(pdf)]);
		expect(errorOf(run)).toBeUndefined();
		expect(run.status).toBe('waiting');
		expect(run.waitTill).toEqual(WAIT_INDEFINITELY);

		const [sent] = await creates();
		expect(sent.body.sendInfoURL).toMatch(RESUME_URL);
		const [item] = outputOf(run);
		expect(item.json).toMatchObject({
			signatureRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
			documentId: expect.any(String),
			signingUrl: expect.stringContaining('/openDocument/'),
			waitingFor: 'the signer to sign or cancel',
		});
		// The resume URL is a capability: not in the output.
		expect(JSON.stringify(item.json)).not.toContain('webhook-waiting');
		const proof = new URL(sent.body.sendInfoURL as string).searchParams.get(RESUME_PROOF_PARAMETER);
		expect(metadataOf(run)).toEqual({
			[WAITING_FOR_DOCUMENT]: item.json.documentId,
			[WAITING_FOR_ROUND]: item.json.signatureRequestId,
			[RESUME_DIGESTS_KEY]: proofDigest(String(proof)),
		});
	});

	it.each([
		[
			'the Signer Name',
			{ signerName: 'Mária Kováčová', emailTo: 'maria@example.com' },
			'Mária Kováčová',
		],
		[
			'the Signer E-Mail without a name',
			{ emailTo: 'maria@example.com', emailFrom: 'contracts@example.com' },
			'maria@example.com',
		],
		['“Signer” with neither', {}, 'Signer'],
	])('the waiting hint names the signer by %s', async (_case, rules, label) => {
		const run = await runOkDokument(
			sandbox,
			sendAndWait({ rules: { emailFrom: 'contracts@example.com', ...rules } }),
			[fileItem(pdf)],
		);
		expect(errorOf(run)).toBeUndefined();
		expect(run.status).toBe('waiting');
		const url = String(outputOf(run)[0].json.signingUrl);
		const hints = run.data.resultData.runData.Node?.[0]?.hints ?? [];
		expect(hints.map((hint) => hint.message)).toEqual([
			`Signing link (send it to the signer):<br>${label}: <a href="${url}" target="_blank" rel="noopener">${url}</a>`,
		]);
	});

	it('ignores a Callback URL left in the options: the resume URL always wins', async () => {
		const run = await runOkDokument(
			sandbox,
			sendAndWait({ options: { callbackUrl: 'not a url', signatureRequestId: 'round-1-x' } }),
			[fileItem(pdf)],
		);
		expect(errorOf(run)).toBeUndefined();
		const [sent] = await creates();
		expect(sent.body).toMatchObject({
			sendInfoURL: expect.stringMatching(RESUME_URL),
			signatureRequestId: 'round-1-x',
		});
		expect(metadataOf(run)[WAITING_FOR_ROUND]).toBe('round-1-x');
	});

	it('ends the wait at the wait limit, or shortly after an explicit link expiry if that is sooner', async () => {
		const before = Date.now();
		const limited = await runOkDokument(
			sandbox,
			sendAndWait({
				limitWaitTime: {
					values: { limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'hours' },
				},
			}),
			[fileItem(pdf)],
		);
		const till = (limited.waitTill as Date).getTime();
		expect(till).toBeGreaterThanOrEqual(before + 2 * 3600_000);
		expect(till).toBeLessThan(Date.now() + 2 * 3600_000 + 1000);

		// When the limit passes, n8n runs the waiting execution on without calling the node: what it
		// passes on is the explicit timeout, with the document's identity and no capability.
		const waited = outputOf(limited)[0].json;
		const ended = await runOkDokument(sandbox, {}, [], { resumeAtWaitTill: limited });
		expect(ended.status).toBe('success');
		const [timeout, ...more] = outputOf(ended);
		expect(more).toEqual([]);
		expect(timeout.json).toEqual({
			outcome: 'timeout',
			waitedUntil: new Date(till).toISOString(),
			documentId: waited.documentId,
			signatureRequestId: waited.signatureRequestId,
			signingUrl: waited.signingUrl,
			...Object.fromEntries(
				Object.entries(waited).filter(([key]) => !['waitingFor'].includes(key)),
			),
		});
		expect(JSON.stringify(timeout.json)).not.toMatch(/webhook-waiting|esignProof|signature=/);

		const expires = Math.floor((Date.now() + 3600_000) / 1000) * 1000;
		const capped = await runOkDokument(
			sandbox,
			sendAndWait({ options: { expiresAt: new Date(expires).toISOString() } }),
			[fileItem(pdf)],
		);
		expect(capped.status).toBe('waiting');
		expect((capped.waitTill as Date).getTime()).toBe(expires + EXPIRY_GRACE_MS);
		expect(outputOf(capped)[0].json.expiresAt).toBe(new Date(expires).toISOString());
	});

	const refusals: Record<string, { parameters: INodeParameters; items?: number; message: RegExp }> =
		{
			'two items': {
				parameters: sendAndWait(),
				items: 2,
				message: /handles one signature request per execution; this node received 2 items/,
			},
			'a wait limit in the past': {
				parameters: sendAndWait({
					limitWaitTime: {
						values: { limitType: 'atSpecifiedTime', maxDateAndTime: '2020-01-01T00:00:00Z' },
					},
				}),
				message: /Limit Wait Time › Max Date and Time is in the past/,
			},
			'a wait limit of zero': {
				parameters: sendAndWait({
					limitWaitTime: {
						values: { limitType: 'afterTimeInterval', resumeAmount: 0, resumeUnit: 'hours' },
					},
				}),
				message: /Limit Wait Time › Amount must be a positive number/,
			},
			'a bad signer e-mail': {
				parameters: sendAndWait({ rules: { emailTo: 'nobody@', emailFrom: 'a@example.com' } }),
				message: /Signer E-Mail "nobody@" is not an e-mail address/,
			},
			'a bad existing document id': {
				parameters: sendAndWait({ documentSource: 'existing', documentId: 'no spaces allowed' }),
				message: /Document ID "no spaces allowed" is not an OKdokument document ID/,
			},
		};
	it.each(Object.entries(refusals))('refuses %s before sending anything', async (_name, bad) => {
		const items = Array.from({ length: bad.items ?? 1 }, () => fileItem(pdf));
		const run = await runOkDokument(sandbox, bad.parameters, items);
		expect(errorOf(run)?.message).toMatch(bad.message);
		expect(run.status).not.toBe('waiting');
		expect(await creates()).toHaveLength(0);
	});

	it('refuses to send when the execution has no custom data slot left to record the wait', async () => {
		/** Uses up n8n's 10 custom data keys, as a workflow with many Set Custom Data steps would. */
		class FillCustomData implements INodeType {
			description = {
				displayName: 'Fill',
				name: 'fill',
				group: ['transform'],
				version: 1,
				description: '',
				defaults: { name: 'Fill' },
				inputs: ['main'],
				outputs: ['main'],
				properties: [],
			} as unknown as INodeType['description'];
			async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
				for (let i = 0; i < 10; i++) this.customData.set(`key${i}`, 'x');
				return [this.getInputData()];
			}
		}
		const nodes = [
			{
				id: 'start',
				name: 'Start',
				type: 'fixtureStart',
				typeVersion: 1,
				position: [0, 0] as [number, number],
				parameters: { items: JSON.stringify([fileItem(pdf)]) },
			},
			{
				id: 'fill',
				name: 'Fill',
				type: 'fill',
				typeVersion: 1,
				position: [200, 0] as [number, number],
				parameters: {},
			},
			{
				id: 'node',
				name: 'Node',
				type: 'okDokument',
				typeVersion: 1,
				position: [400, 0] as [number, number],
				parameters: sendAndWait(),
				credentials: { okDokumentApi: { id: '1', name: 'OKdokument sandbox' } },
			},
		];
		const run = await runWorkflow({
			nodes,
			connections: {
				Start: { main: [[{ node: 'Fill', type: 'main' as never, index: 0 }]] },
				Fill: { main: [[{ node: 'Node', type: 'main' as never, index: 0 }]] },
			},
			nodeTypes: { okDokument: new OkDokument(), fill: new FillCustomData() },
			credentialTypes: { okDokumentApi: new OkDokumentApi() },
			credentials: { okDokumentApi: credentials(sandbox) },
		});
		expect(errorOf(run)?.message).toBe('This execution cannot record what it waits for');
		expect(await creates()).toHaveLength(0);
	});
});

describe('OKdokument → Wait for Signature (execute side)', () => {
	it('waits for a pending document and records it (no round: any callback for the document)', async () => {
		const created = await createRequest(sandbox, pdf);
		const run = await runOkDokument(sandbox, waitFor(created.documentId));
		expect(errorOf(run)).toBeUndefined();
		expect(run.status).toBe('waiting');
		expect(outputOf(run)[0].json).toMatchObject({
			documentId: created.documentId,
			state: 'tosign',
			waitingFor: 'the signer to sign or cancel',
		});
		expect(metadataOf(run)).toEqual({
			[WAITING_FOR_DOCUMENT]: created.documentId,
			[WAITING_FOR_ROUND]: '-',
		});
	});

	it('returns at once with outcome "signed" and the signed PDF when the document is already signed', async () => {
		const created = await createRequest(sandbox, pdf);
		await signerAction(sandbox, created.signatureRequestId, 'submit', 'Ján Novák');
		const run = await runOkDokument(
			sandbox,
			waitFor(created.documentId, { waitOptions: { binaryPropertyName: 'signed' } }),
		);
		expect(run.status).not.toBe('waiting');
		const [item] = outputOf(run);
		expect(item.json).toMatchObject({
			outcome: 'signed',
			vendor: 'okdokument',
			event: 'document.completed',
			documentId: created.documentId,
			verified: true,
			status: { state: 'signed' },
		});
		const bytes = Buffer.from(item.binary!.signed.data, 'base64');
		expect(bytes.toString('latin1')).toContain(SIGNED_MARK);
		expect(item.binary!.signed.mimeType).toBe('application/pdf');
	});

	it('returns at once with outcome "canceled" and no file for a canceled document', async () => {
		const created = await createRequest(sandbox, pdf);
		await signerAction(sandbox, created.signatureRequestId, 'cancel');
		const run = await runOkDokument(sandbox, waitFor(created.documentId));
		const [item] = outputOf(run);
		expect(item.json).toMatchObject({ outcome: 'canceled', event: 'document.declined' });
		expect(item.binary).toBeUndefined();
	});

	it.each([
		['submit', 'signed', 'document.completed'],
		['cancel', 'canceled', 'document.declined'],
	] as const)(
		'returns at once with what the PDF shows when the callback came before the wait (n8n answered 409): %s',
		async (action, outcome, event) => {
			// What n8n answers while the execution is still running, before this node waits.
			const early = http.createServer((_req, res) => {
				res.writeHead(409, { 'content-type': 'application/json' });
				res.end('{"code":409,"message":"The execution is running already."}');
			});
			await new Promise<void>((resolve) => early.listen(0, '127.0.0.1', resolve));
			try {
				const { port } = early.address() as AddressInfo;
				const created = await createRequest(sandbox, pdf, {
					options: { callbackUrl: `http://127.0.0.1:${port}/webhook-waiting/1?signature=abc` },
				});
				// The signer acts minutes after the upload (a signature within its first minute could be
				// OKdokument's own stamp, so it would not count).
				await sandbox.control('okdokument', 'POST', '/__clock', { advanceMs: 5 * 60_000 });
				await signerAction(sandbox, created.signatureRequestId, action);
				for (
					const until = Date.now() + 30_000;
					(await documentState(created.documentId)) !== 'errorsendinfo' && Date.now() < until;
				)
					await sleep(10);
				expect(await documentState(created.documentId)).toBe('errorsendinfo');

				const run = await runOkDokument(sandbox, waitFor(created.documentId));
				expect(run.status).not.toBe('waiting');
				const [item] = outputOf(run);
				// The state hides whether it was signed or canceled; the PDF's signatures tell.
				expect(item.json).toMatchObject({ outcome, event, recoveredFrom: 'errorsendinfo' });
				expect(item.binary === undefined).toBe(outcome !== 'signed');
			} finally {
				early.closeAllConnections();
				await new Promise<void>((resolve) => early.close(() => resolve()));
			}
		},
	);

	it('refuses a malformed document id and an unknown document before waiting', async () => {
		const bad = await runOkDokument(sandbox, waitFor('has spaces'));
		expect(errorOf(bad)?.message).toMatch(/Document ID "has spaces" is not an OKdokument/);
		const unknown = await runOkDokument(sandbox, waitFor('no-such-document-0000'));
		expect(errorOf(unknown)).toBeDefined();
		expect(unknown.status).not.toBe('waiting');
	});

	it('refuses two items', async () => {
		const created = await createRequest(sandbox, pdf);
		const run = await runOkDokument(sandbox, waitFor(created.documentId), [
			{ json: {} },
			{ json: {} },
		]);
		expect(errorOf(run)?.message).toMatch(/received 2 items/);
	});
});
