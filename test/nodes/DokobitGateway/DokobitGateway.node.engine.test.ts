// Bad items among good ones on the Dokobit action node: the run stops at the bad item's index, and
// with "On Error: continue" the bad item becomes an error item while the good items still go
// through. The table of single bad inputs (all vendors) is test/nodes/badInputs.engine.test.ts.
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { errorOf, outputOf } from '../../helpers/engine';
import { startSandbox, type Sandbox } from '../../helpers/sandbox';
import {
	JONAS,
	ONA,
	apiRequests,
	clearLog,
	createSigning,
	pdfItem,
	runDokobit,
	samplePdf,
	signersFields,
} from './harness';

let sandbox: Sandbox;
let pdf: Buffer;
let signingToken: string;

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit'], { options: { pendingPolls: 1 } });
	pdf = await samplePdf(sandbox);
	signingToken = (await createSigning(sandbox, pdf, [JONAS, ONA])).token;
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

const create = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'signing',
	operation: 'create',
	name: 'Agreement',
	type: 'pdf',
	filesFrom: 'upload',
	fileSource: 'binary',
	binaryPropertyName: 'data',
	signersInput: 'fields',
	signers: signersFields(JONAS),
	...extra,
});
describe('Dokobit Gateway: a bad item stops the run at its index', () => {
	it('names the index of the failing item, and the items before it have been sent', async () => {
		const run = await runDokobit(
			sandbox,
			{ resource: 'signing', operation: 'seal', signingToken, sealName: '={{ $json.seal }}' },
			[{ json: { seal: 'A' } }, { json: { seal: 'B' } }, { json: { seal: ' ' } }],
		);
		const error = errorOf(run);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('Item 2: Seal Name is required and must not be empty');
		expect(error?.context?.itemIndex).toBe(2);
		expect((await apiRequests(sandbox)).map((r) => r.body)).toEqual([{ name: 'A' }, { name: 'B' }]);
	});
});

/** Runs the node with "On Error: continue" and returns its output and the emulator's log. */
async function runContinuing(parameters: INodeParameters, items: INodeExecutionData[]) {
	await clearLog(sandbox);
	const run = await runDokobit(sandbox, parameters, items, {
		node: { onError: 'continueRegularOutput' },
	});
	expect(errorOf(run)).toBeUndefined();
	return { output: outputOf(run), log: await apiRequests(sandbox) };
}

describe('Dokobit Gateway: with "On Error: continue", a bad item becomes an error item', () => {
	it('signer validation: the first signing is created, the second item reports its bad phone', async () => {
		const { output, log } = await runContinuing(
			create({ signersInput: 'json', signersJson: '={{ $json.people }}' }),
			[
				{ ...pdfItem(pdf), json: { people: [JONAS] } },
				{ ...pdfItem(pdf), json: { people: [{ ...ONA, phone: '+1555' }] } },
			],
		);
		expect(output).toHaveLength(2);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toMatchObject({ status: 'ok', name: 'Agreement' });
		expect(output[1]).toEqual({
			json: {
				error:
					'Item 1: Signers (JSON) › Signer 1 › phone "+1555" is not a Mobile-ID number (+3706…, +372…, +358…)',
			},
			pairedItem: { item: 1 },
		});
		expect(log.map((r) => r.path).filter((p) => p.endsWith('create.json'))).toHaveLength(1);
		expect(log.filter((r) => r.path === '/api/file/upload.json')).toHaveLength(1);
	});

	it('file source: the first file is uploaded, the second item has no binary data', async () => {
		const { output, log } = await runContinuing(
			{ resource: 'file', operation: 'upload', fileSource: 'binary', binaryPropertyName: 'data' },
			[pdfItem(pdf, 'one.pdf'), { json: {} }],
		);
		expect(output[0]).toMatchObject({
			json: { name: 'one.pdf', status: 'uploaded' },
			pairedItem: { item: 0 },
		});
		expect(output[1]).toEqual({
			json: {
				error:
					'Item 1: Input Binary Field names "data", but the item has no binary field of that name',
				description: 'Binary fields on this item: none',
			},
			pairedItem: { item: 1 },
		});
		expect(log.filter((r) => r.path === '/api/file/upload.json')).toHaveLength(1);
	});

	it('token format: the first status is read, the second token is refused', async () => {
		const { output, log } = await runContinuing(
			{ resource: 'signing', operation: 'getStatus', signingToken: '={{ $json.token }}' },
			[{ json: { token: signingToken } }, { json: { token: `${signingToken}/../x` } }],
		);
		expect(output[0]).toMatchObject({
			json: { token: signingToken, status: 'pending' },
			pairedItem: { item: 0 },
		});
		expect(output[1]).toEqual({
			json: { error: `Item 1: Signing Token "${signingToken}/../x" is not a Dokobit token` },
			pairedItem: { item: 1 },
		});
		expect(log.map((r) => r.path)).toEqual([`/api/signing/${signingToken}/status.json`]);
	});

	it('lists: the first removal is sent, the second item lists no signer ids', async () => {
		const target = await createSigning(sandbox, pdf, [JONAS, ONA]);
		const { output, log } = await runContinuing(
			{
				resource: 'signing',
				operation: 'removeSigners',
				signingToken: target.token,
				signerIds: '={{ $json.ids }}',
			},
			[{ json: { ids: ONA.id } }, { json: { ids: '' } }],
		);
		expect(output[0]).toEqual({
			json: { token: target.token, removed: [ONA.id], status: 'ok' },
			pairedItem: { item: 0 },
		});
		expect(output[1]).toEqual({
			json: { error: 'Item 1: Signer IDs must list at least one signer ID' },
			pairedItem: { item: 1 },
		});
		expect(log).toHaveLength(1);
	});

	it('required text: the first seal is applied, the second item has no seal name', async () => {
		const { output, log } = await runContinuing(
			{ resource: 'signing', operation: 'seal', signingToken, sealName: '={{ $json.seal }}' },
			[{ json: { seal: 'Company seal' } }, { json: { seal: '' } }],
		);
		expect(output[0]).toMatchObject({ json: { status: 'ok' }, pairedItem: { item: 0 } });
		expect(output[1]).toEqual({
			json: { error: 'Item 1: Seal Name is required and must not be empty' },
			pairedItem: { item: 1 },
		});
		expect(log.map((r) => r.body)).toEqual([{ name: 'Company seal' }]);
	});

	it('Gateway errors too: a 404 for one item does not stop the others', async () => {
		const { output } = await runContinuing(
			{ resource: 'signing', operation: 'getStatus', signingToken: '={{ $json.token }}' },
			[{ json: { token: 's-unknown-signing' } }, { json: { token: signingToken } }],
		);
		expect(output[0]).toEqual({
			json: {
				error:
					'Item 0: Dokobit Gateway could not find Signing Token "s-unknown-signing" (HTTP 404)',
				description: 'Signing not found',
				httpCode: '404',
			},
			pairedItem: { item: 0 },
		});
		expect(output[1]).toMatchObject({ json: { status: 'pending' }, pairedItem: { item: 1 } });
	});
});
