// "Request Concurrency" on the Documentolog action node, through n8n-core's engine against the
// sandbox. The shared per-item runner's rules (input order, pairedItem, earliest failure thrown,
// "continue on fail") are covered with the Dokobit node (test/nodes/DokobitGateway/
// concurrency.engine.test.ts); this checks the wiring: the option is offered where it means
// something, its value (or default) is what runs, and a failed create is still sent only once.
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { Documentolog } from '../../../nodes/Documentolog/Documentolog.node';
import { AUTO_START } from '../../../nodes/shared/concurrency';
import { DEFAULT_CONCURRENCY, requestConcurrencyProperty } from '../../../nodes/shared/router';
import { errorOf, outputOf } from '../../helpers/engine';
import { startSandbox, type Sandbox } from '../../helpers/sandbox';
import {
	type LoggedRequest,
	apiRequests,
	attachmentUrl,
	clearLog,
	createParameters,
	runDocumentolog,
	runOk,
} from './harness';

const CREATE_PATH = '/json/external/oauth/token';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox(['documentolog']);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

/** One create per item, each with the item's own attachment link. */
const createEach = (concurrency?: number): INodeParameters =>
	createParameters(sandbox, {
		attachmentUrls: ['={{ $json.url }}'],
		...(concurrency === undefined ? {} : { requestConcurrency: concurrency }),
	});

const linkOf = (n: number) => attachmentUrl(sandbox, `contract-${n}.pdf`);
const items = (count: number): INodeExecutionData[] =>
	Array.from({ length: count }, (_, n) => ({ json: { n, url: linkOf(n) } }));

/** Delays the next creates, in arrival order, by these amounts (one fault each). */
async function delayCreates(latencies: number[]) {
	for (const latencyMs of latencies) {
		await sandbox.control('documentolog', 'POST', '/__faults', {
			match: { method: 'POST', path: `^${CREATE_PATH}$`, times: 1 },
			action: { latencyMs },
		});
	}
}

const creates = async () =>
	(await apiRequests(sandbox)).filter((request) => request.path === CREATE_PATH);
const at = (request: LoggedRequest) => Date.parse((request as unknown as { at: string }).at);
const linksOf = (output: INodeExecutionData[]) =>
	output.map((item) => (item.json.attachments as Array<{ url: string }>)[0].url);

describe('Documentolog: Request Concurrency', () => {
	it('is the shared option, offered for every per-item operation and hidden for Send and Wait and Get Trigger URL', () => {
		const property = new Documentolog().description.properties.find(
			(p) => p.name === 'requestConcurrency',
		);
		expect(property).toBe(requestConcurrencyProperty);
		expect(property).toMatchObject({
			default: DEFAULT_CONCURRENCY,
			displayOptions: {
				hide: { operation: expect.arrayContaining(['createAndWait', 'getTriggerUrl']) },
			},
		});
	});

	it('runs the set number of items at once and keeps input order while they finish out of order', async () => {
		// Item 0 is slowest; with three in flight, item 3 starts once item 1 or 2 is done, well
		// before item 0 is.
		await delayCreates([900, 300, 300, 20, 20]);
		const output = await runOk(sandbox, createEach(3), items(5));
		expect(linksOf(output)).toEqual(Array.from({ length: 5 }, (_, n) => linkOf(n)));
		expect(output.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 5 }, (_, n) => ({ item: n })),
		);
		const log = await creates();
		expect(log.map((request) => (request.body.aAttachments as string[])[0])).toEqual(
			Array.from({ length: 5 }, (_, n) => linkOf(n)),
		);
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
		await sandbox.control('documentolog', 'POST', '/__faults', {
			match: { method: 'POST', path: `^${CREATE_PATH}$`, times: 1 },
			action: { status: 503 },
		});
		const run = await runDocumentolog(sandbox, createEach(4), items(4), {
			node: { onError: 'continueRegularOutput' },
		});
		expect(errorOf(run)).toBeUndefined();
		const output = outputOf(run);
		expect(output).toHaveLength(4);
		expect(output.filter((item) => item.json.error)).toHaveLength(1);
		expect(output.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 4 }, (_, n) => ({ item: n })),
		);
		// Four items, four documents requested: the failed create was not retried.
		expect(await creates()).toHaveLength(4);
	});
});
