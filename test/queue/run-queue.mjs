// `npm run test:queue`, part of `npm test`: this package in n8n's queue mode, end to end
// (https://docs.n8n.io/hosting/scaling/queue-mode/), the way it is scaled out in production.
//
// Redis + a throwaway PostgreSQL; one `n8n start` (main), TWO `n8n webhook` processes behind a
// round-robin balancer (node:http, in this process; N8N_WEBHOOK_URL points at it), two
// `n8n worker`; one user folder with the packed package installed; the vendor sandbox in-process.
//   1. Dedupe, for each trigger (Dokobit Gateway, OKdokument, Documentolog), events the sandbox's
//      state confirms, delivered by this script through the balancer:
//      - sequential: SEQUENTIAL_EVENTS events, each delivered twice in a row, so every repeat
//        reaches the other webhook process → exactly one execution per event;
//      - concurrent: CONCURRENT_EVENTS events, COPIES copies each at the same instant, spread over
//        both processes → measured; at most one execution per webhook process (README → Reliability
//        rules says why no more is guaranteed); the same sent to one process only (what routing by
//        URL path gives) → exactly one;
//      - every event once more, one at a time → no new execution; the saved static data holds
//        every key;
//      - one more event, then both webhook processes restarted, then every event again → still
//        one execution per sequentially delivered event.
//   2. Trigger under load: SIGNINGS Dokobit signings post back (the sandbox's own postbacks, with
//      its retries) → exactly one successful execution per signing; then late replays, one at a
//      time → none whose key the saved static data holds starts anything (keys it lacks, dropped by
//      saves of events handled at the same time on the other process, are counted).
//   3. A manual execution (REST `/run`) of an action node against the sandbox runs on a worker
//      (OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true, what n8n 3 always does).
//   4. Send and wait: Webhook → Dokobit "Create and Wait" → NoOp, started through the balancer,
//      put to wait by a worker, resumed by the postback and finished by a worker; the second run
//      with the worker that started it stopped, so it must resume on the other.
// Everything it starts is stopped again whatever fails (Cleanup in scripts/lib/queue.mjs). Needs
// root for apt-get when redis-server or postgresql is missing. Env knobs: ESIGN_QUEUE_SIGNINGS
// (40), ESIGN_QUEUE_LANES (4), ESIGN_QUEUE_SEQUENTIAL_EVENTS (11), ESIGN_QUEUE_CONCURRENT_EVENTS
// (4), ESIGN_QUEUE_TIMEOUT_MS (900000), ESIGN_QUEUE_KEEP=1 (keep the logs), ESIGN_QUEUE_SQL_LOG=1
// (PostgreSQL logs every write, with the n8n process that made it), ESIGN_TARBALL (use this tarball
// instead of build + pack).
import { createHash, createHmac, randomUUID } from 'node:crypto';
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
	startBalancer,
	startN8nProcess,
	startPostgres,
	startRedis,
	workerJobs,
} from '../../scripts/lib/queue.mjs';
import { startSandbox } from '../sandbox/cli.mjs';

const SIGNINGS = Number(process.env.ESIGN_QUEUE_SIGNINGS ?? 40);
const LANES = Number(process.env.ESIGN_QUEUE_LANES ?? 4); // signings whose postbacks may be in flight
const SEQUENTIAL_EVENTS = Number(process.env.ESIGN_QUEUE_SEQUENTIAL_EVENTS ?? 11);
const CONCURRENT_EVENTS = Number(process.env.ESIGN_QUEUE_CONCURRENT_EVENTS ?? 4);
const STICKY_EVENTS = 2; // events whose concurrent copies all go to one webhook process
const COPIES = 5; // copies of one event sent at the same instant
const WEBHOOK_PROCESSES = 2;
const TIME_LIMIT_MS = Number(process.env.ESIGN_QUEUE_TIMEOUT_MS ?? 900_000);
const KEEP = process.env.ESIGN_QUEUE_KEEP === '1';
const SQL_LOG = process.env.ESIGN_QUEUE_SQL_LOG === '1';
const LATE_REPLAYS = 20; // delivered signing_completed postbacks sent again after the load
const DOKOBIT_TOKEN = 'example-dokobit-token';
const OKDOKUMENT_KEY = 'example-okdokument-key';
const DOCUMENTOLOG_KEY = 'example-documentolog-key';
const URL_SECRET = `queue-${randomUUID()}`;

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

const tally = (values) =>
	values.reduce((acc, value) => ({ ...acc, [value]: (acc[value] ?? 0) + 1 }), {});

// ----- finishing: summary, cleanup, exit code, also on time-out and signals ---------------------

/** Every n8n process started, restarted ones included (their `stop` is idempotent). */
const n8nProcesses = new Set();

/** startN8nProcess, remembered for the cleanup. */
async function startN8n(options) {
	const started = await startN8nProcess(options);
	n8nProcesses.add(started);
	return started;
}

