// A real n8n for the benchmarks (scripts/lib/n8n.mjs does the install and REST), with a finer
// readiness poll than the e2e helper so start times can be compared.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { n8nCommand, n8nEnvironment, untilServing } from '../../scripts/lib/n8n.mjs';

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
	const child = spawn(command, args, {
		env: n8nEnvironment({ runtime, userFolder, port, brokerPort, env }),
		stdio: ['ignore', log, log],
	});
	fs.closeSync(log);
	const baseUrl = `http://127.0.0.1:${port}`;
	// Ready = REST mounted too, which older n8n reports later than /healthz/readiness.
	const readyMs = await untilServing(baseUrl, { child, logFile, timeoutMs, everyMs: 50 });
	return {
		baseUrl,
		readyMs,
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
			await exited;
			clearTimeout(timer);
		},
	};
}
