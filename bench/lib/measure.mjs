// Timing, memory and machine facts for the benchmarks.
import fs from 'node:fs';
import os from 'node:os';

export const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const gc = () => globalThis.gc?.();

function statusValue(field) {
	const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(
		fs.readFileSync('/proc/self/status', 'utf8'),
	);
	return match ? Number(match[1]) * 1024 : undefined;
}

/**
 * Runs `fn` once and returns { ms, peakRssGrowth, result }. The peak is the kernel's own high-water
 * mark (VmHWM, reset through /proc/self/clear_refs), so nothing between two samples is missed;
 * growth is measured from the RSS just before the run, after a full GC.
 */
export async function measure(fn) {
	gc();
	gc();
	await new Promise((resolve) => setTimeout(resolve, 50));
	let resetWorked = false;
	try {
		fs.writeFileSync('/proc/self/clear_refs', '5');
		resetWorked = true;
	} catch {
		// not Linux, or not allowed: fall back to sampling below
	}
	const before = process.memoryUsage.rss();
	let sampled = before;
	const sampler = setInterval(() => {
		sampled = Math.max(sampled, process.memoryUsage.rss());
	}, 5);
	const started = performance.now();
	let result;
	try {
		result = await fn();
	} finally {
		clearInterval(sampler);
	}
	const ms = performance.now() - started;
	const peak = Math.max(
		sampled,
		process.memoryUsage.rss(),
		(resetWorked && statusValue('VmHWM')) || 0,
	);
	return { ms, peakRssGrowth: peak - before, rssBefore: before, result };
}

export function machineInfo() {
	const cpus = os.cpus();
	return {
		cpu: cpus[0]?.model?.trim() ?? 'unknown',
		cores: cpus.length,
		memory: os.totalmem(),
		node: process.version,
		os: `${os.type()} ${os.release()} ${os.arch()}`,
	};
}

/**
 * How the benchmarks start n8n (startN8n, scripts/lib/n8n.mjs): a finer readiness poll, so that
 * start times can be compared, and more time on a loaded machine.
 */
export const BENCH_N8N = { everyMs: 50, timeoutMs: 240_000, label: 'n8n (benchmark)' };