let finishing;
async function finish(code) {
	finishing ??= (async () => {
		clearTimeout(watchdog);
		console.log('\n› cleanup');
		const t0 = Date.now();
		// n8n processes first and all at once (each may take its 10 s graceful shutdown), then the
		// rest in reverse order of start; the cleanup stack would stop them one by one.
		await Promise.allSettled([...n8nProcesses].map(async (p) => await p.stop()));
		await cleanup.run();
		timings.push(['cleanup', Date.now() - t0]);
		const failed = checks.filter((c) => !c.ok).length;
		const passed = checks.length - failed;
		const exitCode = code !== 0 ? code : failed > 0 || passed === 0 ? 1 : 0;
		if (exitCode === 0 && !KEEP) fs.rmSync(work, { recursive: true, force: true });
		else console.log(`  logs kept in ${work}`);
		console.log('\n=== queue-mode summary ===');
		for (const [name, ms] of timings) console.log(`  ${name.padEnd(60)} ${seconds(ms)}`);
		console.log(`  ${'total'.padEnd(60)} ${seconds(Date.now() - started)}`);
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
		const pg = await startPostgres({
			cleanup,
			keepLogAs: path.join(work, 'postgres.log'),
			// `%a`: the n8n process (PGAPPNAME) behind each logged statement.
			settings: SQL_LOG ? { log_statement: 'mod', log_line_prefix: "'%m %a '" } : {},
		});
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
	const sandbox = await startSandbox({
		basePort: 0,
		timeScale: 0.001,
		vendors: ['dokobit', 'okdokument', 'documentolog'],
	});
	cleanup.add('vendor sandbox', async () => await sandbox.close());

	const webhookTargets = Array.from({ length: WEBHOOK_PROCESSES }, (_, i) => ({
		name: `webhook${i + 1}`,
	}));
	for (const target of webhookTargets) target.port = await freePort();
	const balancer = await startBalancer({ targets: webhookTargets, cleanup });
	const env = queueEnvironment({ redisPort: redis.port, postgres, webhookUrl: balancer.url });
	const common = { runtime, userFolder, env, cleanup };
	const mainPort = await freePort();
	const startWebhook = async (target) =>
		await startN8n({
			...common,
			name: target.name,
			command: 'webhook',
			port: target.port,
			brokerPort: await freePort(),
			logFile: path.join(work, `${target.name}.log`),
		});
	const processes = await phase('n8n main, then 2 webhook processes + 2 workers', async () => {
		// Main first: it runs the database migrations the others wait for.
		const main = await startN8n({
			...common,
			name: 'main',
			command: 'start',
			port: mainPort,
			brokerPort: await freePort(),
			logFile: path.join(work, 'main.log'),
		});
		console.log(`  main ready at ${main.baseUrl} (pid ${main.pid})`);
		const [webhooks, workers] = await Promise.all([
			Promise.all(webhookTargets.map(startWebhook)),
			Promise.all(
				[1, 2].map(async (n) =>
					startN8n({
						...common,
						name: `worker${n}`,
						command: 'worker',
						args: ['--concurrency=5'],
						port: mainPort, // unused by a worker; n8nEnvironment wants one
						healthPort: await freePort(),
						brokerPort: await freePort(),
						logFile: path.join(work, `worker${n}.log`),
					}),
				),
			),
		]);
		for (const p of [...webhooks, ...workers]) console.log(`  ${p.name} ready (pid ${p.pid})`);
		return { main, webhooks, workers };
	});
	/** Stops every webhook process, then starts them again on the same ports (new pids). */
	processes.restartWebhooks = async () => {
		await Promise.all(processes.webhooks.map(async (p) => await p.stop()));
		processes.webhooks = await Promise.all(webhookTargets.map(startWebhook));
	};
	/** Every webhook process's log so far, restarts included (they append to the same file). */
	processes.webhookLogs = () => processes.webhooks.map((p) => p.log()).join('\n');

	const client = new N8nClient(processes.main.baseUrl);
	await client.ensureOwner();
	const credentials = {
		dokobit: await client.createCredential('Dokobit sandbox (queue)', 'dokobitGatewayApi', {
			environment: 'custom',
			baseUrl: sandbox.emulators.dokobit.baseUrl,
			accessToken: DOKOBIT_TOKEN,
		}),
		okdokument: await client.createCredential('OKdokument sandbox (queue)', 'okDokumentApi', {
			environment: 'custom',
			baseUrl: sandbox.emulators.okdokument.baseUrl,
			apiKey: OKDOKUMENT_KEY,
		}),
		documentolog: await client.createCredential('Documentolog sandbox (queue)', 'documentologApi', {
			host: 'custom',
			baseUrl: sandbox.emulators.documentolog.baseUrl,
			apiKey: DOCUMENTOLOG_KEY,
		}),
	};
	return { client, credentials, sandbox, balancer, webhookBase: balancer.url, processes, postgres };
}

// ----- REST helpers, over N8nClient (scripts/lib/n8n-rest.cjs) ---------------------------------

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
		execution: async (id) => await client.execution(id),
		createWorkflow: async (workflow) => await client.createWorkflow(workflow, { saveAll: true }),
		/** The workflow's static data as saved in the database. */
		async staticData(workflowId) {
			return (await client.request('GET', `/rest/workflows/${workflowId}`)).staticData ?? {};
		},
		/** Resolves once no execution of the workflow is new or running and the count held still. */
		async settle(workflowId, { timeoutMs = 60_000 } = {}) {
			let last = -1;
			const result = await until(
				async () => {
					const busy = await this.count(workflowId, ['new', 'running']);
					const all = await this.count(workflowId);
					const stable = busy === 0 && all === last;
					last = all;
					return { done: stable, all, busy };
				},
				{ timeoutMs, everyMs: 1000 },
			);
			return result.done;
		},
	};
}

async function post(url, body, headers = {}) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'user-agent': 'esign-queue', ...headers },
		body: JSON.stringify(body),
	});
	await response.arrayBuffer();
	return response.status;
}

