import { sleep } from 'n8n-workflow';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	apiRequests,
	clearLog,
	createRequest,
	emulatorDocuments,
	runOk,
	samplePdf,
	signerAction,
} from '../../harness';

let sandbox: Sandbox;
let signed: string[];
let canceled: string;
let open: string;
let failed: string;

beforeAll(async () => {
	sandbox = await startSandbox(['okdokument']);
	const pdf = await samplePdf(sandbox);
	signed = [];
	for (let i = 0; i < 3; i++) {
		const created = await createRequest(sandbox, pdf);
		await signerAction(sandbox, created.signatureRequestId, 'submit');
		signed.push(created.documentId);
	}
	const toCancel = await createRequest(sandbox, pdf);
	await signerAction(sandbox, toCancel.signatureRequestId, 'cancel');
	canceled = toCancel.documentId;
	open = (await createRequest(sandbox, pdf)).documentId;
	// Nothing listens on port 9: the callback fails and OKdokument records "errorsendinfo".
	const unreachable = await createRequest(sandbox, pdf, {
		options: { callbackUrl: 'http://127.0.0.1:9/callback' },
	});
	await signerAction(sandbox, unreachable.signatureRequestId, 'submit');
	failed = unreachable.documentId;
	for (let i = 0; i < 500; i++) {
		const held = (await emulatorDocuments(sandbox)).find((d) => d.id === failed);
		if (held?.state === 'errorsendinfo') break;
		await sleep(10);
	}
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

const getAll = (extra: Record<string, unknown>) => ({
	resource: 'document',
	operation: 'getAll',
	...extra,
});

describe('OKdokument → Document → Get Many', () => {
	it('lists the documents in one state, one item each, paired with the input', async () => {
		const out = await runOk(sandbox, getAll({ state: 'signed', returnAll: true }));
		expect(out.map((item) => item.json.id).sort()).toEqual([...signed].sort());
		expect(out.every((item) => item.json.state === 'signed')).toBe(true);
		expect(out.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(out[0].json).toMatchObject({ group: 'api_user', filename: 'agreement.pdf' });
		expect(out[0].json.createdAt).toEqual(expect.stringMatching(/Z$/));
		const [request] = await apiRequests(sandbox);
		expect(request).toMatchObject({
			method: 'GET',
			path: '/JSON/list/flat',
			query: { state: 'signed' },
		});
	});

	it('asks for every state with *', async () => {
		const out = await runOk(sandbox, getAll({ state: '*', returnAll: true }));
		expect(out.map((item) => item.json.id).sort()).toEqual(
			[...signed, canceled, open, failed].sort(),
		);
		expect((await apiRequests(sandbox))[0].query).toEqual({ state: '*' });
	});

	it('stops at the limit', async () => {
		const out = await runOk(sandbox, getAll({ state: 'signed', returnAll: false, limit: 2 }));
		expect(out).toHaveLength(2);
	});

	it('finds a document whose callback failed under errorsendinfo', async () => {
		const out = await runOk(sandbox, getAll({ state: 'errorsendinfo', returnAll: true }));
		expect(out.map((item) => item.json.id)).toEqual([failed]);
	});

	it('returns nothing for a state without documents', async () => {
		expect(await runOk(sandbox, getAll({ state: 'tostamp', returnAll: true }))).toEqual([]);
	});
});
