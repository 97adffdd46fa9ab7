// A real n8n 2.41.1 for the benchmarks (scripts/lib/n8n.mjs does the install and REST), with a
// finer readiness poll than the e2e helper so start times can be compared.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { n8nEnvironment } from '../../scripts/lib/n8n.mjs';

export async function startTimedN8n({
	bin,
	userFolder,
	port,
	brokerPort,
	logFile,
	env = {},
	timeoutMs = 240_000,
}) {
	const log = fs.openSync(logFile, 'a');
	const started = performance.now();
	const child = spawn(bin, ['start'], {
		env: n8nEnvironment({ userFolder, port, brokerPort, env }),
		stdio: ['ignore', log, log],
	});
	const baseUrl = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + timeoutMs;
	let readyMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null)
			throw new Error(`n8n exited with ${child.exitCode}; see ${logFile}`);
		try {
			const response = await fetch(`${baseUrl}/healthz/readiness`);
			if (response.ok) {
				readyMs = performance.now() - started;
				break;
			}
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	fs.closeSync(log);
	if (readyMs === undefined) {
		child.kill('SIGKILL');
		throw new Error(`n8n did not become ready in ${timeoutMs / 1000}s; see ${logFile}`);
	}
	return {
		baseUrl,
		readyMs,
		async stop() {
			if (child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
			await exited;
			clearTimeout(timer);
		},
	};
}
