// Shared by `npm start` (scripts/start.mjs) and the e2e suite (test/e2e/global-setup.mjs):
// pack this package, install it into an n8n user folder the way n8n installs community packages,
// run a quiet headless n8n on loopback, and drive it over its REST API (N8nClient, n8n-rest.cjs).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { n8nRuntime, n8nVersion } from './n8n-install.mjs';
import n8nRest from './n8n-rest.cjs';
import procs from './procs.cjs';

const { killGroup, ownGroup } = procs;

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The n8n everything here installs and starts: N8N_VERSION, else the pin (scripts/lib/n8n-install.mjs). */
export const N8N_VERSION = n8nVersion();
// The REST client is CommonJS, for jest (test/helpers/n8n.ts) as much as for the scripts.
export const { N8nClient, OWNER } = n8nRest;

/**
 * Installs that n8n into .cache once (scripts/install-n8n.sh) and returns how to run it:
 * `{ version, dir, bin, node, nodeMajor, nodeVersion }`, `bin` being n8n's own script, to be run
 * with `node` (the Node major its engines ask for): see n8nCommand.
 */
export function ensureN8n(version = N8N_VERSION) {
	const dir = execFileSync('bash', [path.join(ROOT, 'scripts', 'install-n8n.sh')], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		env: { ...process.env, N8N_VERSION: version },
	})
		.trim()
		.split('\n')
		.pop();
	return n8nRuntime(dir);
}

/** The command line of an n8n CLI command (`start`, `worker`, `import:workflow`…) on its own Node. */
export function n8nCommand(runtime, args) {
	return { command: runtime.node, args: [runtime.bin, ...args] };
}

