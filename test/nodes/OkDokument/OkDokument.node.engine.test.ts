// Bad items among good ones on the OKdokument action node: the run stops at the bad item's index,
// and with "On Error: continue" the bad item becomes an error item while the good items still go
// through. The table of single bad inputs (all vendors) is test/nodes/badInputs.engine.test.ts.
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { errorOf, outputOf } from '../../helpers/engine';
import { startSandbox, type Sandbox } from '../../helpers/sandbox';
import {
	apiRequests,
	clearLog,
	createRequest,
	fileItem,
	runOkDokument,
	samplePdf,
} from './harness';

let sandbox: Sandbox;
let pdf: Buffer;
let documentId: string;

beforeAll(async () => {
	sandbox = await startSandbox(['okdokument']);
	pdf = await samplePdf(sandbox);
	documentId = (await createRequest(sandbox, pdf)).documentId;
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

const create = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'signatureRequest',
	operation: 'create',
	documentSource: 'upload',
	fileSource: 'binary',
	binaryPropertyName: 'data',
	...extra,
});

describe('OKdokument: a bad item stops the run at its index', () => {
	it('names the index of the failing item; the items before it have been sent', async () => {
		const run = await runOkDokument(
			sandbox,
			{ resource: 'document', operation: 'get', documentId: '={{ $json.id }}' },
			[{ json: { id: documentId } }, { json: { id: documentId } }, { json: { id: ' ' } }],
		);
		const error = errorOf(run);
		expect(error?.name).toBe('NodeOperationError');
		expect(error?.message).toBe('Item 2: Document ID is required and must not be empty');
		expect(error?.context?.itemIndex).toBe(2);
		expect((await apiRequests(sandbox)).map((r) => r.path)).toEqual([
			`/JSON/document/metadata/${documentId}`,
			`/JSON/document/metadata/${documentId}`,
		]);
	});
});

describe('OKdokument: with "On Error: continue", a bad item becomes an error item', () => {
	async function runContinuing(parameters: INodeParameters, items: INodeExecutionData[]) {
		const run = await runOkDokument(sandbox, parameters, items, {
			node: { onError: 'continueRegularOutput' },
		});
		expect(errorOf(run)).toBeUndefined();
		return { output: outputOf(run), log: await apiRequests(sandbox) };
	}

	it('file checks: the first document is sent, the second item reports its wrong type', async () => {
		const { output, log } = await runContinuing(create(), [
			fileItem(pdf, 'one.pdf'),
			fileItem(Buffer.from('plain text'), 'two.txt', 'text/plain'),
		]);
		expect(output).toHaveLength(2);
		expect(output[0]).toMatchObject({ json: { fileName: 'one.pdf' }, pairedItem: { item: 0 } });
		expect(output[1]).toEqual({
			json: {
				error:
					'Item 1: File "two.txt" has the type .txt; OKdokument takes PDF, DOC, DOCX, XLS and XLSX files',
			},
			pairedItem: { item: 1 },
		});
		expect(log.filter((r) => r.path === '/JSON/signatureRequest')).toHaveLength(1);
	});

	it('vendor errors too: a 404 for one item does not stop the others', async () => {
		const { output } = await runContinuing(
			{ resource: 'document', operation: 'get', documentId: '={{ $json.id }}' },
			[{ json: { id: 'unknown-document' } }, { json: { id: documentId } }],
		);
		expect(output[0]).toEqual({
			json: {
				error: 'Item 0: OKdokument could not find Document ID "unknown-document" (HTTP 404)',
				description: 'err.not.found (unknown-document)',
				httpCode: '404',
			},
			pairedItem: { item: 0 },
		});
		expect(output[1]).toMatchObject({
			json: { id: documentId, state: 'tosign' },
			pairedItem: { item: 1 },
		});
	});
});
