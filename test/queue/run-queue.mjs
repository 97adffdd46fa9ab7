// `npm run test:queue`: this package in n8n's queue mode, end to end (n8n-guide §1.9).
//
// Redis + a throwaway PostgreSQL, one `n8n start` (main), one `n8n webhook`, two `n8n worker`
// sharing one user folder with the packed package installed, and the vendor sandbox in-process.
//   1. Trigger: 200 Dokobit signings post back to the Dokobit Gateway Trigger on the webhook
//      process, plus duplicate deliveries (concurrent with the originals, and late replays).
//      Expect exactly 200 successful executions, one per signing, none lost, none twice.
//   2. Send and wait: Webhook → Dokobit "Create and Wait" → NoOp. Started on the webhook process,
//      put to wait by a worker, resumed by the postback on the webhook process and finished by a
//      worker; the second run with the worker that started it stopped, so it must resume elsewhere.
// Not part of `npm test` (needs root for apt-get, ~2–5 min). Env knobs: ESIGN_QUEUE_SIGNINGS (200),
// ESIGN_QUEUE_LANES (8), ESIGN_QUEUE_BURST=1, ESIGN_QUEUE_TIMEOUT_MS (600000), ESIGN_QUEUE_KEEP=1
// (keep the logs), ESIGN_TARBALL (use this tarball instead of build + pack).
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'flatted';
import {
	N8nClient,
	buildAndPack,
	ensureN8n,
	freePort,
	installPackage,
	tempDir,
} from '../../scripts/lib/n8n.mjs';
import {
	Cleanup,
	enqueuedJobs,
	ensureDebianPackages,
	mapLimit,
	queueEnvironment,
	startN8nProcess,
	startPostgres,
	startRedis,
	workerJobs,
} from '../../scripts/lib/queue.mjs';
import { startSandbox } from '../sandbox/cli.mjs';

const SIGNINGS = Number(process.env.ESIGN_QUEUE_SIGNINGS ?? 200);
const TIME_LIMIT_MS = Number(process.env.ESIGN_QUEUE_TIMEOUT_MS ?? 600_000);
const KEEP = process.env.ESIGN_QUEUE_KEEP === '1';
const TOKEN = 'example-dokobit-token';
const URL_SECRET = `queue-${randomUUID()}`;
const CONCURRENT_DUPLICATE_EVERY = 5; // every 5th signing: 2 extra postbacks raced with the real one
const LATE_REPLAYS = 50; // delivered signing_completed postbacks sent again afterwards
const LATE_SIGNER_REPLAYS = 20; // and signer_signed ones (filtered out by the trigger)
// Signings whose postbacks may be in flight at once. Real signers sign over time; ESIGN_QUEUE_BURST=1
// signs everything at once instead, which on a busy 2-core machine overloads the webhook process
// (sandbox timeouts after 10 s, database pool timeouts, n8n's own 503 "Database is not ready!"):
// the vendor's retries (+5 min, +1 h, +24 h, scaled to 0.3 s, 3.6 s, 86 s) then carry most events
// through, but how many depends on the machine's load, so burst runs may fail.
const LANES = Number(process.env.ESIGN_QUEUE_LANES ?? 8);
const BURST = process.env.ESIGN_QUEUE_BURST === '1';

const started = Date.now();
const sleep = async (ms) => await new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const checks = [];
const timings = [];
const numbers = {};
const cleanup = new Cleanup();
const work = tempDir('esign-queue-');

function check(name, ok, detail = '') {
	checks.push({ name, ok: Boolean(ok), detail });
	console.log(`  ${ok ? '✓' : '✗'} ${name}${detail ? ` — ${detail}` : ''}`);
	return Boolean(ok);
}

async function phase(name, fn) {
	const t0 = Date.now();
	console.log(`\n› ${name}`);
	try {
		return await fn();
	} finally {
		timings.push([name, Date.now() - t0]);
		console.log(`  (${seconds(Date.now() - t0)})`);
	}
}

/** Polls `probe` until it returns a truthy value; returns the last value after `timeoutMs`. */
async function until(probe, { timeoutMs, everyMs = 500 }) {
	const deadline = Date.now() + timeoutMs;
	let value;
	for (;;) {
		value = await probe();
		if (value?.done ?? value) return value;
		if (Date.now() > deadline) return value;
		await sleep(everyMs);
	}
}

// ----- finishing: summary, cleanup, exit code, also on time-out and signals ---------------------

