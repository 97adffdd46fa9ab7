// n8n's queue mode on one machine (https://docs.n8n.io/hosting/scaling/queue-mode/): Debian's Redis
// and a throwaway PostgreSQL cluster on loopback, and n8n main, webhook and worker processes that
// share one user folder. Used by test/queue/run-queue.mjs. Everything started here is registered
// with a Cleanup, which stops it again in reverse order, also when the caller fails or is
// interrupted.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, n8nCommand, n8nEnvironment, untilServing } from './n8n.mjs';

const sleep = async (ms) => await new Promise((resolve) => setTimeout(resolve, ms));

// ----- Cleanup --------------------------------------------------------------------------------

/**
 * A stack of stop functions, run last-in first-out, each bounded in time. `killNow` is the
 * synchronous last resort for `process.on('exit')`: it SIGKILLs the process groups still listed.
 */
export class Cleanup {
	constructor({ log = console.log } = {}) {
		this.steps = [];
		this.groups = new Map();
		this.exitHooks = [];
		this.log = log;
	}

	/** A synchronous last resort for `killNow` (e.g. `pg_ctl stop -m immediate`); removed by `run`. */
	onExit(hook) {
		this.exitHooks.push(hook);
	}

	add(name, stop, { timeoutMs = 30_000 } = {}) {
		this.steps.push({ name, stop, timeoutMs });
	}

	/** Remembers a child started with `detached: true`, so its whole process group can be killed. */
	trackGroup(name, pid) {
		this.groups.set(pid, name);
	}

	forgetGroup(pid) {
		this.groups.delete(pid);
	}

	async run() {
		while (this.steps.length) {
			const { name, stop, timeoutMs } = this.steps.pop();
			let timer;
			try {
				await Promise.race([
					stop(),
					new Promise((_, reject) => {
						timer = setTimeout(
							() => reject(new Error(`timed out after ${timeoutMs} ms`)),
							timeoutMs,
						);
					}),
				]);
				this.log(`  stopped ${name}`);
			} catch (error) {
				this.log(`  could not stop ${name} cleanly: ${error.message}`);
			} finally {
				clearTimeout(timer);
			}
		}
		this.exitHooks.length = 0;
		this.killNow();
	}

	killNow() {
		for (const hook of this.exitHooks.splice(0)) {
			try {
				hook();
			} catch {
				// best effort
			}
		}
		for (const [pid, name] of this.groups) {
			try {
				process.kill(-pid, 'SIGKILL');
				this.log(`  killed ${name} (process group ${pid})`);
			} catch {
				// already gone
			}
		}
		this.groups.clear();
	}
}

// ----- System packages --------------------------------------------------------------------------

function dpkgInstalled(pkg) {
	try {
		return execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}).includes('install ok installed');
	} catch {
		return false;
	}
}

/** Installs the Debian packages that are missing with apt-get, saying what it does. */
export function ensureDebianPackages(packages, { log = console.log } = {}) {
	const missing = packages.filter((pkg) => !dpkgInstalled(pkg));
	if (missing.length === 0) {
		log(`  apt: ${packages.join(', ')} already installed`);
		return [];
	}
	if (process.getuid?.() !== 0)
		throw new Error(
			`missing Debian packages ${missing.join(' ')}: run as root, or apt-get install them`,
		);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = () =>
		execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
			env,
			stdio: ['ignore', 'ignore', 'inherit'],
		});
	log(`  apt: apt-get install -y --no-install-recommends ${missing.join(' ')}`);
	try {
		install();
	} catch {
		log('  apt: install failed; apt-get update, then once more');
		execFileSync('apt-get', ['update'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
		install();
	}
	return missing;
}

/** The bin directory of the newest PostgreSQL server Debian installed (/usr/lib/postgresql/<v>/bin). */
export function postgresBinDir() {
	const base = '/usr/lib/postgresql';
	const versions = fs.existsSync(base)
		? fs
				.readdirSync(base)
				.filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (!versions.length) throw new Error('no PostgreSQL server under /usr/lib/postgresql');
	return path.join(base, versions[0], 'bin');
}

// ----- Redis ------------------------------------------------------------------------------------

async function redisPing(port) {
	return await new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
		socket.setTimeout(1000, () => socket.destroy());
		socket.on('data', (data) => {
			resolve(data.toString().startsWith('+PONG'));
			socket.end();
		});
		socket.on('error', () => resolve(false));
		socket.on('close', () => resolve(false));
	});
}

