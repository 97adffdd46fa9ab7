// `npm run bench`: runs every benchmark against the local sandbox, each in the same process run as
// its baseline, and writes BENCHMARKS.md. Not part of `npm test`. About 10–14 minutes on 2 cores.
//   node --expose-gc bench/run.mjs [--only=batch,download,upload,webhook,load,auto-reads,
//     auto-limited,auto-jitter,auto-creates] [--quick] [--out=FILE] [--profile]
// (`--only=auto` runs the four Request Concurrency: Auto scenarios.)
// (`--profile`: the Auto read runs with a CPU profile of n8n, summed up by owner in BENCHMARKS.md.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	N8nClient,
	ROOT,
	ensureN8n,
	freePort,
	installPackage,
	startN8n,
	tempDir,
} from '../scripts/lib/n8n.mjs';
import { buildForBench, stagePackage } from './lib/build.mjs';
import { loadEngine } from './lib/engine.mjs';
import { BENCH_N8N, machineInfo } from './lib/measure.mjs';
import { mainProfile, profileLines, subtractProfile, summarizeProfile } from './lib/profile.mjs';
import { writeReport } from './lib/report.mjs';
import { startBenchSandbox } from './lib/sandbox.mjs';
import {
	batchCreate,
	documentologBatchCreate,
	okDokumentBatchCreate,
} from './scenarios/batch-create.mjs';
import { autoConcurrencyCreates, autoConcurrencyReads } from './scenarios/auto-concurrency.mjs';
import { download } from './scenarios/download.mjs';
import { loadCost } from './scenarios/load.mjs';
import { okDokumentUpload } from './scenarios/okdokument-upload.mjs';
import { upload } from './scenarios/upload.mjs';
import { webhookThroughput } from './scenarios/webhook.mjs';

const MiB = 1024 * 1024;
/** Items in flight for the batch benchmark, a fixed number (the node's default is Auto; see BENCHMARKS.md). */
export const BATCH_CONCURRENCY = 12;

const args = Object.fromEntries(
	process.argv.slice(2).map((arg) => {
		const [key, ...rest] = arg.replace(/^--/, '').split('=');
		return [key, rest.length ? rest.join('=') : true];
	}),
);
const quick = Boolean(args.quick);
const only = args.only ? new Set(String(args.only).split(',')) : undefined;
const AUTO_SCENARIOS = ['auto-reads', 'auto-limited', 'auto-jitter', 'auto-creates'];
if (only?.has('auto')) for (const name of AUTO_SCENARIOS) only.add(name);
const wanted = (name) => !only || only.has(name);
const wantedAutoReads = AUTO_SCENARIOS.slice(0, 3).some(wanted);
const outFile = path.resolve(ROOT, String(args.out ?? 'BENCHMARKS.md'));

const config = quick
	? {
			items: 100,
			serialItems: 100,
			reps: 1,
			downloadBytes: 20 * MiB,
			uploadBytes: 5 * MiB,
			okBytes: 1 * MiB,
			events: 50,
			starts: 1,
			autoItems: 100,
			jitterItems: 100,
		}
	: {
			items: 1000,
			serialItems: 1000,
			reps: 3,
			downloadBytes: 200 * MiB,
			uploadBytes: 50 * MiB,
			okBytes: 10 * MiB,
			events: 500,
			starts: 5,
			autoItems: 1000,
			// 200 ms a request: fixed 4 alone takes 20 s for 400 items.
			jitterItems: 400,
		};

const started = Date.now();
const log = (line) =>
	console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
if (typeof globalThis.gc !== 'function')
	log('note: run with --expose-gc for steadier memory numbers');

const results = {
	config,
	machine: machineInfo(),
	loadBefore: os.loadavg(),
	startedAt: new Date().toISOString(),
};
const work = tempDir('esign-bench-');
const cleanups = [];

