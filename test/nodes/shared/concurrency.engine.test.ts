// "Request Concurrency: Auto" through n8n-core's engine against the Dokobit sandbox with a vendor
// rate limit: the Gateway serves 3 requests at once and answers 429 + Retry-After beyond that.
// Reads are retried after the pause and all succeed; creates are sent once each, a refused create
// is an error item in its place, and the output keeps input order and pairedItem. Also: saved
// workflows keep their meaning (no value stored → Auto; a stored number → that fixed number).
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { DokobitGateway } from '../../../nodes/DokobitGateway/DokobitGateway.node';
import { AUTO_START } from '../../../nodes/shared/concurrency';
import { AUTO_CONCURRENCY } from '../../../nodes/shared/router';
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
} from '../DokobitGateway/harness';

let sandbox: Sandbox;
let fileToken: string;
let signingToken: string;

const VENDOR_LIMIT = 3;
const CREATE_PATH = '/api/signing/create.json';
type Logged = LoggedRequest & { limited?: boolean; at?: string };

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit']);
	const pdf = await samplePdf(sandbox);
	fileToken = await uploadFile(sandbox, pdf);
	signingToken = (await createSigning(sandbox, pdf)).token;
});
afterAll(async () => await sandbox.close());
beforeEach(async () => {
	await clearLog(sandbox);
	await sandbox.control('dokobit', 'DELETE', '/__limits');
});

/** The Gateway serves `VENDOR_LIMIT` API requests at once, each taking `latencyMs`. */
async function rateLimitedGateway(latencyMs: number) {
	await sandbox.control('dokobit', 'POST', '/__limits', {
		maxInFlight: VENDOR_LIMIT,
		retryAfter: 1,
		path: '^/api/',
	});
	await sandbox.control('dokobit', 'POST', '/__faults', {
		match: { path: '^/api/' },
		action: { latencyMs },
	});
}

const statusPath = () => `/api/signing/${signingToken}/status.json`;
const getStatusEach = (concurrency?: number): INodeParameters => ({
	resource: 'signing',
	operation: 'getStatus',
	signingToken: '={{ $json.token }}',
	...(concurrency === undefined ? {} : { requestConcurrency: concurrency }),
});
const reads = (count: number): INodeExecutionData[] =>
	Array.from({ length: count }, (_, n) => ({ json: { n, token: signingToken } }));