/** `redis-server` in the foreground on a free loopback port, no persistence. */
export async function startRedis({ dir, cleanup, port, timeoutMs = 20_000 }) {
	port ??= await freePort();
	fs.mkdirSync(dir, { recursive: true });
	const logFile = path.join(dir, 'redis.log');
	const child = spawn(
		'redis-server',
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--protected-mode',
			'yes',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--logfile',
			logFile,
		],
		{ stdio: 'ignore', detached: true },
	);
	cleanup.trackGroup('redis-server', child.pid);
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
		cleanup.forgetGroup(child.pid);
	};
	cleanup.add(`redis-server (pid ${child.pid}, port ${port})`, stop, { timeoutMs: 10_000 });
	const deadline = Date.now() + timeoutMs;
	while (!(await redisPing(port))) {
		if (child.exitCode !== null)
			throw new Error(`redis-server exited with ${child.exitCode}; see ${logFile}`);
		if (Date.now() > deadline)
			throw new Error(`redis-server not answering on ${port}; see ${logFile}`);
		await sleep(100);
	}
	return { port, pid: child.pid, logFile, stop };
}

// ----- PostgreSQL -------------------------------------------------------------------------------

/**
 * A throwaway cluster: initdb into a fresh temp dir (as user postgres when we are root; postgres
 * refuses to run as root), trust auth for the role `n8n`, loopback TCP only, fsync off. Creates
 * the database `n8n`. `settings` are more server settings (e.g. `{ log_statement: 'mod' }`).
 * `stop()` shuts it down, copies the server log to `keepLogAs` (if given) and deletes the directory.
 */
export async function startPostgres({
	cleanup,
	port,
	database = 'n8n',
	user = 'n8n',
	keepLogAs,
	settings = {},
}) {
	port ??= await freePort();
	const bin = postgresBinDir();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esign-queue-pg-'));
	const asRoot = process.getuid?.() === 0;
	if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
	const run = (tool, args, options = {}) =>
		execFileSync(
			asRoot ? 'runuser' : path.join(bin, tool),
			asRoot ? ['-u', 'postgres', '--', path.join(bin, tool), ...args] : args,
			{ cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options },
		);
	const data = path.join(dir, 'data');
	const logFile = path.join(dir, 'postgres.log');
	run('initdb', ['-D', data, '-A', 'trust', '-U', user, '-E', 'UTF8', '--no-sync']);
	const serverOptions = [
		`-p ${port}`,
		`-k ${dir}`,
		'-c listen_addresses=127.0.0.1',
		'-c fsync=off',
		'-c synchronous_commit=off',
		'-c full_page_writes=off',
		'-c max_connections=200',
		...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
	].join(' ');
	let started = false;
	const stop = async () => {
		if (started) {
			try {
				run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '20', 'stop']);
			} catch {
				run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '10', 'stop']);
			}
		}
		if (keepLogAs && fs.existsSync(logFile)) fs.copyFileSync(logFile, keepLogAs);
		fs.rmSync(dir, { recursive: true, force: true });
	};
	cleanup.add(`PostgreSQL (port ${port}, ${dir})`, stop, { timeoutMs: 40_000 });
	cleanup.onExit(() => {
		if (started) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '10', 'stop']);
	});
	run('pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '60', '-o', serverOptions, 'start']);
	started = true;
	run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', user, database]);
	const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
	return { port, pid, dir, logFile, database, user, stop, bin };
}

// ----- n8n in queue mode ------------------------------------------------------------------------

/** What every process of one queue-mode installation shares: Redis, PostgreSQL, public URL. */
export function queueEnvironment({ redisPort, postgres, webhookUrl }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: 'unused-trust-auth',
		// Resume and production webhook URLs point at the webhook processes (1.x reads WEBHOOK_URL;
		// 2.x prefers N8N_WEBHOOK_URL and only warns about the old name).
		N8N_WEBHOOK_URL: webhookUrl,
		WEBHOOK_URL: webhookUrl,
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		// Shared by every process: what 2.x picks in queue mode (n8nEnvironment's own is filesystem).
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		// Manual runs on workers too, as n8n 3 always does (2.x: workflow-runner.js, `shouldEnqueue`).
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
	};
}

/**
 * Spawns one n8n process (`start`, `webhook` or `worker`) in its own process group and resolves
 * once it answers `/healthz/readiness`: on `port` for main and webhook, on `healthPort` (the queue
 * health check, loopback only) for a worker; main also once its REST API is mounted.
 */
