/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error */
// An n8n of the test file's own, for tests that stop and start n8n: the suite's n8n
// (global-setup) is shared with the other test files, which may run at the same time. Same
// release, same packed package, set up the same way (scripts/lib/n8n.mjs, through
// own-n8n-cli.mjs, as jest cannot load those ES modules itself). While it runs, every helper of
// n8n.ts talks to it (useN8n).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { e2eInfo, useN8n } from './n8n';

const CLI = path.resolve(__dirname, 'own-n8n-cli.mjs');

export interface OwnN8n {
	baseUrl: string;
	logFile: string;
	/** Stops n8n (SIGTERM, as a service manager does; waits until it has exited). */
	stop(): Promise<void>;
	/** Starts it again on the same database and port; resolves once it serves and is logged in. */
	start(): Promise<void>;
	/** Stops it and removes its folder (kept with ESIGN_KEEP_E2E=1). Safe to call whatever failed. */
	close(): Promise<void>;
}

async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** The last lines of a log, for an error message. */
function tail(file: string, lines = 15): string {
	try {
		return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/** Ends the CLI's process group: itself, n8n, and anything n8n started. */
function killGroup(child: ChildProcess): void {
	try {
		if (child.pid) process.kill(-child.pid, 'SIGKILL');
	} catch {
		// the group is gone
	}
}

export async function startOwnN8n(): Promise<OwnN8n> {
	const info = e2eInfo();
	if (info.external) throw new Error('an own n8n needs the suite to have installed n8n itself');
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'esign-own-n8n-'));
	const userFolder = path.join(work, 'home');
	const logFile = path.join(work, 'n8n.log');
	const port = await freePort();
	const options = {
		runtime: { version: info.n8nVersion, bin: info.bin, node: info.node },
		userFolder,
		port,
		logFile,
		tarball: info.tarball,
	};
	let child: ChildProcess | undefined;

	async function start(): Promise<void> {
		if (child) throw new Error('this n8n is already running');
		// Its own process group, so stopping it leaves nothing behind; stdin is the lifeline: when
		// this process ends, however, the CLI sees EOF and stops n8n.
		const started = spawn(process.execPath, [CLI, JSON.stringify(options)], {
			stdio: ['pipe', 'pipe', 'pipe'],
			detached: true,
		});
		child = started;
		let stderr = '';
		started.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
		try {
			const target = await new Promise<{ baseUrl: string; cookie: string }>((resolve, reject) => {
				let stdout = '';
				started.stdout!.on('data', (chunk: Buffer) => {
					stdout += chunk.toString('utf8');
					if (stdout.includes('\n')) resolve(JSON.parse(stdout.split('\n')[0]));
				});
				started.once('exit', (code, signal) =>
					reject(
						new Error(
							`own n8n exited with ${code ?? signal} before serving: ${stderr.trim()}\n${tail(logFile)}`,
						),
					),
				);
			});
			useN8n({ ...target, logFile });
		} catch (error) {
			await stop();
			throw error;
		}
	}

	async function stop(): Promise<void> {
		const running = child;
		if (!running) return;
		child = undefined;
		if (running.exitCode === null && running.signalCode === null) {
			const exited = new Promise((resolve) => running.once('exit', resolve));
			// The CLI stops n8n gracefully; n8n itself gives up on open work after 30 s.
			running.kill('SIGTERM');
			const timer = setTimeout(() => killGroup(running), 45_000);
			await exited;
			clearTimeout(timer);
		}
		killGroup(running);
	}

	try {
		await start();
	} catch (error) {
		fs.rmSync(work, { recursive: true, force: true });
		throw error;
	}
	return {
		baseUrl: `http://127.0.0.1:${port}`,
		logFile,
		stop,
		start,
		async close() {
			await stop();
			useN8n(undefined);
			if (!process.env.ESIGN_KEEP_E2E) fs.rmSync(work, { recursive: true, force: true });
		},
	};
}
