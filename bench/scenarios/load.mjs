// Load cost: how long `n8n start` takes to become ready with the package installed, against the
// same n8n without it (medians of several starts each, alternating, after one unmeasured start
// per folder that runs the database migrations).
import path from 'node:path';
import { freePort, installPackage, startN8n } from '../../scripts/lib/n8n.mjs';
import { BENCH_N8N, median } from '../lib/measure.mjs';

export async function loadCost({ runtime, tarball, work, starts = 5, log }) {
	const folders = {
		with: path.join(work, 'load-with'),
		without: path.join(work, 'load-without'),
	};
	installPackage(folders.with, tarball);
	const logFile = path.join(work, 'load-n8n.log');
	const startOnce = async (folder) => {
		const n8n = await startN8n({
			...BENCH_N8N,
			runtime,
			userFolder: folder,
			port: await freePort(),
			brokerPort: await freePort(),
			logFile,
		});
		await n8n.stop();
		return n8n.readyMs;
	};
	// First start of each folder migrates a fresh database: not what a restart costs.
	await startOnce(folders.without);
	await startOnce(folders.with);
	const times = { with: [], without: [] };
	for (let run = 0; run < starts; run++) {
		const order = run % 2 ? ['with', 'without'] : ['without', 'with'];
		for (const key of order) times[key].push(await startOnce(folders[key]));
		log?.(
			`load rep ${run + 1}: without ${times.without.at(-1).toFixed(0)} ms, with ${times.with.at(-1).toFixed(0)} ms`,
		);
	}
	return { withMs: median(times.with), withoutMs: median(times.without), times };
}