async function json(url, init = {}) {
	const response = await fetch(url, init);
	const text = await response.text();
	if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} → ${response.status}: ${text}`);
	return text ? JSON.parse(text) : undefined;
}

// ----- the three vendors: a trigger workflow and events their sandbox confirms -------------------

function dokobitApi(sandboxUrl) {
	const api = async (pathname, body) => {
		const answer = await json(`${sandboxUrl}${pathname}?access_token=${DOKOBIT_TOKEN}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		if (answer.status !== 'ok') throw new Error(`${pathname}: ${JSON.stringify(answer)}`);
		return answer;
	};
	let sample;
	return {
		/** A signing with one signer; its postbacks go to `postbackUrl` (none when undefined). */
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
				...(postbackUrl ? { postback_url: postbackUrl } : {}),
				signers: [{ id: signerId, name: 'Ona', surname: 'Onaitė', signing_purpose: 'signature' }],
			});
			return signing.token;
		},
		async sign(token, signerId) {
			const response = await fetch(`${sandboxUrl}/__signings/${token}/signers/${signerId}/sign`, {
				method: 'POST',
			});
			await response.arrayBuffer();
			return response.status;
		},
		async signings() {
			return await json(`${sandboxUrl}/__signings`);
		},
		async signingsNamed(name) {
			return (await this.signings()).filter((signing) => signing.name === name);
		},
		async deliveries() {
			return await json(`${sandboxUrl}/__deliveries`);
		},
	};
}

/**
 * Per vendor: the trigger node, its URL and a maker of events that the sandbox's own state
 * confirms (Dokobit and OKdokument triggers re-fetch the status before they emit). The events are
 * made without a callback URL, so only this script delivers them.
 */
function vendorTriggers({ sandbox, credentials, webhookBase }) {
	const dokobitUrl = sandbox.emulators.dokobit.baseUrl;
	const okdokumentUrl = sandbox.emulators.okdokument.baseUrl;
	const dokobit = dokobitApi(dokobitUrl);
	let okdokumentPdf;
	return [
		{
			label: 'Dokobit Gateway Trigger',
			nodeName: 'Dokobit Trigger',
			type: 'n8n-nodes-esign.dokobitGatewayTrigger',
			credentials: { dokobitGatewayApi: credentials.dokobit },
			parameters: {
				events: ['signing_completed'],
				verification: 'refetchStatus',
				secret: URL_SECRET,
				options: {},
			},
			url: (webhookId) => `${webhookBase}webhook/${webhookId}/webhook?secret=${URL_SECRET}`,
			async newEvent(name) {
				const token = await dokobit.createSigning(name, 'solo');
				if ((await dokobit.sign(token, 'solo')) !== 200) throw new Error(`sign ${token}`);
				return {
					status: 'ok',
					token,
					action: 'signing_completed',
					file: `${dokobitUrl}/api/signing/${token}/download`,
				};
			},
		},
		{
			label: 'OKdokument Trigger',
			nodeName: 'OKdokument Trigger',
			type: 'n8n-nodes-esign.okDokumentTrigger',
			credentials: { okDokumentApi: credentials.okdokument },
			parameters: {
				events: ['signed', 'canceled'],
				verification: 'refetchMetadata',
				secret: URL_SECRET,
				options: {},
			},
			url: (webhookId) => `${webhookBase}webhook/${webhookId}/webhook?secret=${URL_SECRET}`,
			async newEvent() {
				okdokumentPdf ??= Buffer.from(
					await (await fetch(`${okdokumentUrl}/__files/sample.pdf`)).arrayBuffer(),
				);
				const request = await json(`${okdokumentUrl}/JSON/signatureRequest`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'x-api-key': OKDOKUMENT_KEY },
					body: JSON.stringify({
						filedata: { filename: 'queue.pdf', content: okdokumentPdf.toString('base64') },
					}),
				});
				await json(`${okdokumentUrl}/__signature-requests/${request.result}/submit`, {
					method: 'POST',
				});
				return { state: 'signed', id: request.documentId, signatureRequestId: request.result };
			},
		},
		{
			label: 'Documentolog Trigger',
			nodeName: 'Documentolog Trigger',
			type: 'n8n-nodes-esign.documentologTrigger',
			credentials: { documentologApi: credentials.documentolog },
			parameters: {
				events: ['document_sent', 'signer_signed', 'signer_declined', 'document_completed'],
				options: {},
			},
			// The trigger's own secret, as nodes/Documentolog/helpers/secret.ts derives it (and the
			// Create Signing Session operation adds it): HMAC(API key, "documentolog-trigger:" + id).
			url: (webhookId) =>
				`${webhookBase}webhook/${webhookId}/webhook?secret=${createHmac('sha256', DOCUMENTOLOG_KEY)
					.update(`documentolog-trigger:${webhookId}`)
					.digest('hex')}`,
			// Documentolog has no status endpoint to check against: any well-formed event counts.
			async newEvent() {
				return { event: 'document_sent', doc_id: `QUEUE-${randomUUID()}` };
			},
		},
	];
}

// ----- scenario 1: one execution per vendor event, across webhook processes and restarts ---------

