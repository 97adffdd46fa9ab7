// A real n8n for the benchmarks (scripts/lib/n8n.mjs does the install and REST), with a finer
// readiness poll than the e2e helper so start times can be compared.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { n8nCommand, n8nEnvironment, untilServing } from '../../scripts/lib/n8n.mjs';
import procs from '../../scripts/lib/procs.cjs';

export async function startTimedN8n({
	runtime,
	userFolder,
	port,
	brokerPort,
	logFile,
	env = {},
	timeoutMs = 240_000,
}) {
	const log = fs.openSync(logFile, 'a');
	const { command, args } = n8nCommand(runtime, ['start']);
	// Its own process group (with its task runner), killed also if the benchmark fails or is
	// interrupted before stop() (scripts/lib/procs.cjs).
	const child = spawn(command, args, {
		env: n8nEnvironment({ runtime, userFolder, port, brokerPort, env }),
		stdio: ['ignore', log, log],
		detached: true,
	});
	fs.closeSync(log);
	procs.ownGroup(child.pid, 'n8n (benchmark)');
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const baseUrl = `http://127.0.0.1:${port}`;
	let readyMs;
	try {
		// Ready = REST mounted too, which older n8n reports later than /healthz/readiness.
		readyMs = await untilServing(baseUrl, { child, logFile, timeoutMs, everyMs: 50 });
	} catch (error) {
		procs.killGroup(child.pid);
		throw error;
	}
	return {
		baseUrl,
		readyMs,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				const timer = setTimeout(() => procs.killGroup(child.pid), 20_000);
				await exited;
				clearTimeout(timer);
			}
			procs.killGroup(child.pid);
		},
	};
}
