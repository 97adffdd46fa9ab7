// `--profile`: where n8n's CPU goes while it runs a benchmark. n8n runs with `--cpu-prof`; this
// reads the profiles it writes on exit and adds up the self time of every sampled function by the
// code it belongs to (this package, n8n's packages, the HTTP stack, Node itself).
import fs from 'node:fs';
import path from 'node:path';

/** Where a script belongs, from its URL; the first match wins. */
const OWNERS = [
	['this package (n8n-nodes-esign)', /n8n-nodes-esign/],
	['n8n-core', /node_modules\/n8n-core\//],
	[
		'n8n-workflow (expressions, parameters)',
		/node_modules\/n8n-workflow\/|@n8n\/(tournament|expression)/,
	],
	['n8n (server, executions, database)', /node_modules\/(n8n|@n8n)\/|typeorm|sqlite/],
	['HTTP client (axios, follow-redirects, form-data)', /axios|follow-redirects|form-data|proxy/],
	['web server (express and middleware)', /express|body-parser|router|raw-body/],
	['other dependencies', /node_modules\//],
	['Node.js (net, http, streams, timers)', /^node:|^internal\//],
];
const GENERAL = {
	'(garbage collector)': 'garbage collection',
	'(idle)': 'idle',
	'(program)': 'V8 (program)',
};

function ownerOf(frame) {
	if (!frame.url) return GENERAL[frame.functionName] ?? 'V8 / native';
	return OWNERS.find(([, pattern]) => pattern.test(frame.url))?.[0] ?? 'other';
}

/** Self time (ms) per owner, per function of this package, from one `.cpuprofile`. */
export function summarizeProfile(file) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const selfMs = new Map();
	for (let i = 0; i < profile.samples.length; i++) {
		const id = profile.samples[i];
		selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
	}
	const owners = new Map();
	const ours = new Map();
	for (const [id, ms] of selfMs) {
		const frame = byId.get(id).callFrame;
		const owner = ownerOf(frame);
		owners.set(owner, (owners.get(owner) ?? 0) + ms);
		if (owner.startsWith('this package')) {
			const name = `${frame.functionName || '(anonymous)'} (${path.basename(frame.url)})`;
			ours.set(name, (ours.get(name) ?? 0) + ms);
		}
	}
	return { owners, ours };
}

/** What `with` spent beyond `without` (the runs, without n8n's start and stop), largest first. */
export function subtractProfile(withRuns, without) {
	const minus = (a, b) =>
		[...a]
			.map(([key, ms]) => [key, Math.max(0, ms - (b.get(key) ?? 0))])
			.filter(([, ms]) => ms > 0)
			.sort((x, y) => y[1] - x[1]);
	return {
		owners: minus(withRuns.owners, without.owners),
		ours: minus(withRuns.ours, without.ours).slice(0, 8),
	};
}

/** The profile of n8n's main process: the largest file in `dir` (task runners write small ones). */
export function mainProfile(dir) {
	const files = fs
		.readdirSync(dir)
		.filter((name) => name.endsWith('.cpuprofile'))
		.map((name) => path.join(dir, name));
	return files.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
}

/** Markdown lines for BENCHMARKS.md. */
export function profileLines({ owners, ours }) {
	const busy = owners.filter(([owner]) => owner !== 'idle').reduce((sum, [, ms]) => sum + ms, 0);
	const share = (ms) => `${((100 * ms) / busy).toFixed(1)} %`;
	return [
		`CPU of n8n's main process for the runs (${(busy / 1000).toFixed(1)} s: a profile with the runs minus one of a start and stop alone, idle left out), by owner: ` +
			owners
				.filter(([owner]) => owner !== 'idle')
				.map(([owner, ms]) => `${owner} ${share(ms)}`)
				.join('; ') +
			'.',
		`This package's functions with the most self time: ${ours.map(([name, ms]) => `${name} ${share(ms)}`).join('; ') || 'none sampled'}.`,
	];
}
