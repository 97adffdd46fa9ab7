// "Request Concurrency" on the Dokobit action node, through n8n-core's engine against the sandbox:
// several items in flight, yet the output keeps input order and pairedItem, "continue on fail"
// still turns a failing item into an error item in its place, the first failing item in input
// order is the one reported, nothing is ever sent twice, and a 429 holds back the whole run.
import type { INodeExecutionData } from 'n8n-workflow';
import { DokobitGateway } from '../../../nodes/DokobitGateway/DokobitGateway.node';
import { errorOf, outputOf } from '../../helpers/engine';
import { startSandbox, type Sandbox } from '../../helpers/sandbox';
import {
	apiRequests,
	clearLog,
	createEachItem,
	createSigning,
	runDokobit,
	samplePdf,
	uploadFile,
	type LoggedRequest,
} from './harness';

let sandbox: Sandbox;
let fileToken: string;
let signingToken: string;

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit']);
	const pdf = await samplePdf(sandbox);
	fileToken = await uploadFile(sandbox, pdf);
	signingToken = (await createSigning(sandbox, pdf)).token;
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

const CREATE_PATH = '/api/signing/create.json';

const items = (count: number, file = () => fileToken): INodeExecutionData[] =>
	Array.from({ length: count }, (_, n) => ({ json: { n, file: file() } }));

/** Delays the next creates, in arrival order, by these amounts (one fault each). */
async function delayCreates(latencies: number[]) {
	for (const latencyMs of latencies) {
		await sandbox.control('dokobit', 'POST', '/__faults', {
			match: { method: 'POST', path: `^${CREATE_PATH}$`, times: 1 },
			action: { latencyMs },
		});
	}
}

const creates = (log: LoggedRequest[]) => log.filter((request) => request.path === CREATE_PATH);
const at = (request: LoggedRequest) => Date.parse((request as unknown as { at: string }).at);

