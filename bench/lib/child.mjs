// One measured run in a fresh process, so its peak memory is not hidden by (or billed for) the
// heap and malloc arenas that earlier runs left behind:
//   node --expose-gc bench/lib/child.mjs '<task JSON>'   → prints one JSON line with the result.
// The task names a runner exported by a scenario module; the runner's `prepare` part (input
// binaries, a warm-up run) happens before the clock and the memory baseline start.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine } from './engine.mjs';
import { measure } from './measure.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Runs `task` in a child process and returns what it printed. */
export async function runInChild(task) {
	const child = spawn(
		process.execPath,
		['--expose-gc', path.join(HERE, 'child.mjs'), JSON.stringify(task)],
		{ stdio: ['ignore', 'pipe', 'inherit'] },
	);
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	// A benchmark that fails or exits meanwhile takes its measured run with it.
	const kill = () => child.kill('SIGKILL');
	process.once('exit', kill);
	const code = await new Promise((resolve) => child.once('exit', resolve));
	process.off('exit', kill);
	const line = output.trim().split('\n').pop();
	if (code !== 0 || !line)
		throw new Error(`benchmark child for ${task.runner} exited with ${code}`);
	return JSON.parse(line);
}

async function main() {
	const task = JSON.parse(process.argv[2]);
	const module = await import(path.join(HERE, '..', 'scenarios', `${task.module}.mjs`));
	const runner = module.runners[task.runner];
	const engine = task.engine ? await loadEngine(task.engine) : undefined;
	const state = (await runner.prepare?.(task, engine)) ?? {};
	const measured = await measure(async () => await runner.run(task, engine, state));
	const checked = (await runner.check?.(task, engine, state, measured.result)) ?? {};
	process.stdout.write(
		`${JSON.stringify({ ms: measured.ms, peakRssGrowth: measured.peakRssGrowth, ...checked })}\n`,
	);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	main().then(
		() => process.exit(0),
		(error) => {
			console.error(error);
			process.exit(1);
		},
	);
}
