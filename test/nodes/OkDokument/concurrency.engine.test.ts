// "Request Concurrency" on the OKdokument action node, through n8n-core's engine against the
// sandbox. The shared per-item runner's rules (input order, pairedItem, earliest failure thrown,
// "continue on fail") are covered with the Dokobit node (test/nodes/DokobitGateway/
// concurrency.engine.test.ts); this checks the wiring: the option is offered where it means
// something, its value (or default) is what runs, and a failed create is still sent only once.
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { OkDokument } from '../../../nodes/OkDokument/OkDokument.node';
import { AUTO_START } from '../../../nodes/shared/concurrency';
import { DEFAULT_CONCURRENCY, requestConcurrencyProperty } from '../../../nodes/shared/router';
import { errorOf, outputOf } from '../../helpers/engine';
import { startSandbox, type Sandbox } from '../../helpers/sandbox';
import {
	type LoggedRequest,
	VENDOR,
	apiRequests,
	clearLog,
	fileItem,
	runOk,
	runOkDokument,
	samplePdf,
} from './harness';

let sandbox: Sandbox;
/** Documents stored in the sandbox, one per item of the runs below. */
let documentIds: string[];

const CREATE_PATH = '/JSON/signatureRequest';

beforeAll(async () => {
	sandbox = await startSandbox([VENDOR]);
	const pdf = await samplePdf(sandbox);
	// Stored through the node itself: six multipart uploads at the default concurrency.
	const stored = await runOk(
		sandbox,
		{ resource: 'document', operation: 'upload', fileSource: 'binary', uploadMode: 'storage' },
		Array.from({ length: 6 }, (_, n) => fileItem(pdf, `contract-${n}.pdf`)),
	);
	documentIds = stored.map((item) => item.json.documentId as string);
	expect(stored.map((item) => item.json.fileName)).toEqual(
		Array.from({ length: 6 }, (_, n) => `contract-${n}.pdf`),
	);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

/** One `POST /JSON/signatureRequest` per item, on the item's own stored document. */
const createEach = (concurrency?: number): INodeParameters => ({
	resource: 'signatureRequest',
	operation: 'create',
	documentSource: 'existing',
	documentId: '={{ $json.documentId }}',
	startNextRound: false,
	...(concurrency === undefined ? {} : { requestConcurrency: concurrency }),
});

const items = (count: number): INodeExecutionData[] =>
	documentIds.slice(0, count).map((documentId, n) => ({ json: { n, documentId } }));

/** Delays the next creates, in arrival order, by these amounts (one fault each). */
async function delayCreates(latencies: number[]) {
	for (const latencyMs of latencies) {
		await sandbox.control(VENDOR, 'POST', '/__faults', {
			match: { method: 'POST', path: `^${CREATE_PATH}$`, times: 1 },
			action: { latencyMs },
		});
	}
}

const creates = async () =>
	(await apiRequests(sandbox)).filter(
		(request) => request.method === 'POST' && request.path === CREATE_PATH,
	);
const at = (request: LoggedRequest) => Date.parse((request as unknown as { at: string }).at);

describe('OKdokument: Request Concurrency', () => {
	it('is the shared option, offered for every per-item operation and hidden for the wait operations', () => {
		const property = new OkDokument().description.properties.find(
			(p) => p.name === 'requestConcurrency',
		);
		expect(property).toBe(requestConcurrencyProperty);
		expect(property).toMatchObject({
			default: DEFAULT_CONCURRENCY,
			displayOptions: {
				hide: { operation: ['createAndWait', 'waitForSignature', 'getTriggerUrl'] },
			},
		});
	});

	it('runs the set number of items at once and keeps input order while they finish out of order', async () => {
		// Item 0 is slowest; with three in flight, item 3 starts once item 1 or 2 is done, well
		// before item 0 is.
		await delayCreates([900, 300, 300, 20, 20]);
		const output = await runOk(sandbox, createEach(3), items(5));
		expect(output.map((item) => item.json.documentId)).toEqual(documentIds.slice(0, 5));
		expect(output.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 5 }, (_, n) => ({ item: n })),
		);
		const log = await creates();
		expect(log.map((request) => request.body.id)).toEqual(documentIds.slice(0, 5));
		const start = at(log[0]);
		expect(at(log[2]) - start).toBeLessThan(250);
		expect(at(log[3]) - start).toBeGreaterThanOrEqual(280);
		expect(at(log[3]) - start).toBeLessThan(850);
	});

	it('without the parameter, runs Auto, which starts with four in flight', async () => {
		expect(AUTO_START).toBe(4);
		await delayCreates([400, 400, 400, 400, 20, 20]);
		await runOk(sandbox, createEach(), items(6));
		const log = await creates();
		const start = at(log[0]);
		expect(at(log[3]) - start).toBeLessThan(350);
		expect(at(log[4]) - start).toBeGreaterThanOrEqual(380);
	});

	it('with concurrency 1 the items run strictly one after another', async () => {
		await delayCreates([150, 150, 150]);
		await runOk(sandbox, createEach(1), items(3));
		const log = await creates();
		expect(at(log[1]) - at(log[0])).toBeGreaterThanOrEqual(140);
		expect(at(log[2]) - at(log[1])).toBeGreaterThanOrEqual(140);
	});

	it('a create the vendor fails with 503 is sent once, whatever the concurrency', async () => {
		await sandbox.control(VENDOR, 'POST', '/__faults', {
			match: { method: 'POST', path: `^${CREATE_PATH}$`, times: 1 },
			action: { status: 503 },
		});
		const run = await runOkDokument(sandbox, createEach(4), items(4), {
			node: { onError: 'continueRegularOutput' },
		});
		expect(errorOf(run)).toBeUndefined();
		const output = outputOf(run);
		expect(output).toHaveLength(4);
		expect(output.filter((item) => item.json.error)).toHaveLength(1);
		expect(output.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 4 }, (_, n) => ({ item: n })),
		);
		// Four items, four requests: the failed create was not retried.
		expect(await creates()).toHaveLength(4);
	});
});