describe('Request Concurrency: Auto against a rate-limited vendor', () => {
	it('reads: every item succeeds in input order; the few 429s are retried after Retry-After', async () => {
		await rateLimitedGateway(100);
		const run = await runDokobit(sandbox, getStatusEach(), reads(24));
		expect(errorOf(run)).toBeUndefined();
		const output = outputOf(run);
		expect(output).toHaveLength(24);
		expect(output.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 24 }, (_, n) => ({ item: n })),
		);
		expect(output.every((item) => item.json.status === 'pending')).toBe(true);
		const log = ((await apiRequests(sandbox)) as Logged[]).filter(
			(request) => request.path === statusPath(),
		);
		const refused = log.filter((request) => request.limited).length;
		// Auto starts with 4 in flight against a limit of 3: at least one 429, then it holds below.
		expect(refused).toBeGreaterThanOrEqual(1);
		expect(refused).toBeLessThanOrEqual(AUTO_START);
		// Every read was served once, and only the refused ones were sent again.
		expect(log.filter((request) => !request.limited)).toHaveLength(24);
	});

	it('reads: a refused read alone waits out Retry-After, while the others keep being served', async () => {
		// One signing per item, so the log shows which read was refused and when it came back.
		const created = outputOf(
			await runDokobit(
				sandbox,
				createEachItem(4),
				Array.from({ length: 24 }, (_, n) => ({ json: { n, file: fileToken } })),
			),
		);
		const tokens = created.map((item) => String(item.json.token));
		await clearLog(sandbox);
		await rateLimitedGateway(100);
		const run = await runDokobit(
			sandbox,
			getStatusEach(),
			tokens.map((token, n) => ({ json: { n, token } })),
		);
		expect(errorOf(run)).toBeUndefined();
		expect(outputOf(run).map((item) => item.pairedItem)).toEqual(
			tokens.map((_, n) => ({ item: n })),
		);
		const log = ((await apiRequests(sandbox)) as Logged[]).filter((request) =>
			request.path.endsWith('/status.json'),
		);
		const at = (request: Logged) => Date.parse(String(request.at));
		const refused = log.filter((request) => request.limited);
		expect(refused.length).toBeGreaterThanOrEqual(1);
		for (const refusal of refused) {
			// Sent again only after the vendor's Retry-After (1 s; the log has millisecond stamps)…
			const retry = log.find(
				(request) => request.path === refusal.path && at(request) > at(refusal),
			);
			expect(retry).toBeDefined();
			expect(at(retry!) - at(refusal)).toBeGreaterThanOrEqual(990);
		}
		// …while the other items went on: with 100 ms per read and 3 at a time, many more reads were
		// served during that second than a whole-run pause would allow (none).
		const firstRefusal = at(refused[0]);
		const servedMeanwhile = log.filter(
			(request) =>
				!request.limited && at(request) > firstRefusal && at(request) < firstRefusal + 900,
		);
		expect(servedMeanwhile.length).toBeGreaterThanOrEqual(2 * VENDOR_LIMIT);
		// Every read was served exactly once.
		expect(new Set(log.filter((request) => !request.limited).map((r) => r.path)).size).toBe(24);
		expect(log.filter((request) => !request.limited)).toHaveLength(24);
	});

	it('creates: each is sent once; only those the vendor refused are error items, in their place', async () => {
		await rateLimitedGateway(100);
		const run = await runDokobit(
			sandbox,
			createEachItem(),
			Array.from({ length: 16 }, (_, n) => ({ json: { n, file: fileToken } })),
			{ node: { onError: 'continueRegularOutput' } },
		);
		expect(errorOf(run)).toBeUndefined();
		const output = outputOf(run);
		expect(output).toHaveLength(16);
		expect(output.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 16 }, (_, n) => ({ item: n })),
		);
		const log = ((await apiRequests(sandbox)) as Logged[]).filter(
			(request) => request.path === CREATE_PATH,
		);
		// One request per item, never a second one for the same document.
		expect(log.map((request) => request.body.name).sort()).toEqual(
			Array.from({ length: 16 }, (_, n) => `Contract ${n}`).sort(),
		);
		const refusedNames = log
			.filter((request) => request.limited)
			.map((request) => request.body.name);
		// Auto's first four overshoot a limit of three once; after that it stays below the limit.
		expect(refusedNames).toHaveLength(1);
		// A refused create is not a read that may wait alone: the whole run waits out Retry-After.
		// Only creates already on their way (at most the four Auto starts with) arrive meanwhile.
		const at = (request: Logged) => Date.parse(String(request.at));
		const refusedAt = at(log.find((request) => request.limited)!);
		const sentDuringPause = log.filter(
			(request) => at(request) > refusedAt && at(request) < refusedAt + 900,
		);
		expect(sentDuringPause.length).toBeLessThanOrEqual(AUTO_START);
		output.forEach((item, n) => {
			if (refusedNames.includes(`Contract ${n}`)) {
				expect(item.json).toMatchObject({
					error: `Item ${n}: Dokobit Gateway rate limit reached (HTTP 429)`,
					httpCode: '429',
				});
			} else {
				expect(item.json).toMatchObject({ name: `Contract ${n}`, status: 'ok' });
			}
		});
	});
});

describe('Request Concurrency: saved workflows keep their meaning', () => {
	const description = new DokobitGateway().description;
	const resolved = (stored: INodeParameters) =>
		NodeHelpers.getNodeParameters(
			description.properties,
			stored,
			true,
			false,
			null,
			description,
		) as INodeParameters;

	it('a workflow saved without the parameter (the old default, 5, is never stored) runs with Auto', () => {
		expect(resolved(getStatusEach()).requestConcurrency).toBe(AUTO_CONCURRENCY);
	});

	it('a stored number stays that fixed number, 1 included', () => {
		expect(resolved(getStatusEach(10)).requestConcurrency).toBe(10);
		expect(resolved(getStatusEach(1)).requestConcurrency).toBe(1);
	});

	it('a stored 10 sends ten at once through the engine (Auto would have sent four)', async () => {
		await rateLimitedGateway(300);
		const run = await runDokobit(sandbox, getStatusEach(10), reads(10));
		expect(errorOf(run)).toBeUndefined();
		expect(outputOf(run)).toHaveLength(10);
		const log = ((await apiRequests(sandbox)) as Logged[]).filter(
			(request) => request.path === statusPath(),
		);
		// Ten at once against a limit of three: the first seven beyond it were refused together.
		expect(log.filter((request) => request.limited).length).toBeGreaterThanOrEqual(
			10 - VENDOR_LIMIT,
		);
	});
});