/** `npm run build` + `npm pack` into `destination`; returns the tarball path. */
export function buildAndPack(destination) {
	fs.mkdirSync(destination, { recursive: true });
	execFileSync('npm', ['run', '--silent', 'build'], {
		cwd: ROOT,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', destination], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	})
		.trim()
		.split('\n')
		.pop();
	return path.join(destination, name);
}

/** Untars the package where n8n keeps community packages: <userFolder>/.n8n/nodes/node_modules/<name>. */
export function installPackage(userFolder, tarball) {
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-esign');
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	const manifest = path.join(userFolder, '.n8n', 'nodes', 'package.json');
	if (!fs.existsSync(manifest))
		fs.writeFileSync(
			manifest,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
	pkg.dependencies = { ...pkg.dependencies, 'n8n-nodes-esign': `file:${tarball}` };
	fs.writeFileSync(manifest, JSON.stringify(pkg, null, 2));
	return target;
}

export async function freePort() {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/**
 * Where this instance's workflows may read and write files. n8n resolves a relative path against
 * its working folder, which `startN8n` sets to the user folder, so `.n8n-files/x.pdf` lands here,
 * as it lands in `/home/node/.n8n-files` in n8n's Docker image.
 */
export function n8nFilesFolder(userFolder) {
	return path.join(userFolder, '.n8n-files');
}

/**
 * Modules of n8n that fetch from api.n8n.io on their own, switched off where that n8n has them:
 * the MCP server registry (2.x) refreshes at start and every 8 hours. An unknown module name in
 * N8N_DISABLED_MODULES stops n8n, hence the check.
 */
function offlineModules(runtime) {
	// runtime.bin is <n8n package>/bin/n8n.
	const modules = path.join(path.dirname(path.dirname(runtime.bin)), 'dist', 'modules');
	const present = ['mcp-registry'].filter((name) => fs.existsSync(path.join(modules, name)));
	if (present.length === 0) return {};
	const disabled = [process.env.N8N_DISABLED_MODULES, ...present].filter(Boolean).join(',');
	return { N8N_DISABLED_MODULES: disabled };
}

/** The sandbox's address (test/sandbox/address.mjs), as an IP range. */
const SANDBOX_LOOPBACK = '127.0.0.1/32';

/**
 * The environment of a quiet, loopback-only n8n with a private user folder and no telemetry, on
 * the Node `runtime` (from ensureN8n) was built for.
 */
export function n8nEnvironment({ runtime, userFolder, port, brokerPort, env = {} }) {
	return {
		...process.env,
		// n8n starts its task runner as `node` from PATH: the same Node as n8n itself.
		PATH: `${path.dirname(runtime.node)}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_VERSION: runtime.version,
		// jest sets NODE_ENV=test, with which n8n exits at start.
		NODE_ENV: 'production',
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENCRYPTION_KEY: 'esign-sandbox-encryption-key',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		// The editor fetches banners from api.n8n.io (unreachable here; 1.x logs the failure).
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		// Nothing else phones home either, so that an offline machine logs no lookup failures: the
		// editor's "what's new" feed, the license server, n8n's list of vetted community nodes.
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		...offlineModules(runtime),
		N8N_COMMUNITY_PACKAGES_PREVENT_LOADING: 'false',
		N8N_LOG_LEVEL: 'info',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'true',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		// Files written by workflows stay in this instance's folder (n8n's default is ~/.n8n-files).
		N8N_RESTRICT_FILE_ACCESS_TO: n8nFilesFolder(userFolder),
		N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		// Binary data in n8n's file store, the 2.x default; 1.x keeps it in memory (mode `default`,
		// inline base64 in the execution data, no signed binary URLs) unless told otherwise.
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		DB_SQLITE_POOL_SIZE: '2',
		// With n8n's SSRF protection on (N8N_SSRF_PROTECTION_ENABLED=true; loopback is on its block
		// list), the nodes must still reach the sandbox on 127.0.0.1. Nothing else on loopback.
		N8N_SSRF_ALLOWED_IP_RANGES: [process.env.N8N_SSRF_ALLOWED_IP_RANGES, SANDBOX_LOOPBACK]
			.filter(Boolean)
			.join(','),
		...env,
	};
}

/**
 * Polls until the n8n at `baseUrl` serves: `/healthz/readiness` answers 200 and, with `rest`, the
 * REST API is mounted (`GET /rest/workflows` no longer 404: n8n 1.x and 2.0 report ready before
 * their controllers are). Throws when `child` exits or at the deadline. Resolves to the ms taken.
 */
export async function untilServing(
	baseUrl,
	{ child, logFile, timeoutMs = 180_000, everyMs = 500, rest = true, name = 'n8n' },
) {
	const started = performance.now();
	const deadline = Date.now() + timeoutMs;
	const answers = async (pathname, ok) => {
		try {
			const response = await fetch(`${baseUrl}${pathname}`, { signal: AbortSignal.timeout(5000) });
			await response.arrayBuffer();
			return ok(response.status);
		} catch {
			return false; // not listening yet
		}
	};
	let stage = '/healthz/readiness';
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(`${name} exited with ${child.exitCode ?? child.signalCode}; see ${logFile}`);
		if (stage === '/healthz/readiness' && (await answers(stage, (status) => status === 200)))
			stage = rest ? '/rest/workflows' : '';
		if (stage === '/rest/workflows' && (await answers(stage, (status) => status !== 404)))
			stage = '';
		if (!stage) return performance.now() - started;
		if (Date.now() > deadline) {
			// Its whole process group where it leads one (detached), else the process.
			if (!killGroup(child.pid)) child.kill('SIGKILL');
			throw new Error(`${name} did not serve ${stage} in ${timeoutMs / 1000}s; see ${logFile}`);
		}
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}

/**
 * Starts `n8n start` (of `runtime`, from ensureN8n) with a private user folder, loopback only, no
 * telemetry. Resolves once the editor and REST API are up, with `readyMs`, the time that took
 * (measured to `everyMs`: the benchmarks poll finer to compare start times). `logFile` receives
 * n8n's output (the e2e suite scans it for leaked secrets).
 */
export async function startN8n({
	runtime,
	userFolder,
	port,
	brokerPort,
	logFile,
	env = {},
	timeoutMs = 180_000,
	everyMs = 500,
	label = `n8n ${runtime.version}`,
}) {
	const log = fs.openSync(logFile, 'a');
	// n8n does not create its files folder; Read/Write Files fails on a missing one.
	fs.mkdirSync(n8nFilesFolder(userFolder), { recursive: true });
	const { command, args } = n8nCommand(runtime, ['start']);
	// In a process group of its own, with the task runner it starts: both are killed together,
	// also when this process exits or is interrupted before stop() (scripts/lib/procs.cjs).
	const child = spawn(command, args, {
		cwd: userFolder,
		env: n8nEnvironment({ runtime, userFolder, port, brokerPort, env }),
		stdio: ['ignore', log, log],
		detached: true,
	});
	fs.closeSync(log);
	ownGroup(child.pid, label);
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const baseUrl = `http://127.0.0.1:${port}`;
	let readyMs;
	try {
		// Ready = REST mounted too, which older n8n reports later than /healthz/readiness.
		readyMs = await untilServing(baseUrl, { child, logFile, timeoutMs, everyMs });
	} catch (error) {
		killGroup(child.pid);
		throw error;
	}
	return {
		baseUrl,
		readyMs,
		pid: child.pid,
		child,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				// n8n itself first, so that it shuts down gently and stops its task runner.
				child.kill('SIGTERM');
				const timer = setTimeout(() => killGroup(child.pid), 15_000);
				await exited;
				clearTimeout(timer);
			}
			killGroup(child.pid);
		},
	};
}

/**
 * `startN8n`, then what a fresh instance needs before tests drive it: the owner, a login (the
 * cookie is on the returned client) and the node types list (older n8n serves it a few seconds
 * after start). On an existing user folder it just logs in. n8n is stopped again if any step fails.
 */
export async function startN8nWithOwner(options) {
	const n8n = await startN8n(options);
	const client = new N8nClient(n8n.baseUrl);
	try {
		await client.ensureOwner();
		await client.waitForNodeTypes();
	} catch (error) {
		await n8n.stop();
		throw error;
	}
	return { n8n, client };
}

export function tempDir(prefix) {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
