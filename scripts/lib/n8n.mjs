// Shared by `npm start` (scripts/start.mjs) and the e2e suite (test/e2e/global-setup.mjs):
// pack this package, install it into an n8n user folder the way n8n installs community packages,
// run a quiet headless n8n on loopback, and drive it over its REST API.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const N8N_VERSION = '2.41.1';
export const OWNER = {
	email: 'sandbox@example.com',
	firstName: 'Sandbox',
	lastName: 'Owner',
	password: 'Sandbox-Passw0rd',
};

/** Installs the pinned n8n into .cache once (scripts/install-n8n.sh) and returns its binary. */
export function ensureN8n() {
	const dir = execFileSync('bash', [path.join(ROOT, 'scripts', 'install-n8n.sh')], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		env: { ...process.env, N8N_VERSION },
	})
		.trim()
		.split('\n')
		.pop();
	return path.join(dir, 'node_modules', '.bin', 'n8n');
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
 * Starts `n8n start` with a private user folder, loopback only, no telemetry. Resolves once the
 * editor is up. `logFile` receives n8n's output (the e2e suite scans it for leaked secrets).
 */
/** The environment of a quiet, loopback-only n8n with a private user folder and no telemetry. */
/**
 * Where this instance's workflows may read and write files. n8n resolves a relative path against
 * its working folder, which `startN8n` sets to the user folder, so `.n8n-files/x.pdf` lands here,
 * as it lands in `/home/node/.n8n-files` in n8n's Docker image.
 */
export function n8nFilesFolder(userFolder) {
	return path.join(userFolder, '.n8n-files');
}

export function n8nEnvironment({ userFolder, port, brokerPort, env = {} }) {
	return {
		...process.env,
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
		N8N_COMMUNITY_PACKAGES_PREVENT_LOADING: 'false',
		N8N_LOG_LEVEL: 'info',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'true',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		// Files written by workflows stay in this instance's folder (n8n's default is ~/.n8n-files).
		N8N_RESTRICT_FILE_ACCESS_TO: n8nFilesFolder(userFolder),
		N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		DB_SQLITE_POOL_SIZE: '2',
		...env,
	};
}

export async function startN8n({
	bin,
	userFolder,
	port,
	brokerPort,
	logFile,
	env = {},
	timeoutMs = 180_000,
}) {
	const log = fs.openSync(logFile, 'a');
	// n8n does not create its files folder; Read/Write Files fails on a missing one.
	fs.mkdirSync(n8nFilesFolder(userFolder), { recursive: true });
	const child = spawn(bin, ['start'], {
		cwd: userFolder,
		env: n8nEnvironment({ userFolder, port, brokerPort, env }),
		stdio: ['ignore', log, log],
		detached: false,
	});
	const baseUrl = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null)
			throw new Error(`n8n exited with ${child.exitCode}; see ${logFile}`);
		try {
			const response = await fetch(`${baseUrl}/healthz/readiness`);
			if (response.ok) break;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	if (Date.now() >= deadline) {
		child.kill('SIGKILL');
		throw new Error(`n8n did not become ready in ${timeoutMs / 1000}s; see ${logFile}`);
	}
	return {
		baseUrl,
		pid: child.pid,
		child,
		async stop() {
			if (child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			await exited;
			clearTimeout(timer);
		},
	};
}

/** A tiny REST client with the login cookie. Responses are unwrapped from `{ data }`. */
export class N8nClient {
	constructor(baseUrl) {
		this.baseUrl = baseUrl;
		this.cookie = '';
	}

	async request(method, pathname, body, { raw = false } = {}) {
		const response = await fetch(`${this.baseUrl}${pathname}`, {
			method,
			headers: {
				'content-type': 'application/json',
				cookie: this.cookie,
				'browser-id': 'esign-cli',
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.get('set-cookie');
		if (setCookie) this.cookie = setCookie.split(';')[0];
		if (raw) return response;
		const text = await response.text();
		if (!response.ok)
			throw new Error(`${method} ${pathname} → ${response.status}: ${text.slice(0, 500)}`);
		const json = text ? JSON.parse(text) : {};
		return json.data ?? json;
	}

	/** Owner setup on a fresh instance, then login; on an existing one, just login. */
	async ensureOwner(owner = OWNER) {
		const setup = await this.request('POST', '/rest/owner/setup', owner, { raw: true });
		if (!setup.ok && setup.status !== 400)
			throw new Error(`owner setup failed: ${setup.status} ${await setup.text()}`);
		await this.request('POST', '/rest/login', {
			emailOrLdapLoginId: owner.email,
			password: owner.password,
		});
	}

	async createCredential(name, type, data) {
		return await this.request('POST', '/rest/credentials', { name, type, data });
	}

	async createWorkflow(workflow) {
		return await this.request('POST', '/rest/workflows', workflow);
	}

	async activate(workflow) {
		return await this.request('POST', `/rest/workflows/${workflow.id}/activate`, {
			versionId: workflow.versionId,
		});
	}

	async deactivate(workflow) {
		return await this.request('POST', `/rest/workflows/${workflow.id}/deactivate`, {});
	}

	async executions(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const result = await this.request('GET', `/rest/executions?filter=${filter}&limit=100`);
		return result.results ?? result;
	}

	async execution(id) {
		return await this.request('GET', `/rest/executions/${id}`);
	}
}

export function tempDir(prefix) {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