export async function startN8nProcess({
	runtime,
	name,
	command,
	args = [],
	userFolder,
	port,
	brokerPort,
	healthPort,
	logFile,
	env = {},
	cleanup,
	timeoutMs = 240_000,
}) {
	// node-postgres names its connections after PGAPPNAME: the server log (`%a`) then says which
	// process ran a statement.
	const extra = { PGAPPNAME: `n8n-${name}`, ...env };
	if (command === 'worker') {
		extra.QUEUE_HEALTH_CHECK_ACTIVE = 'true';
		extra.QUEUE_HEALTH_CHECK_PORT = String(healthPort);
	}
	const log = fs.openSync(logFile, 'a');
	const cli = n8nCommand(runtime, [command, ...args]);
	const child = spawn(cli.command, cli.args, {
		env: n8nEnvironment({ runtime, userFolder, port, brokerPort, env: extra }),
		stdio: ['ignore', log, log],
		detached: true,
	});
	fs.closeSync(log);
	cleanup.trackGroup(name, child.pid);
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			const timer = setTimeout(() => {
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					// gone
				}
			}, 20_000);
			await exited;
			clearTimeout(timer);
		}
		// The task runner n8n launched is in the same group; make sure it is gone too.
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			// gone
		}
		cleanup.forgetGroup(child.pid);
	};
	cleanup.add(`${name} (pid ${child.pid})`, stop, { timeoutMs: 30_000 });
	// Only the main process serves the REST API; wait for it there too.
	await untilServing(`http://127.0.0.1:${command === 'worker' ? healthPort : port}`, {
		child,
		logFile,
		timeoutMs,
		rest: command === 'start',
		name,
	});
	return {
		name,
		command,
		pid: child.pid,
		child,
		logFile,
		baseUrl: `http://127.0.0.1:${port}`,
		stop,
		log: () => fs.readFileSync(logFile, 'utf8'),
	};
}

/**
 * Execution ids a worker's log says it started and finished (job-processor.js: "Worker started
 * execution <id> (job <n>)"). An execution that waits and resumes is started twice.
 */
export function workerJobs(logText) {
	const started = [...logText.matchAll(/Worker started execution (\d+) \(job (\d+)\)/g)].map(
		(m) => ({ executionId: m[1], jobId: m[2] }),
	);
	const finished = [...logText.matchAll(/Worker finished execution (\d+) \(job (\d+)\)/g)].map(
		(m) => ({ executionId: m[1], jobId: m[2] }),
	);
	return { started, finished };
}

/**
 * Jobs the main or webhook process put on the queue for an execution (scaling.service.js:
 * "Enqueued execution <id> (job <n>)"): one to start it, one more each time it is resumed.
 */
export function enqueuedJobs(logText, executionId) {
	return [...logText.matchAll(/Enqueued execution (\d+) \(job (\d+)\)/g)]
		.filter((m) => executionId === undefined || m[1] === String(executionId))
		.map((m) => ({ executionId: m[1], jobId: m[2] }));
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results in input order. */
export async function mapLimit(items, limit, fn) {
	const results = new Array(items.length);
	let next = 0;
	const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await fn(items[index], index);
		}
	});
	await Promise.all(lanes);
	return results;
}

// ----- A round-robin balancer -------------------------------------------------------------------

/**
 * What users put in front of several `n8n webhook` processes: an HTTP proxy that hands each
 * request to the next process in turn (in this process, node:http). It adds `x-esign-upstream:
 * <name>` to the forwarded request, so a trigger's audited headers tell which process served it,
 * and records every request it routed. A process that is down answers 502, nothing is retried.
 */
export async function startBalancer({ targets, port = 0, cleanup }) {
	let next = 0;
	const routed = [];
	const agent = new http.Agent({ keepAlive: false });
	const server = http.createServer((req, res) => {
		const target = targets[next++ % targets.length];
		const entry = { target: target.name, method: req.method, url: req.url, status: undefined };
		routed.push(entry);
		const upstream = http.request(
			{
				host: '127.0.0.1',
				port: target.port,
				method: req.method,
				path: req.url,
				headers: { ...req.headers, 'x-esign-upstream': target.name },
				agent,
			},
			(answer) => {
				entry.status = answer.statusCode;
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		upstream.on('error', (error) => {
			entry.status = 502;
			entry.error = error.message;
			if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(`balancer: ${target.name} unreachable (${error.message})`);
		});
		req.pipe(upstream);
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	const close = async () => {
		server.closeAllConnections?.();
		await new Promise((resolve) => server.close(() => resolve()));
		agent.destroy();
	};
	cleanup.add(`balancer (port ${server.address().port})`, close, { timeoutMs: 5_000 });
	return {
		url: `http://127.0.0.1:${server.address().port}/`,
		port: server.address().port,
		routed,
		close,
	};
}