try {
	log('building the package into .cache/bench (dist/ is left alone)');
	const build = buildForBench();
	const engineConfig = { build, binaryDir: path.join(work, 'binary') };
	const engine = await loadEngine(engineConfig);

	// One sandbox for everything but the large download, which gets its own (signedFileBytes).
	const sandbox = await startBenchSandbox({
		vendors: ['dokobit', 'okdokument', 'documentolog'],
		// The OKdokument emulator counts signature requests like a paid plan (1,000 by default).
		options: { availableSignatureRequests: 1e9 },
	});
	cleanups.push(() => sandbox.close());
	const scratch = path.join(work, 'scratch');

	if (wanted('batch')) {
		log(
			`batch create: ${config.items} items, concurrency ${BATCH_CONCURRENCY} vs 1, +20 ms per request`,
		);
		results.batch = await batchCreate({
			engine,
			sandbox,
			items: config.items,
			concurrency: BATCH_CONCURRENCY,
			reps: config.reps,
			serialReps: config.reps,
			log,
		});
		log('batch create, same with a fixed document name (no per-item expression)');
		results.batchPlain = await batchCreate({
			engine,
			sandbox,
			items: config.items,
			concurrency: BATCH_CONCURRENCY,
			reps: config.reps,
			serialReps: 0,
			expression: false,
			log,
		});
		log(`OKdokument batch create: ${config.items} items, concurrency ${BATCH_CONCURRENCY} vs 1`);
		results.batchOkDokument = await okDokumentBatchCreate({
			engine,
			sandbox,
			items: config.items,
			concurrency: BATCH_CONCURRENCY,
			reps: config.reps,
			serialReps: config.reps,
			log,
		});
		log(`Documentolog batch create: ${config.items} items, concurrency ${BATCH_CONCURRENCY} vs 1`);
		results.batchDocumentolog = await documentologBatchCreate({
			engine,
			sandbox,
			items: config.items,
			concurrency: BATCH_CONCURRENCY,
			reps: config.reps,
			serialReps: config.reps,
			log,
		});
	}
	if (wanted('upload')) {
		log(`upload: ${config.uploadBytes / MiB} MiB`);
		results.upload = await upload({
			engineConfig,
			sandbox,
			bytes: config.uploadBytes,
			reps: config.reps,
			scratch,
			log,
		});
		log(`OKdokument upload: ${config.okBytes / MiB} MiB`);
		results.okdokumentUpload = await okDokumentUpload({
			engineConfig,
			sandbox,
			bytes: config.okBytes,
			reps: config.reps,
			scratch,
			log,
		});
	}
	if (wanted('download')) {
		const large = await startBenchSandbox({ options: { signedFileBytes: config.downloadBytes } });
		cleanups.push(() => large.close());
		log(`download: ${config.downloadBytes / MiB} MiB signed file`);
		results.download = await download({
			engineConfig,
			sandbox: large,
			warmSandbox: sandbox,
			bytes: config.downloadBytes,
			// Half a second per run: more runs for a steadier median.
			reps: config.reps + 2,
			scratch,
			log,
		});
	}

	if (wanted('auto-creates')) {
		log(`auto creates: ${config.autoItems} creates per vendor, vendor serves 10 at once`);
		results.autoCreates = await autoConcurrencyCreates({
			engine,
			sandbox,
			items: config.autoItems,
			log,
		});
	}

	if (wanted('webhook') || wanted('load') || wantedAutoReads) {
		const runtime = ensureN8n();
		results.n8n = { version: runtime.version, node: runtime.nodeVersion };
		const pkg = stagePackage(path.join(work, 'pack'));
		results.package = pkg;
		log(
			`package: ${(pkg.packedBytes / 1024).toFixed(1)} KiB packed, ${(pkg.unpackedBytes / 1024).toFixed(1)} KiB unpacked`,
		);
		if (wanted('webhook')) {
			const userFolder = path.join(work, 'webhook-home');
			installPackage(userFolder, pkg.tarball);
			const n8n = await startN8n({
				...BENCH_N8N,
				runtime,
				userFolder,
				port: await freePort(),
				brokerPort: await freePort(),
				logFile: path.join(work, 'webhook-n8n.log'),
			});
			cleanups.push(() => n8n.stop());
			const client = new N8nClient(n8n.baseUrl);
			await client.ensureOwner();
			log(`webhook throughput: ${config.events} postbacks per run`);
			results.webhook = await webhookThroughput({
				client,
				sandbox,
				events: config.events,
				reps: config.reps,
				log,
			});
			await n8n.stop();
		}
		if (wantedAutoReads) {
			const userFolder = path.join(work, 'auto-home');
			installPackage(userFolder, pkg.tarball);
			// --profile: n8n writes a CPU profile on exit, once for a start and stop alone and once
			// with the runs; the difference is what the runs cost (bench/lib/profile.mjs).
			const profiled = async (name) =>
				await startN8n({
					...BENCH_N8N,
					runtime,
					userFolder,
					port: await freePort(),
					brokerPort: await freePort(),
					logFile: path.join(work, 'auto-n8n.log'),
					env: args.profile
						? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.join(work, 'profiles', name)}` }
						: {},
				});
			if (args.profile) {
				const idle = await profiled('start-only');
				await new N8nClient(idle.baseUrl).ensureOwner();
				await idle.stop();
			}
			const n8n = await profiled('runs');
			cleanups.push(() => n8n.stop());
			const client = new N8nClient(n8n.baseUrl);
			await client.ensureOwner();
			results.autoReads = await autoConcurrencyReads({
				client,
				sandbox,
				items: config.autoItems,
				jitterItems: config.jitterItems,
				reps: config.reps,
				wanted,
				log,
			});
			await n8n.stop();
			if (args.profile) {
				const summary = (name) => summarizeProfile(mainProfile(path.join(work, 'profiles', name)));
				results.autoReadsProfile = profileLines(
					subtractProfile(summary('runs'), summary('start-only')),
				);
				for (const line of results.autoReadsProfile) log(line);
			}
		}
		if (wanted('load')) {
			log(`load cost: ${config.starts} starts with and without the package`);
			results.load = await loadCost({
				runtime,
				tarball: pkg.tarball,
				work,
				starts: config.starts,
				log,
			});
		}
	}
} finally {
	for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
}

results.loadAfter = os.loadavg();
results.totalSeconds = (Date.now() - started) / 1000;
fs.writeFileSync(path.join(work, 'results.json'), JSON.stringify(results, null, 2));
await writeReport(outFile, results, { quick, batchConcurrency: BATCH_CONCURRENCY });
log(
	`wrote ${path.relative(process.cwd(), outFile)} (raw numbers: ${path.join(work, 'results.json')})`,
);
// Keep the raw numbers and the n8n logs; drop the n8n homes, the binary store and scratch files.
for (const entry of [
	'binary',
	'scratch',
	'pack',
	'webhook-home',
	'auto-home',
	'load-with',
	'load-without',
])
	fs.rmSync(path.join(work, entry), { recursive: true, force: true });