let finishing;
async function finish(code) {
	finishing ??= (async () => {
		clearTimeout(watchdog);
		console.log('\n› cleanup');
		await cleanup.run();
		const failed = checks.filter((c) => !c.ok).length;
		const passed = checks.length - failed;
		const exitCode = code !== 0 ? code : failed > 0 || passed === 0 ? 1 : 0;
		if (exitCode === 0 && !KEEP) fs.rmSync(work, { recursive: true, force: true });
		else console.log(`  logs kept in ${work}`);
		console.log('\n=== queue-mode summary ===');
		for (const [name, ms] of timings) console.log(`  ${name.padEnd(44)} ${seconds(ms)}`);
		console.log(`  ${'total'.padEnd(44)} ${seconds(Date.now() - started)}`);
		for (const [key, value] of Object.entries(numbers))
			console.log(`  ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
		for (const c of checks.filter((x) => !x.ok)) console.log(`  FAILED: ${c.name} ${c.detail}`);
		console.log(`queue: ${passed} passed, ${failed} failed`);
		process.exit(exitCode);
	})();
	return await finishing;
}

const watchdog = setTimeout(() => {
	check(`finished within ${seconds(TIME_LIMIT_MS)}`, false, 'time limit reached; stopping');
	void finish(1);
}, TIME_LIMIT_MS);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		console.log(`\n${signal}: stopping everything`);
		void finish(130);
	});
}
process.on('exit', () => cleanup.killNow());

// ----- the installation -------------------------------------------------------------------------

async function setUp() {
	await phase('system packages (redis-server, postgresql)', async () => {
		numbers['apt installed'] =
			ensureDebianPackages(['redis-server', 'postgresql']).join(' ') || 'nothing';
	});
	const { redis, postgres } = await phase('Redis + PostgreSQL (loopback, throwaway)', async () => {
		const redisServer = await startRedis({ dir: path.join(work, 'redis'), cleanup });
		const pg = await startPostgres({ cleanup, keepLogAs: path.join(work, 'postgres.log') });
		console.log(`  redis 127.0.0.1:${redisServer.port}, postgres 127.0.0.1:${pg.port} (${pg.dir})`);
		return { redis: redisServer, postgres: pg };
	});
	const { tarball, runtime } = await phase('build + pack the package, n8n binary', async () => ({
		tarball: process.env.ESIGN_TARBALL || buildAndPack(path.join(work, 'pack')),
		runtime: ensureN8n(),
	}));
	console.log(`  n8n ${runtime.version} on Node ${runtime.nodeVersion}`);
	const userFolder = path.join(work, 'home');
	installPackage(userFolder, tarball);
	const sandbox = await startSandbox({ basePort: 0, timeScale: 0.001, vendors: ['dokobit'] });
	cleanup.add('vendor sandbox', async () => await sandbox.close());
	const sandboxUrl = sandbox.emulators.dokobit.baseUrl;

	const ports = {
		main: await freePort(),
		webhook: await freePort(),
		health1: await freePort(),
		health2: await freePort(),
	};
	const webhookBase = `http://127.0.0.1:${ports.webhook}/`;
	const env = queueEnvironment({ redisPort: redis.port, postgres, webhookUrl: webhookBase });
	const common = { runtime, userFolder, env, cleanup };
	const processes = await phase('n8n main, then webhook + 2 workers', async () => {
		// Main first: it runs the database migrations the others wait for.
		const main = await startN8nProcess({
			...common,
			name: 'main',
			command: 'start',
			port: ports.main,
			brokerPort: await freePort(),
			logFile: path.join(work, 'main.log'),
		});
		console.log(`  main ready at ${main.baseUrl} (pid ${main.pid})`);
		const [webhook, worker1, worker2] = await Promise.all([
			startN8nProcess({
				...common,
				name: 'webhook',
				command: 'webhook',
				port: ports.webhook,
				brokerPort: await freePort(),
				logFile: path.join(work, 'webhook.log'),
			}),
			...[1, 2].map(async (n) =>
				startN8nProcess({
					...common,
					name: `worker${n}`,
					command: 'worker',
					args: ['--concurrency=5'],
					port: ports.main, // unused by a worker; n8nEnvironment wants one
					healthPort: ports[`health${n}`],
					brokerPort: await freePort(),
					logFile: path.join(work, `worker${n}.log`),
				}),
			),
		]);
		for (const p of [webhook, worker1, worker2]) console.log(`  ${p.name} ready (pid ${p.pid})`);
		return { main, webhook, workers: [worker1, worker2] };
	});
	const client = new N8nClient(processes.main.baseUrl);
	await client.ensureOwner();
	const credential = await client.createCredential('Dokobit sandbox (queue)', 'dokobitGatewayApi', {
		environment: 'custom',
		baseUrl: sandboxUrl,
		accessToken: TOKEN,
	});
	return { client, credential, sandbox, sandboxUrl, webhookBase, processes, work };
}

// ----- REST helpers -----------------------------------------------------------------------------

function restHelpers(client) {
	const enc = encodeURIComponent;
	return {
		async count(workflowId, status) {
			const filter = status ? { workflowId, status } : { workflowId };
			const page = await client.request(
				'GET',
				`/rest/executions?filter=${enc(JSON.stringify(filter))}&limit=1`,
			);
			return page.count;
		},
		/**
		 * Every execution of a workflow. n8n pages by id but orders by start time, so a page boundary
		 * can skip an execution that started out of id order; `alsoIds` (from the logs) are fetched one
		 * by one and kept when they belong to the workflow.
		 */
		async list(workflowId, alsoIds = []) {
			const byId = new Map();
			let cursor;
			for (let page = 0; page < 50; page++) {
				const query = `filter=${enc(JSON.stringify({ workflowId }))}&limit=100${cursor ? `&cursor=${enc(cursor)}` : ''}`;
				const result = await client.request('GET', `/rest/executions?${query}`);
				for (const execution of result.results) byId.set(String(execution.id), execution);
				if (!result.nextCursor || result.results.length === 0) break;
				cursor = result.nextCursor;
			}
			for (const id of new Set(alsoIds)) {
				if (byId.has(String(id))) continue;
				const execution = await client.request('GET', `/rest/executions/${id}`);
				if (String(execution.workflowId) === String(workflowId)) byId.set(String(id), execution);
			}
			return [...byId.values()];
		},
		async execution(id) {
			return await client.request('GET', `/rest/executions/${id}`);
		},
		/** First output item of a node's last run (execution data is `flatted`). */
		async nodeOutput(id, nodeName) {
			const execution = await client.request('GET', `/rest/executions/${id}`);
			const data = parse(execution.data);
			return data.resultData.runData[nodeName]?.at(-1)?.data?.main?.[0]?.[0];
		},
		/**
		 * The item a webhook trigger emitted: its run output, or, for an execution that never ran
		 * on a worker, the start data n8n queued for it.
		 */
		async triggerItem(id, nodeName) {
			const execution = await client.request('GET', `/rest/executions/${id}`);
			const data = parse(execution.data);
			const ran = data.resultData?.runData?.[nodeName]?.at(-1)?.data?.main?.[0]?.[0];
			const queued = data.executionData?.nodeExecutionStack?.find((s) => s.node?.name === nodeName)
				?.data?.main?.[0]?.[0];
			return { status: execution.status, item: ran ?? queued };
		},
		async createWorkflow(workflow) {
			return await client.createWorkflow({
				settings: {
					executionOrder: 'v1',
					saveDataSuccessExecution: 'all',
					saveDataErrorExecution: 'all',
				},
				...workflow,
			});
		},
	};
}

function dokobitApi(sandboxUrl) {
	const api = async (pathname, body) => {
		const response = await fetch(`${sandboxUrl}${pathname}?access_token=${TOKEN}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		const json = await response.json();
		if (!response.ok || json.status !== 'ok')
			throw new Error(`${pathname} → ${response.status} ${JSON.stringify(json).slice(0, 300)}`);
		return json;
	};
	let sample;
	return {
		async createSigning(name, signerId, postbackUrl) {
			sample ??= Buffer.from(await (await fetch(`${sandboxUrl}/__files/sample.pdf`)).arrayBuffer());
			const file = await api('/api/file/upload.json', {
				file: {
					name: 'contract.pdf',
					content: sample.toString('base64'),
					digest: createHash('sha256').update(sample).digest('hex'),
				},
			});
			const signing = await api('/api/signing/create.json', {
				type: 'pdf',
				name,
				files: [{ token: file.token }],
				postback_url: postbackUrl,
				signers: [{ id: signerId, name: 'Ona', surname: 'Onaitė', signing_purpose: 'signature' }],
			});
			return signing.token;
		},
		async sign(token, signerId) {
			const response = await fetch(`${sandboxUrl}/__signings/${token}/signers/${signerId}/sign`, {
				method: 'POST',
			});
			return response.status;
		},
		async signings() {
			return await (await fetch(`${sandboxUrl}/__signings`)).json();
		},
		async deliveries() {
			return await (await fetch(`${sandboxUrl}/__deliveries`)).json();
		},
	};
}

const latencies = [];
async function post(url, body) {
	const t0 = Date.now();
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'user-agent': 'esign-queue-replay' },
		body: JSON.stringify(body),
	});
	await response.arrayBuffer();
	latencies.push(Date.now() - t0);
	return response.status;
}

function percentiles(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
	return `${at(0.5)} ms / ${sorted.at(-1) ?? 0} ms`;
}

const tally = (statuses) =>
	statuses.reduce((acc, status) => ({ ...acc, [status]: (acc[status] ?? 0) + 1 }), {});

// ----- scenario 1: the trigger under load -------------------------------------------------------

async function triggerScenario({
	client,
	credential,
	sandbox,
	sandboxUrl,
	webhookBase,
	processes,
}) {
	const rest = restHelpers(client);
	const dokobit = dokobitApi(sandboxUrl);
	const webhookId = randomUUID();
	const postbackUrl = `${webhookBase}webhook/${webhookId}/webhook?secret=${URL_SECRET}`;

	const workflow = await phase('trigger: workflow activated on main', async () => {
		const wf = await rest.createWorkflow({
			name: 'queue: dokobit trigger',
			nodes: [
				{
					id: randomUUID(),
					name: 'Dokobit Trigger',
					type: 'n8n-nodes-esign.dokobitGatewayTrigger',
					typeVersion: 1,
					position: [0, 0],
					webhookId,
					parameters: {
						events: ['signing_completed'],
						verification: 'refetchStatus',
						secret: URL_SECRET,
						options: {},
					},
					credentials: { dokobitGatewayApi: { id: credential.id, name: credential.name } },
				},
				{
					id: randomUUID(),
					name: 'After',
					type: 'n8n-nodes-base.noOp',
					typeVersion: 1,
					position: [220, 0],
					parameters: {},
				},
			],
			connections: { 'Dokobit Trigger': { main: [[{ node: 'After', type: 'main', index: 0 }]] } },
		});
		await client.activate(wf);
		// Registration is asynchronous; an empty body answers 400 once the webhook process knows it.
		const probe = await until(async () => (await post(postbackUrl, {})) !== 404, {
			timeoutMs: 30_000,
			everyMs: 250,
		});
		check('trigger webhook registered on the webhook process', probe);
		return wf;
	});

	const tokens = await phase(`trigger: create ${SIGNINGS} signings in the sandbox`, async () => {
		const created = await mapLimit(
			Array.from({ length: SIGNINGS }, (_, i) => i),
			10,
			async (i) => await dokobit.createSigning(`Queue contract ${i}`, 'solo', postbackUrl),
		);
		check(
			`${SIGNINGS} signings created with the webhook process's postback URL`,
			new Set(created).size === SIGNINGS,
		);
		return created;
	});

	const signedAt = Date.now();
	// The sandbox's own record of its postbacks (in-process): a lane waits until the vendor's first
	// attempts for its signing have been answered, so at most LANES signings' postbacks are in flight.
	const deliveries = sandbox.emulators.dokobit.ctx.deliveries;
	const firstAttemptsAnswered = async (token) =>
		await until(
			() => {
				const mine = deliveries.filter((d) => d.body.token === token && d.attempt === 1);
				return mine.length >= 2 && mine.every((d) => d.status !== undefined);
			},
			{ timeoutMs: 20_000, everyMs: 25 },
		);
	const mode = BURST ? 'burst: all at once' : `${LANES} signings in flight`;
	await phase(
		`trigger: sign all (${mode}), racing duplicates against the real postbacks`,
		async () => {
			const duplicateStatuses = [];
			const signStatuses = await mapLimit(tokens, BURST ? 20 : LANES, async (token, i) => {
				const status = await dokobit.sign(token, 'solo');
				const duplicates = [];
				if (i % CONCURRENT_DUPLICATE_EVERY === 0) {
					const replay = {
						status: 'ok',
						token,
						action: 'signing_completed',
						file: `${sandboxUrl}/api/signing/${token}/download`,
					};
					duplicates.push(post(postbackUrl, replay), post(postbackUrl, replay));
				}
				if (!BURST) await firstAttemptsAnswered(token);
				duplicateStatuses.push(...(await Promise.all(duplicates)));
				return status;
			});
			numbers['concurrent duplicate postbacks (answers)'] = tally(duplicateStatuses);
			numbers['concurrent duplicate postbacks (latency p50 / max)'] = percentiles(
				latencies.splice(0),
			);
			check(
				'every signer signed in the sandbox (200)',
				signStatuses.every((s) => s === 200),
				JSON.stringify(tally(signStatuses)),
			);
		},
	);

	const settled = await phase('trigger: wait for the executions', async () => {
		const result = await until(
			async () => {
				const success = await rest.count(workflow.id, ['success']);
				const all = await rest.count(workflow.id);
				return { done: success >= SIGNINGS || (all >= SIGNINGS && success === all), success, all };
			},
			{ timeoutMs: 240_000, everyMs: 1000 },
		);
		numbers['trigger: time from first sign to last execution'] = seconds(Date.now() - signedAt);
		return result;
	});

	await phase('trigger: late replays of delivered postbacks', async () => {
		const deliveries = await dokobit.deliveries();
		const ours = deliveries.filter((d) => d.url === postbackUrl);
		const completed = ours.filter((d) => d.body.action === 'signing_completed');
		const okTokens = new Set(completed.filter((d) => d.ok).map((d) => d.body.token));
		numbers['sandbox postbacks'] = {
			deliveries: ours.length,
			signer_signed: ours.filter((d) => d.body.action === 'signer_signed').length,
			signing_completed: completed.length,
			'non-2xx or failed attempts': ours.filter((d) => !d.ok).length,
			answers: tally(ours.map((d) => (d.error ? `${d.status} ${d.error}` : d.status))),
		};
		check(
			'every signing_completed postback answered 2xx (retries included)',
			tokens.every((t) => okTokens.has(t)),
			`${okTokens.size}/${tokens.length}`,
		);
		const firstOk = [
			...new Map(completed.filter((d) => d.ok).map((d) => [d.body.token, d])).values(),
		];
		const signer = [
			...new Map(
				ours.filter((d) => d.ok && d.body.action === 'signer_signed').map((d) => [d.body.token, d]),
			).values(),
		];
		const replays = [...firstOk.slice(0, LATE_REPLAYS), ...signer.slice(0, LATE_SIGNER_REPLAYS)];
		const answers = await mapLimit(replays, 10, async (d) => await post(d.url, d.body));
		numbers['late replays (answers)'] = tally(answers);
		numbers['late replays (latency p50 / max)'] = percentiles(latencies.splice(0));
		check(
			`${replays.length} late replays acknowledged 200`,
			answers.every((s) => s === 200),
		);
		await sleep(3000);
	});

	await phase('trigger: count, dedupe and split', async () => {
		const quiet = await until(
			async () => {
				const running = await rest.count(workflow.id, ['new', 'running']);
				return running === 0;
			},
			{ timeoutMs: 30_000, everyMs: 500 },
		);
		check('no executions left running', quiet);
		const success = await rest.count(workflow.id, ['success']);
		const all = await rest.count(workflow.id);
		const failed = await rest.count(workflow.id, ['error', 'crashed', 'canceled']);
		numbers['trigger executions (success / all / error+crashed+canceled)'] =
			`${success} / ${all} / ${failed}`;
		check(
			`exactly ${SIGNINGS} successful executions`,
			success === SIGNINGS,
			`success=${success} (before replays ${settled?.success})`,
		);
		check(
			'no other executions (errors, crashes, extras)',
			all === SIGNINGS && failed === 0,
			`all=${all} failed=${failed}`,
		);

		const logged = [
			...enqueuedJobs(processes.webhook.log()),
			...processes.workers.flatMap((w) => workerJobs(w.log()).finished),
		].map((job) => job.executionId);
		const executions = await rest.list(workflow.id, logged);
		numbers['trigger executions listed by REST paging / found only through the logs'] =
			// Detail responses (fetched by id) carry `data`; list rows do not.
			`${executions.filter((e) => e.data === undefined).length} / ${executions.filter((e) => e.data !== undefined).length}`;
		const rows = await mapLimit(executions, 8, async (e) => {
			const { status, item } = await rest.triggerItem(e.id, 'Dokobit Trigger');
			const after = status === 'success' ? await rest.nodeOutput(e.id, 'After') : undefined;
			return {
				id: String(e.id),
				status,
				startedAt: e.startedAt,
				documentId: item?.json?.documentId,
				ranThrough: after?.json?.documentId === item?.json?.documentId,
				// Who delivered it: the sandbox ("dokobit-emulator") or this script's duplicates.
				from: item?.json?.raw?.headers?.['user-agent'],
			};
		});
		fs.writeFileSync(path.join(work, 'trigger-executions.json'), JSON.stringify(rows, null, 2));
		// n8n stores some runs redacted when its own database calls fail under overload
		// ("redacting run for everyone"); their trigger output cannot be read back.
		const unreadable = rows.filter((r) => !r.documentId);
		const perToken = new Map();
		for (const row of rows.filter((r) => r.documentId))
			perToken.set(row.documentId, [...(perToken.get(row.documentId) ?? []), row]);
		const succeeded = new Set(
			rows.filter((r) => r.status === 'success' && r.ranThrough).map((r) => r.documentId),
		);
		const lost = tokens.filter((t) => !succeeded.has(t));
		const duplicated = [...perToken].filter(([, list]) => list.length > 1);
		const acknowledged = new Set(
			(await dokobit.deliveries())
				.filter((d) => d.ok && d.body.action === 'signing_completed')
				.map((d) => d.body.token),
		);
		const lostAfter200 = lost.filter((t) => acknowledged.has(t));
		numbers[
			'trigger documentIds (distinct with success / executions / lost / duplicated / unreadable)'
		] =
			`${succeeded.size} / ${rows.length} / ${lost.length} / ${duplicated.length} / ${unreadable.length}`;
		if (lostAfter200.length)
			numbers['no successful execution although the vendor got a 2xx'] =
				`${lostAfter200.length}: ${lostAfter200.slice(0, 5).join(', ')}`;
		if (unreadable.length)
			numbers['executions without readable trigger output'] = unreadable
				.slice(0, 10)
				.map((r) => `#${r.id} ${r.status}`);
		for (const [token, list] of duplicated.slice(0, 5))
			numbers[`duplicate ${token}`] = list.map((r) => `#${r.id} ${r.status} from ${r.from}`);
		check(
			`${SIGNINGS} distinct documentIds in successful executions`,
			succeeded.size === SIGNINGS,
			`${succeeded.size}`,
		);
		check(
			'none lost (every signing token ran to the end)',
			lost.length === 0,
			lost.slice(0, 3).join(', '),
		);
		check(
			'none duplicated (one execution per signing)',
			duplicated.length === 0 && rows.length === SIGNINGS,
			`${duplicated.length} signings with several executions`,
		);

		const ids = new Set(executions.map((e) => String(e.id)));
		const split = processes.workers.map((w) => {
			const { finished } = workerJobs(w.log());
			return new Set(finished.map((j) => j.executionId).filter((id) => ids.has(id))).size;
		});
		numbers['trigger split worker1 / worker2 (from "Worker finished execution" log lines)'] =
			`${split[0]} / ${split[1]}`;
		check(
			'every execution ran on a worker (worker logs account for all)',
			split[0] + split[1] === executions.length,
			`${split[0]} + ${split[1]} of ${executions.length}`,
		);
		check('both workers took trigger executions', split[0] > 0 && split[1] > 0);
	});
}

// ----- scenario 2: send and wait across processes -----------------------------------------------

async function waitScenario({ client, credential, sandboxUrl, webhookBase, processes }) {
	const rest = restHelpers(client);
	const dokobit = dokobitApi(sandboxUrl);
	const workers = processes.workers;
	const webhookPath = `queue-wait-${randomUUID()}`;
	const startUrl = `${webhookBase}webhook/${webhookPath}`;

	await phase('send and wait: workflow activated on main', async () => {
		const workflow = await rest.createWorkflow({
			name: 'queue: dokobit send and wait',
			nodes: [
				{
					id: randomUUID(),
					name: 'Start',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: randomUUID(),
					parameters: {
						httpMethod: 'POST',
						path: webhookPath,
						responseMode: 'onReceived',
						options: {},
					},
				},
				{
					id: randomUUID(),
					name: 'Send and wait',
					type: 'n8n-nodes-esign.dokobitGateway',
					typeVersion: 1,
					position: [220, 0],
					webhookId: randomUUID(),
					parameters: {
						resource: 'signing',
						operation: 'createAndWait',
						name: '={{ $json.body.name }}',
						type: 'pdf',
						filesFrom: 'upload',
						fileSource: 'url',
						fileUrl: `${sandboxUrl}/__files/sample.pdf`,
						signersInput: 'json',
						signersJson: '={{ JSON.stringify($json.body.signers) }}',
						waitOptions: { binaryPropertyName: 'signed' },
					},
					credentials: { dokobitGatewayApi: { id: credential.id, name: credential.name } },
				},
				{
					id: randomUUID(),
					name: 'After',
					type: 'n8n-nodes-base.noOp',
					typeVersion: 1,
					position: [440, 0],
					parameters: {},
				},
			],
			connections: {
				Start: { main: [[{ node: 'Send and wait', type: 'main', index: 0 }]] },
				'Send and wait': { main: [[{ node: 'After', type: 'main', index: 0 }]] },
			},
		});
		await client.activate(workflow);
	});

	const runs = await phase(
		'send and wait: start 2 runs on the webhook process, wait for "waiting"',
		async () => {
			const names = ['A', 'B'].map((letter) => `Queue wait ${letter} ${randomUUID()}`);
			for (const name of names) {
				const status = await until(
					async () => {
						const s = await post(startUrl, {
							name,
							signers: [
								{ id: 'solo', name: 'Ona', surname: 'Onaitė', signing_purpose: 'signature' },
							],
						});
						return { done: s !== 404, s };
					},
					{ timeoutMs: 30_000, everyMs: 250 },
				);
				check(
					`run ${name.split(' ')[2]} started via the webhook process`,
					status.s === 200,
					`HTTP ${status.s}`,
				);
			}
			const found = await until(
				async () => {
					const list = await dokobit.signings();
					const mine = names.map((name) => list.find((s) => s.name === name));
					return { done: mine.every(Boolean), mine };
				},
				{ timeoutMs: 60_000 },
			);
			const result = [];
			for (const [index, signing] of found.mine.entries()) {
				const label = index === 0 ? 'A' : 'B';
				if (!check(`run ${label}: signing created by a worker`, signing)) continue;
				// The package's proof on every n8n; n8n's own signature too from 2.14.
				const match =
					/\/webhook-waiting\/(\d+)\?(?:signature=[0-9a-f]{64}&)?esignProof=[0-9a-f]{64}$/.exec(
						signing.postbackUrl ?? '',
					);
				check(
					`run ${label}: postback_url is the proven resume URL on the webhook process`,
					match && signing.postbackUrl.startsWith(`${webhookBase}webhook-waiting/`),
					signing.postbackUrl,
				);
				if (!match) continue;
				const executionId = match[1];
				const waiting = await until(
					async () => (await rest.execution(executionId)).status === 'waiting',
					{ timeoutMs: 30_000 },
				);
				check(`run ${label}: execution ${executionId} is waiting`, waiting);
				const startedOn = workers
					.filter((w) => workerJobs(w.log()).started.some((j) => j.executionId === executionId))
					.map((w) => w.name);
				check(
					`run ${label}: a worker log shows it started execution ${executionId}`,
					startedOn.length === 1,
					startedOn.join(', '),
				);
				result.push({ label, executionId, token: signing.token, startedOn: startedOn[0] });
			}
			return result;
		},
	);

	const resumeAndCheck = async (run) => {
		const signedAt = Date.now();
		check(
			`run ${run.label}: signer signs in the sandbox`,
			(await dokobit.sign(run.token, 'solo')) === 200,
		);
		const done = await until(
			async () => {
				const execution = await rest.execution(run.executionId);
				return { done: !['waiting', 'running', 'new'].includes(execution.status), execution };
			},
			{ timeoutMs: 60_000 },
		);
		numbers[`wait run ${run.label}: sign → success`] = seconds(Date.now() - signedAt);
		check(
			`run ${run.label}: resumed to success`,
			done.execution.status === 'success',
			done.execution.status,
		);
		const after = await rest.nodeOutput(run.executionId, 'After');
		check(
			`run ${run.label}: outcome completed, verified, own signing, signed PDF attached`,
			after?.json?.outcome === 'completed' &&
				after.json.verified === true &&
				after.json.documentId === run.token &&
				after.binary?.signed?.mimeType === 'application/pdf',
			JSON.stringify({
				outcome: after?.json?.outcome,
				verified: after?.json?.verified,
				binary: after?.binary?.signed?.id?.split(':')[0],
			}),
		);
		const resume = (await dokobit.deliveries()).filter((d) => d.body.token === run.token);
		const resumeAnswers = resume.map((d) => `${d.body.action}→${d.status}`);
		// One signer: signer_signed and signing_completed arrive together; whichever is verified first
		// resumes the execution, the other may get 409 (running) and is retried by the sandbox.
		check(
			`run ${run.label}: postbacks went to the resume URL on the webhook process, one answered 2xx`,
			resume.length > 0 &&
				resume.every((d) =>
					d.url.startsWith(`${webhookBase}webhook-waiting/${run.executionId}?`),
				) &&
				resume.some((d) => d.ok),
			resumeAnswers.join(', '),
		);
		const perWorker = workers.map((w) => ({
			name: w.name,
			started: workerJobs(w.log()).started.filter((j) => j.executionId === run.executionId),
		}));
		const jobs = perWorker.flatMap((w) =>
			w.started.map((j) => ({ worker: w.name, job: Number(j.jobId) })),
		);
		jobs.sort((a, b) => a.job - b.job);
		run.jobs = jobs;
		run.resumedOn = jobs.length === 2 ? jobs[1].worker : undefined;
		const enqueued = enqueuedJobs(processes.webhook.log(), run.executionId).map((j) =>
			Number(j.jobId),
		);
		check(
			`run ${run.label}: the webhook process enqueued both jobs (start and resume)`,
			enqueued.length === 2 && jobs.every((j) => enqueued.includes(j.job)),
			`webhook log: jobs ${enqueued.join(', ')}`,
		);
		const execution = done.execution;
		numbers[`wait run ${run.label}: evidence`] =
			`execution ${run.executionId} (mode ${execution.mode}): webhook process (pid ${processes.webhook.pid}) enqueued jobs ${enqueued.join(' and ')}; ` +
			jobs.map((j) => `job ${j.job} ran on ${j.worker}`).join(', ') +
			`; sandbox postbacks to its resume URL: ${resumeAnswers.join(', ')}` +
			(execution.customData ? `; customData ${JSON.stringify(execution.customData)}` : '');
		check(
			`run ${run.label}: two worker jobs for execution ${run.executionId} (start, resume)`,
			jobs.length === 2,
			jobs.map((j) => `${j.worker}#${j.job}`).join(' '),
		);
		return run;
	};

	await phase('send and wait: run A resumes with both workers up', async () => {
		const run = runs.find((r) => r.label === 'A');
		if (!run) return check('run A available', false);
		await resumeAndCheck(run);
		console.log(
			`  run A: started on ${run.startedOn}, resumed on ${run.resumedOn} (both workers up: either may take it)`,
		);
	});

	await phase('send and wait: run B resumes after its worker is stopped', async () => {
		const run = runs.find((r) => r.label === 'B');
		if (!run) return check('run B available', false);
		const first = workers.find((w) => w.name === run.startedOn);
		const other = workers.find((w) => w.name !== run.startedOn);
		await first.stop();
		check(
			`run B: ${first.name}, which started execution ${run.executionId}, stopped`,
			first.child.exitCode !== null || first.child.signalCode !== null,
		);
		await resumeAndCheck(run);
		check(
			`run B: resumed on ${other.name}, not on ${first.name} that put it to wait`,
			run.resumedOn === other.name,
			`started on ${run.startedOn}, resumed on ${run.resumedOn}`,
		);
	});
}

// ----- main -------------------------------------------------------------------------------------

async function main() {
	console.log(`queue mode end to end: ${SIGNINGS} signings; work dir ${work}`);
	const context = await setUp();
	await triggerScenario(context);
	await waitScenario(context);
	const logs = [context.processes.main, context.processes.webhook, ...context.processes.workers]
		.map((p) => p.log())
		.join('\n');
	check('no API key (access token) in any n8n log', !logs.includes(TOKEN));
	check('no URL secret in any n8n log', !logs.includes(URL_SECRET));
	numbers['SQLite warnings in logs'] = String(
		(logs.match(/not officially supported with sqlite/g) ?? []).length,
	);
}

main()
	.then(async () => await finish(0))
	.catch(async (error) => {
		console.error(`\n✗ ${error.stack ?? error}`);
		check('scenario ran to the end', false, error.message);
		await finish(1);
	});