describe('Dokobit Gateway: Request Concurrency', () => {
	it('is offered for every per-item operation, defaulting to Auto (0), and hidden for the wait operations', () => {
		const property = new DokobitGateway().description.properties.find(
			(p) => p.name === 'requestConcurrency',
		);
		expect(property).toMatchObject({
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0, maxValue: 32 },
			displayOptions: {
				hide: { operation: ['createAndWait', 'waitForSignature', 'getTriggerUrl'] },
			},
		});
	});

	it('keeps input order and pairedItem while items finish out of order, with at most N in flight', async () => {
		// The first four are slow and finish in the order 2, 4, 3, 1 (1-based); the rest are quick.
		const latencies = [1200, 600, 1000, 800, 20, 20, 20, 20];
		await delayCreates(latencies);
		const run = await runDokobit(sandbox, createEachItem(4), items(8));
		expect(errorOf(run)).toBeUndefined();
		const output = outputOf(run);

		expect(output.map((item) => item.json.name)).toEqual(
			Array.from({ length: 8 }, (_, n) => `Contract ${n}`),
		);
		expect(output.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 8 }, (_, n) => ({ item: n })),
		);
		const tokens = output.map((item) => item.json.token as string);
		expect(new Set(tokens).size).toBe(8);

		// Exactly one create per item: nothing sent twice, nothing skipped.
		const log = creates(await apiRequests(sandbox));
		expect(log.map((request) => request.body.name).sort()).toEqual(
			Array.from({ length: 8 }, (_, n) => `Contract ${n}`).sort(),
		);
		// Requests reach the sandbox in start order, so fault i delayed request i. The first four
		// were all sent before any of them could have been answered (they ran at the same time);
		// the fifth only once one of them had finished (never more than four in flight).
		const start = at(log[0]);
		expect(at(log[3]) - start).toBeLessThan(600);
		expect(at(log[4]) - start).toBeGreaterThanOrEqual(580);
		// Timestamps are whole milliseconds: end each interval a little early so rounding cannot
		// make a finished request look still in flight.
		const intervals = log.map((request, index) => [
			at(request),
			at(request) + latencies[index] - 5,
		]);
		const inFlight = (time: number) =>
			intervals.filter(([from, to]) => from <= time && time < to).length;
		expect(Math.max(...intervals.map(([from]) => inFlight(from)))).toBe(4);
	});

	it('"continue on fail": a failing item in the middle becomes an error item in its place, sent once', async () => {
		const run = await runDokobit(
			sandbox,
			createEachItem(3),
			items(5).map((item, index) =>
				index === 2 ? { json: { ...item.json, file: 'f-no-such-file' } } : item,
			),
			{ node: { onError: 'continueRegularOutput' } },
		);
		expect(errorOf(run)).toBeUndefined();
		const output = outputOf(run);
		expect(output).toHaveLength(5);
		expect(output.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 5 }, (_, n) => ({ item: n })),
		);
		expect(output[2].json).toMatchObject({
			error: 'Item 2: Dokobit Gateway answered HTTP 400',
			httpCode: '400',
		});
		expect(String(output[2].json.description)).toContain('File not found');
		for (const index of [0, 1, 3, 4]) {
			expect(output[index].json).toMatchObject({ name: `Contract ${index}`, status: 'ok' });
		}
		// The failed create is not retried: five items, five requests.
		const log = creates(await apiRequests(sandbox));
		expect(log).toHaveLength(5);
		expect(log.filter((request) => request.body.name === 'Contract 2')).toHaveLength(1);
	});

	it('stops starting items at the first failure and reports the earliest failing item in input order', async () => {
		// Item 1 fails at the Gateway after 300 ms; item 2 fails validation at once, before any
		// request. Item 2's failure is known first, but item 1 comes first in the input.
		await delayCreates([300, 300]);
		const run = await runDokobit(
			sandbox,
			createEachItem(3),
			items(8).map((item, index) =>
				index === 1
					? { json: { ...item.json, file: 'f-no-such-file' } }
					: index === 2
						? { json: { ...item.json, file: '../x' } }
						: item,
			),
		);
		const error = errorOf(run);
		expect(error?.message).toBe('Item 1: Dokobit Gateway answered HTTP 400');
		expect(error?.context?.itemIndex).toBe(1);
		expect(outputOf(run)).toEqual([]);
		// Items 0 and 1 were in flight and completed; nothing after item 2 was started.
		const log = creates(await apiRequests(sandbox));
		expect(log.map((request) => request.body.name).sort()).toEqual(['Contract 0', 'Contract 1']);
	});

	it('with concurrency 1 the items run strictly one after another, as before', async () => {
		await delayCreates([150, 150, 150]);
		const run = await runDokobit(sandbox, createEachItem(1), items(3));
		expect(errorOf(run)).toBeUndefined();
		const log = creates(await apiRequests(sandbox));
		expect(log.map((request) => request.body.name)).toEqual([
			'Contract 0',
			'Contract 1',
			'Contract 2',
		]);
		expect(at(log[1]) - at(log[0])).toBeGreaterThanOrEqual(140);
		expect(at(log[2]) - at(log[1])).toBeGreaterThanOrEqual(140);
	});

	it('a 429 pauses every item of the run for Retry-After, not only the one that got it', async () => {
		const statusPath = `/api/signing/${signingToken}/status.json`;
		await sandbox.control('dokobit', 'POST', '/__faults', {
			match: { method: 'GET', path: `^${statusPath}$`, times: 1 },
			action: { status: 429, retryAfter: 1 },
		});
		// The other reads take 200 ms, so the 429 is surely back before any of them.
		await sandbox.control('dokobit', 'POST', '/__faults', {
			match: { method: 'GET', path: `^${statusPath}$` },
			action: { latencyMs: 200 },
		});
		const run = await runDokobit(
			sandbox,
			{
				resource: 'signing',
				operation: 'getStatus',
				signingToken: '={{ $json.token }}',
				requestConcurrency: 3,
			},
			Array.from({ length: 6 }, () => ({ json: { token: signingToken } })),
		);
		expect(errorOf(run)).toBeUndefined();
		const output = outputOf(run);
		expect(output).toHaveLength(6);
		expect(output.every((item) => item.json.status === 'pending')).toBe(true);
		const log = (await apiRequests(sandbox)).filter((request) => request.path === statusPath);
		// Six reads plus the one retry of the read that got the 429.
		expect(log).toHaveLength(7);
		// The first three went out together; one got the 429. Everything after them (the retry and
		// the three items not yet started) waited out the one-second pause.
		const start = at(log[0]);
		for (const request of log.slice(3)) expect(at(request) - start).toBeGreaterThanOrEqual(900);
	});
});