async function activateTrigger(context, vendor) {
	const rest = restHelpers(context.client);
	const webhookId = randomUUID();
	const workflow = await rest.createWorkflow({
		name: `queue: ${vendor.label}`,
		nodes: [
			{
				id: randomUUID(),
				name: vendor.nodeName,
				type: vendor.type,
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters: vendor.parameters,
				credentials: Object.fromEntries(
					Object.entries(vendor.credentials).map(([type, c]) => [type, { id: c.id, name: c.name }]),
				),
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
		connections: { [vendor.nodeName]: { main: [[{ node: 'After', type: 'main', index: 0 }]] } },
	});
	await context.client.activate(workflow);
	const url = vendor.url(webhookId);
	check(`${vendor.label}: webhook registered on both webhook processes`, await registered(url));
	return { ...vendor, workflow, url, events: [], answers: [] };
}

/**
 * Waits until every webhook process serves `url`: activation registers webhooks asynchronously
 * (and n8n 1.x webhook processes answer 404 for a while after they start). An empty body answers
 * 400 once a process knows the URL; probe as many times in a row as there are processes.
 */
async function registered(url) {
	let inARow = 0;
	return await until(
		async () => {
			inARow = (await post(url, {})) === 400 ? inARow + 1 : 0;
			return inARow >= WEBHOOK_PROCESSES;
		},
		{ timeoutMs: 30_000, everyMs: 250 },
	);
}

/** Delivers `body` through the balancer and records the answer (200, duplicates included). */
async function deliver(trigger, body) {
	const status = await post(trigger.url, body);
	trigger.answers.push(status);
	return status;
}

async function sequentialDeliveries(trigger, balancer) {
	const before = balancer.routed.length;
	for (let i = 0; i < SEQUENTIAL_EVENTS; i++) {
		const body = await trigger.newEvent(`Queue sequential ${i}`);
		trigger.events.push({ body, kind: 'sequential' });
		await deliver(trigger, body);
		await deliver(trigger, body);
	}
	const targets = balancer.routed.slice(before).map((r) => r.target);
	const alternated = targets.every((target, i) => i === 0 || target !== targets[i - 1]);
	check(
		`${trigger.label}: ${targets.length} sequential deliveries, each repeat on the other webhook process`,
		alternated && targets.length === 2 * SEQUENTIAL_EVENTS,
		JSON.stringify(tally(targets)),
	);
}

async function concurrentDeliveries(trigger, balancer) {
	const before = balancer.routed.length;
	for (let i = 0; i < CONCURRENT_EVENTS; i++) {
		const body = await trigger.newEvent(`Queue concurrent ${i}`);
		trigger.events.push({ body, kind: 'concurrent' });
		await Promise.all(Array.from({ length: COPIES }, async () => await deliver(trigger, body)));
	}
	const targets = tally(balancer.routed.slice(before).map((r) => r.target));
	check(
		`${trigger.label}: ${CONCURRENT_EVENTS} events × ${COPIES} copies at the same instant, spread over both processes`,
		Object.keys(targets).length === WEBHOOK_PROCESSES,
		JSON.stringify(targets),
	);
}

/**
 * Concurrent copies sent to one webhook process only, what a balancer that routes by URL path
 * (sticky per trigger) does: that process's in-memory copy decides for all of them.
 */
async function stickyDeliveries(trigger, processes, webhookBase) {
	const direct = trigger.url.replace(webhookBase, `${processes.webhooks[0].baseUrl}/`);
	for (let i = 0; i < STICKY_EVENTS; i++) {
		const body = await trigger.newEvent(`Queue sticky ${i}`);
		trigger.events.push({ body, kind: 'sticky' });
		const answers = await Promise.all(
			// The header the balancer would add, so the execution names its process.
			Array.from(
				{ length: COPIES },
				async () => await post(direct, body, { 'x-esign-upstream': processes.webhooks[0].name }),
			),
		);
		trigger.answers.push(...answers);
	}
}

/** Every event delivered so far, once more, one at a time. */
async function redeliverAll(trigger) {
	for (const event of trigger.events) await deliver(trigger, event.body);
}

/** The event an execution's trigger emitted: its dedupe key and the process that served it. */
async function executionsByEvent(rest, trigger) {
	const executions = await rest.list(trigger.workflow.id);
	const rows = await mapLimit(executions, 6, async (e) => {
		const { status, item } = await rest.triggerItem(e.id, trigger.nodeName);
		return {
			id: String(e.id),
			status,
			dedupeKey: item?.json?.dedupeKey,
			documentId: item?.json?.documentId,
			upstream: item?.json?.raw?.headers?.['x-esign-upstream'],
		};
	});
	const byDocument = new Map();
	for (const row of rows)
		byDocument.set(row.documentId, [...(byDocument.get(row.documentId) ?? []), row]);
	return { rows, byDocument };
}

/** The vendor's document id in an event body (what the trigger emits as `documentId`). */
const documentIdOf = (body) => body.token ?? body.id ?? body.doc_id;

async function dedupeScenario(context) {
	const rest = restHelpers(context.client);
	const triggers = await phase('dedupe: three trigger workflows activated on main', async () => {
		const vendors = vendorTriggers(context);
		return await Promise.all(vendors.map(async (vendor) => await activateTrigger(context, vendor)));
	});

	// One vendor at a time, so that the round robin alternates within each vendor's deliveries.
	for (const trigger of triggers) {
		await phase(`dedupe: ${trigger.label}: sequential, concurrent, all again`, async () => {
			await sequentialDeliveries(trigger, context.balancer);
			await concurrentDeliveries(trigger, context.balancer);
			await stickyDeliveries(trigger, context.processes, context.webhookBase);
			// Every execution done before the next pass, so the counts are final.
			await rest.settle(trigger.workflow.id);
			await redeliverAll(trigger);
			await rest.settle(trigger.workflow.id);
		});
	}

	await phase(
		'dedupe: one more event each, restart both webhook processes, all again',
		async () => {
			for (const trigger of triggers) {
				const body = await trigger.newEvent('Queue restart');
				trigger.events.push({ body, kind: 'restart' });
				check(
					`${trigger.label}: the event before the restart answered 200`,
					(await deliver(trigger, body)) === 200,
				);
				await rest.settle(trigger.workflow.id);
			}
			const t0 = Date.now();
			await context.processes.restartWebhooks();
			numbers['restart of both webhook processes'] = seconds(Date.now() - t0);
			for (const trigger of triggers) {
				check(`${trigger.label}: served again after the restart`, await registered(trigger.url));
			}
			for (const trigger of triggers) {
				await redeliverAll(trigger);
				await rest.settle(trigger.workflow.id);
			}
		},
	);

	await phase('dedupe: executions per event, saved static data', async () => {
		for (const trigger of triggers) {
			const { rows, byDocument } = await executionsByEvent(rest, trigger);
			const runsOf = (event) => byDocument.get(documentIdOf(event.body)) ?? [];
			const perKind = (kind) => trigger.events.filter((e) => e.kind === kind).map(runsOf);
			const sequential = perKind('sequential');
			const concurrent = perKind('concurrent');
			const restart = perKind('restart');
			const sticky = perKind('sticky');
			const label = trigger.label;
			const summary = (list) => JSON.stringify(tally(list.map((runs) => runs.length)));
			numbers[`${label}: executions per event (count → events)`] =
				`sequential ${summary(sequential)}, concurrent ${summary(concurrent)}, concurrent to one process ${summary(sticky)}, across the restart ${summary(restart)}`;
			numbers[`${label}: concurrent copies that started a second execution`] =
				`${concurrent.filter((runs) => runs.length > 1).length} of ${concurrent.length} events`;
			check(
				`${label}: every delivery answered 200`,
				trigger.answers.every((s) => s === 200),
				JSON.stringify(tally(trigger.answers)),
			);
			check(
				`${label}: one execution per event delivered one at a time (${sequential.length} events, each repeat on the other process, then all again after the concurrent copies)`,
				sequential.every((runs) => runs.length === 1),
				summary(sequential),
			);
			check(
				`${label}: one execution for the event delivered before and after the restart of both webhook processes`,
				restart.every((runs) => runs.length === 1),
				summary(restart),
			);
			check(
				`${label}: concurrent copies to one webhook process (sticky routing): one execution per event`,
				sticky.every((runs) => runs.length === 1),
				summary(sticky),
			);
			check(
				`${label}: concurrent copies: at least one, at most one execution per webhook process`,
				concurrent.every((runs) => runs.length >= 1 && runs.length <= WEBHOOK_PROCESSES),
				summary(concurrent),
			);
			check(
				`${label}: every execution succeeded and served by a known process`,
				rows.every((r) => r.status === 'success' && /^webhook\d$/.test(r.upstream ?? '')),
				JSON.stringify(tally(rows.map((r) => `${r.status} ${r.upstream}`))),
			);
			const stored = (await rest.staticData(trigger.workflow.id))[`node:${trigger.nodeName}`];
			const storedKeys = new Set(Object.keys(stored?.seen ?? {}));
			const emittedKeys = new Set(rows.map((r) => r.dedupeKey));
			const missing = [...emittedKeys].filter((key) => !storedKeys.has(key));
			numbers[`${label}: saved static data holds the emitted keys`] =
				`${emittedKeys.size - missing.length} of ${emittedKeys.size}`;
			check(
				`${label}: the saved static data holds the key of every event that ran`,
				missing.length === 0,
				missing.slice(0, 3).join(', '),
			);
		}
	});
}

// ----- scenario 2: the Dokobit trigger under load -------------------------------------------------

async function loadScenario({ client, credentials, sandbox, webhookBase, processes }) {
	const rest = restHelpers(client);
	const sandboxUrl = sandbox.emulators.dokobit.baseUrl;
	const dokobit = dokobitApi(sandboxUrl);
	const webhookId = randomUUID();
	const postbackUrl = `${webhookBase}webhook/${webhookId}/webhook?secret=${URL_SECRET}`;

	const workflow = await phase('load: Dokobit trigger workflow activated on main', async () => {
		const wf = await rest.createWorkflow({
			name: 'queue: dokobit trigger under load',
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
					credentials: {
						dokobitGatewayApi: { id: credentials.dokobit.id, name: credentials.dokobit.name },
					},
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
		check(
			'load: trigger webhook registered on both webhook processes',
			await registered(postbackUrl),
		);
		return wf;
	});

	const tokens = await phase(`load: create ${SIGNINGS} signings in the sandbox`, async () => {
		const created = await mapLimit(
			Array.from({ length: SIGNINGS }, (_, i) => i),
			10,
			async (i) => await dokobit.createSigning(`Queue contract ${i}`, 'solo', postbackUrl),
		);
		check(
			`load: ${SIGNINGS} signings created with the balancer's postback URL`,
			new Set(created).size === SIGNINGS,
		);
		return created;
	});

	// The sandbox's own record of its postbacks (in-process): a lane waits until the vendor's first
	// attempts for its signing have been answered, so at most LANES signings' postbacks are in flight.
	// Real signers sign over time; all at once overloads 2 cores (the vendor's retries then carry
	// the events through, but how many need one depends on the machine).
	const deliveries = sandbox.emulators.dokobit.ctx.deliveries;
	const firstAttemptsAnswered = async (token) =>
		await until(
			() => {
				const mine = deliveries.filter((d) => d.body.token === token && d.attempt === 1);
				return mine.length >= 2 && mine.every((d) => d.status !== undefined);
			},
			{ timeoutMs: 20_000, everyMs: 25 },
		);
	const signedAt = Date.now();
	await phase(`load: sign all (${LANES} signings in flight)`, async () => {
		const signStatuses = await mapLimit(tokens, LANES, async (token) => {
			const status = await dokobit.sign(token, 'solo');
			await firstAttemptsAnswered(token);
			return status;
		});
		check(
			'load: every signer signed in the sandbox (200)',
			signStatuses.every((s) => s === 200),
			JSON.stringify(tally(signStatuses)),
		);
	});

	/** Every execution of the workflow with the signing its trigger emitted. */
	const executionRows = async () => {
		const logged = [
			...enqueuedJobs(processes.webhookLogs()),
			...processes.workers.flatMap((w) => workerJobs(w.log()).finished),
		].map((job) => job.executionId);
		const executions = await rest.list(workflow.id, logged);
		return await mapLimit(executions, 6, async (e) => {
			const { status, item } = await rest.triggerItem(e.id, 'Dokobit Trigger');
			return {
				id: String(e.id),
				status,
				documentId: item?.json?.documentId,
				dedupeKey: item?.json?.dedupeKey,
			};
		});
	};

	const firstRows = await phase('load: wait for the executions, count them', async () => {
		await until(async () => (await rest.count(workflow.id, ['success'])) >= SIGNINGS, {
			timeoutMs: 180_000,
			everyMs: 1000,
		});
		await rest.settle(workflow.id);
		numbers['load: time from first sign to last execution'] = seconds(Date.now() - signedAt);
		const ours = (await dokobit.deliveries()).filter((d) => d.url === postbackUrl);
		const completed = ours.filter((d) => d.body.action === 'signing_completed');
		numbers['load: sandbox postbacks'] = {
			deliveries: ours.length,
			'non-2xx or failed attempts': ours.filter((d) => !d.ok).length,
			answers: tally(ours.map((d) => (d.error ? `${d.status} ${d.error}` : d.status))),
		};
		const okTokens = new Set(completed.filter((d) => d.ok).map((d) => d.body.token));
		check(
			'load: every signing_completed postback answered 2xx (retries included)',
			tokens.every((t) => okTokens.has(t)),
			`${okTokens.size}/${tokens.length}`,
		);
		const rows = await executionRows();
		const perToken = tally(rows.map((r) => r.documentId));
		const lost = tokens.filter(
			(t) => !rows.some((r) => r.documentId === t && r.status === 'success'),
		);
		check(
			`load: exactly ${SIGNINGS} executions, all successful, one per signing`,
			rows.length === SIGNINGS && rows.every((r) => r.status === 'success') && lost.length === 0,
			`${rows.length} executions, ${lost.length} signings lost, ${Object.values(perToken).filter((n) => n > 1).length} twice`,
		);
		const ids = new Set(rows.map((r) => r.id));
		const split = processes.workers.map(
			(w) =>
				new Set(
					workerJobs(w.log())
						.finished.map((j) => j.executionId)
						.filter((id) => ids.has(id)),
				).size,
		);
		numbers['load: split worker1 / worker2'] = `${split[0]} / ${split[1]}`;
		check(
			'load: every execution ran on a worker, both workers took some',
			split[0] + split[1] === rows.length && split.every((n) => n > 0),
			`${split[0]} + ${split[1]} of ${rows.length}`,
		);
		return rows;
	});

	await phase('load: late replays, one at a time', async () => {
		// Events handled at the same time on different webhook processes each save their own copy
		// of static data, and the last save wins: what the saved static data lacks now is measured.
		const held = new Set(
			Object.keys((await rest.staticData(workflow.id))['node:Dokobit Trigger']?.seen ?? {}),
		);
		const keyOf = new Map(firstRows.map((r) => [r.documentId, r.dedupeKey]));
		const dropped = tokens.filter((t) => !held.has(keyOf.get(t)));
		numbers['load: keys the saved static data lacked after the load (overlapping saves)'] =
			`${dropped.length} of ${tokens.length}`;
		const ours = (await dokobit.deliveries()).filter(
			(d) => d.url === postbackUrl && d.ok && d.body.action === 'signing_completed',
		);
		const replays = [...new Map(ours.map((d) => [d.body.token, d])).values()].slice(
			0,
			LATE_REPLAYS,
		);
		const answers = [];
		for (const d of replays) answers.push(await post(d.url, d.body));
		check(
			`load: ${answers.length} late replays acknowledged 200`,
			answers.every((s) => s === 200),
			JSON.stringify(tally(answers)),
		);
		await rest.settle(workflow.id);
		const rows = await executionRows();
		const before = new Set(firstRows.map((r) => r.id));
		const again = rows.filter((r) => !before.has(r.id));
		const againHeld = again.filter((r) => held.has(r.dedupeKey));
		const replayedDropped = replays.filter((d) => !held.has(keyOf.get(d.body.token)));
		numbers['load: late replays of lacking keys that started a second execution'] =
			`${again.length} of ${replayedDropped.length}`;
		check(
			'load: no late replay of a key the saved static data held started an execution',
			againHeld.length === 0,
			againHeld.map((r) => `#${r.id} ${r.documentId}`).join(', '),
		);
	});
}

// ----- scenario 3: a manual execution runs on a worker ---------------------------------------------

async function manualScenario({ client, credentials, sandbox, processes }) {
	const rest = restHelpers(client);
	const dokobit = dokobitApi(sandbox.emulators.dokobit.baseUrl);
	await phase('manual: Manual Trigger → Dokobit Get Status, run over REST', async () => {
		const token = await dokobit.createSigning('Queue manual run', 'solo');
		const workflow = await rest.createWorkflow({
			name: 'queue: manual run of an action node',
			nodes: [
				{
					id: randomUUID(),
					name: 'Manual',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: randomUUID(),
					name: 'Dokobit',
					type: 'n8n-nodes-esign.dokobitGateway',
					typeVersion: 1,
					position: [220, 0],
					parameters: { resource: 'signing', operation: 'getStatus', signingToken: token },
					credentials: {
						dokobitGatewayApi: { id: credentials.dokobit.id, name: credentials.dokobit.name },
					},
				},
			],
			connections: { Manual: { main: [[{ node: 'Dokobit', type: 'main', index: 0 }]] } },
		});
		// What the editor's "Execute workflow" button sends (n8n 1.x also wants the workflow itself).
		const run = await client.request('POST', `/rest/workflows/${workflow.id}/run`, {
			workflowData: await client.request('GET', `/rest/workflows/${workflow.id}`),
			triggerToStartFrom: { name: 'Manual' },
		});
		const executionId = String(run.executionId ?? '');
		check(
			'manual: the run was accepted with an execution id',
			executionId !== '',
			JSON.stringify(run),
		);
		if (!executionId) return;
		const done = await until(
			async () => {
				const execution = await rest.execution(executionId);
				return { done: !['new', 'running', 'waiting'].includes(execution.status), execution };
			},
			{ timeoutMs: 60_000 },
		);
		check(
			`manual: execution ${executionId} (mode ${done.execution.mode}) succeeded`,
			done.execution.status === 'success' && done.execution.mode === 'manual',
			done.execution.status,
		);
		const output = await rest.nodeOutput(executionId, 'Dokobit');
		check(
			'manual: the action node read the signing from the sandbox',
			output?.json?.token === token || JSON.stringify(output?.json ?? {}).includes(token),
			JSON.stringify(output?.json ?? {}).slice(0, 200),
		);
		const ranOn = processes.workers
			.filter((w) => workerJobs(w.log()).started.some((j) => j.executionId === executionId))
			.map((w) => w.name);
		numbers['manual: ran on'] = ranOn.join(', ') || 'no worker (main?)';
		check(
			`manual: a worker ran execution ${executionId}, not main`,
			ranOn.length === 1,
			ranOn.join(', '),
		);
	});
}

// ----- scenario 4: send and wait across processes -----------------------------------------------

async function waitScenario({ client, credentials, sandbox, webhookBase, processes }) {
	const rest = restHelpers(client);
	const sandboxUrl = sandbox.emulators.dokobit.baseUrl;
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
					credentials: {
						dokobitGatewayApi: { id: credentials.dokobit.id, name: credentials.dokobit.name },
					},
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
		'send and wait: start 2 runs through the balancer, wait for "waiting"',
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
					`run ${name.split(' ')[2]} started through the balancer`,
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
					`run ${label}: postback_url is the resume URL behind the balancer`,
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
			`run ${run.label}: postbacks went to the resume URL behind the balancer, one answered 2xx`,
			resume.length > 0 &&
				resume.every((d) =>
					d.url.startsWith(`${webhookBase}webhook-waiting/${run.executionId}?`),
				) &&
				resume.some((d) => d.ok),
			resumeAnswers.join(', '),
		);
		const jobs = workers
			.flatMap((w) =>
				workerJobs(w.log())
					.started.filter((j) => j.executionId === run.executionId)
					.map((j) => ({ worker: w.name, job: Number(j.jobId) })),
			)
			.sort((a, b) => a.job - b.job);
		run.resumedOn = jobs.length === 2 ? jobs[1].worker : undefined;
		const enqueued = enqueuedJobs(processes.webhookLogs(), run.executionId).map((j) =>
			Number(j.jobId),
		);
		check(
			`run ${run.label}: the webhook processes enqueued both jobs (start and resume)`,
			enqueued.length === 2 && jobs.every((j) => enqueued.includes(j.job)),
			`webhook logs: jobs ${enqueued.join(', ')}`,
		);
		numbers[`wait run ${run.label}: evidence`] =
			`execution ${run.executionId}: jobs ${enqueued.join(' and ')} enqueued by the webhook processes; ` +
			jobs.map((j) => `job ${j.job} ran on ${j.worker}`).join(', ') +
			`; sandbox postbacks to its resume URL: ${resumeAnswers.join(', ')}`;
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
		console.log(`  run A: started on ${run.startedOn}, resumed on ${run.resumedOn}`);
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

/**
 * Send and Wait behind the MCP Server Trigger: in queue mode a worker runs the MCP execution to its
 * end and only then calls the tool (n8n's job processor `invokeTool`), so nothing could wait for
 * the signature. The tool must refuse before anything reaches the vendor, while a plain Create
 * through the same server works (so the refusal is not a broken setup).
 */
async function mcpScenario({ client, sandbox, processes, credentials }) {
	const sandboxUrl = sandbox.emulators.dokobit.baseUrl;
	const dokobit = dokobitApi(sandboxUrl);
	const bearer = `queue-mcp-${randomUUID()}`;
	const path = `queue-mcp-${randomUUID()}`;
	const fromAI = (key, description, type = 'string') =>
		`={{ $fromAI('${key}', ${JSON.stringify(description)}, '${type}') }}`;
	const createFromAI = {
		resource: 'signing',
		name: fromAI('name', 'Title of the document'),
		type: 'pdf',
		filesFrom: 'upload',
		fileSource: 'url',
		fileUrl: fromAI('fileUrl', 'URL of the PDF to sign'),
		signersInput: 'json',
		signersJson: fromAI('signers', 'Signers: array of { id, name, surname, code }', 'json'),
	};
	const dokobitCredential = {
		dokobitGatewayApi: { id: credentials.dokobit.id, name: credentials.dokobit.name },
	};
	await phase('mcp: server with Create and Send and Wait tools activated', async () => {
		const token = await client.createCredential('MCP bearer (queue)', 'httpBearerAuth', {
			token: bearer,
		});
		const tool = (name, operation, x) => ({
			id: randomUUID(),
			name,
			type: 'n8n-nodes-esign.dokobitGatewayTool',
			typeVersion: 1,
			position: [x, 220],
			webhookId: randomUUID(),
			parameters: { ...createFromAI, operation },
			credentials: dokobitCredential,
		});
		const workflow = await restHelpers(client).createWorkflow({
			name: 'queue: mcp server',
			nodes: [
				{
					id: randomUUID(),
					name: 'MCP Server',
					type: '@n8n/n8n-nodes-langchain.mcpTrigger',
					typeVersion: 2,
					position: [0, 0],
					webhookId: randomUUID(),
					parameters: { path, authentication: 'bearerAuth' },
					credentials: { httpBearerAuth: { id: token.id, name: token.name } },
				},
				tool('Create signing', 'create', 0),
				tool('Send and wait', 'createAndWait', 200),
			],
			connections: {
				'Create signing': { ai_tool: [[{ node: 'MCP Server', type: 'ai_tool', index: 0 }]] },
				'Send and wait': { ai_tool: [[{ node: 'MCP Server', type: 'ai_tool', index: 0 }]] },
			},
		});
		await client.activate(workflow);
	});

	const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
	const { StreamableHTTPClientTransport } =
		await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
	// One webhook process: an MCP session lives in the process that opened it.
	const url = new URL(`${processes.webhooks[0].baseUrl}/mcp/${path}`);
	const mcp = await phase('mcp: client connected to a webhook process', async () => {
		const connected = await until(
			async () => {
				const candidate = new Client({ name: 'esign-queue', version: '1.0.0' });
				const transport = new StreamableHTTPClientTransport(url, {
					requestInit: { headers: { authorization: `Bearer ${bearer}` } },
				});
				const ok = await candidate.connect(transport).then(
					() => true,
					() => false,
				);
				if (!ok) await candidate.close().catch(() => undefined);
				return { done: ok, client: ok ? candidate : undefined };
			},
			{ timeoutMs: 60_000, everyMs: 1000 },
		);
		if (!connected.done) throw new Error(`could not connect to ${url}`);
		return connected.client;
	});
	const signers = [{ id: 'ona', name: 'Ona', surname: 'Onaitė', code: '38001010000' }];
	const call = async (tool, name) => {
		const result = await mcp.callTool(
			{ name: tool, arguments: { name, fileUrl: `${sandboxUrl}/__files/sample.pdf`, signers } },
			undefined,
			{ timeout: 120_000 },
		);
		return {
			isError: result.isError === true,
			text: result.content.map((part) => part.text ?? '').join('\n'),
		};
	};
	try {
		const createdName = `Queue MCP create ${randomUUID()}`;
		const created = await call('Create_signing', createdName);
		check(
			'mcp: Create through the MCP Server Trigger creates one signing',
			!created.isError && (await dokobit.signingsNamed(createdName)).length === 1,
			created.text.slice(0, 200),
		);
		const waitName = `Queue MCP wait ${randomUUID()}`;
		const refused = await call('Send_and_wait', waitName);
		check(
			'mcp: Send and Wait is refused in queue mode, before anything is sent',
			refused.text.includes('Send and Wait cannot run here') &&
				(await dokobit.signingsNamed(waitName)).length === 0,
			refused.text.slice(0, 200),
		);
	} finally {
		await mcp.close().catch(() => undefined);
	}
}

async function main() {
	console.log(`queue mode end to end; work dir ${work}`);
	const context = await setUp();
	await dedupeScenario(context);
	await loadScenario(context);
	await manualScenario(context);
	await waitScenario(context);
	await mcpScenario(context);
	const logs = [context.processes.main, ...context.processes.webhooks, ...context.processes.workers]
		.map((p) => p.log())
		.join('\n');
	for (const [name, secret] of [
		['Dokobit access token', DOKOBIT_TOKEN],
		['OKdokument API key', OKDOKUMENT_KEY],
		['Documentolog API key', DOCUMENTOLOG_KEY],
		['URL secret', URL_SECRET],
	])
		check(`no ${name} in any n8n log`, !logs.includes(secret));
	if (SQL_LOG) numbers['static data writes (from the PostgreSQL log)'] = staticDataWrites(context);
}

/** Who wrote workflow static data, counted from PostgreSQL's statement log (ESIGN_QUEUE_SQL_LOG). */
function staticDataWrites({ postgres }) {
	const log = fs.readFileSync(postgres.logFile, 'utf8');
	const writers = [
		...log.matchAll(
			/^\S+ \S+ \S+ (\S+) LOG:\s+(?:execute [^:]*|statement): UPDATE "(?:public"\.")?workflow_entity" SET "staticData"/gm,
		),
	];
	return tally(writers.map((m) => m[1]));
}

main()
	.then(async () => await finish(0))
	.catch(async (error) => {
		console.error(`\n✗ ${error.stack ?? error}`);
		check('scenario ran to the end', false, error.message);
		await finish(1);
	});
