// Large signed file download: a 200 MB signed file → n8n binary data in filesystem mode (n8n-core's
// BinaryDataService initialised in the benchmark process), through WorkflowExecute. Baseline: a
// plain streaming fetch → file copy of the same URL. Every run is a fresh process (lib/child.mjs).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { runInChild } from '../lib/child.mjs';
import { median } from '../lib/measure.mjs';
import { TOKEN } from '../lib/sandbox.mjs';

/** A completed signing whose signed file the emulator generates (option signedFileBytes). */
export async function completedSigning(sandbox) {
	const pdf = Buffer.from(await (await fetch(`${sandbox.url}/__files/sample.pdf`)).arrayBuffer());
	const file = await sandbox.api('POST', '/api/file/upload.json', {
		file: {
			name: 'contract.pdf',
			content: pdf.toString('base64'),
			digest: createHash('sha256').update(pdf).digest('hex'),
		},
	});
	const signing = await sandbox.api('POST', '/api/signing/create.json', {
		type: 'pdf',
		name: 'Large contract',
		files: [{ token: file.token }],
		signers: [{ id: 'solo', name: 'Ona', surname: 'Onaitė', signing_purpose: 'signature' }],
	});
	await sandbox.control('POST', `/__signings/${signing.token}/signers/solo/sign`, {});
	return signing.token;
}

async function nodeDownload(engine, url, token) {
	const run = await engine.runDokobit(
		url,
		{
			resource: 'signing',
			operation: 'download',
			signingToken: token,
			binaryPropertyName: 'data',
			requestConcurrency: 1,
		},
		[{ json: {} }],
		TOKEN,
	);
	const error = engine.errorOf(run);
	if (error) throw new Error(`node run failed: ${error.message}`);
	const binary = engine.outputOf(run)[0]?.binary?.data;
	if (!binary?.id?.startsWith('filesystem')) throw new Error('not stored in filesystem mode');
	const file = engine.binaryPath(binary.id);
	const size = fs.statSync(file).size;
	fs.rmSync(file, { force: true });
	fs.rmSync(`${file}.metadata`, { force: true });
	return { size };
}

async function fetchDownload(url, token, target) {
	const response = await fetch(`${url}/api/signing/${token}/download?access_token=${TOKEN}`);
	if (!response.ok) throw new Error(`download → ${response.status}`);
	await pipeline(Readable.fromWeb(response.body), fs.createWriteStream(target));
	const size = fs.statSync(target).size;
	fs.rmSync(target, { force: true });
	return { size };
}

// Each child first downloads a small signed file the same way (JIT, lazy module loading), then the
// large one is measured.
/** Runs the small warm-up download twice and reports the second one's time (fixed costs). */
async function warmUp(once) {
	await once();
	const started = performance.now();
	await once();
	return { smallMs: performance.now() - started };
}

export const runners = {
	node: {
		prepare: async (task, engine) =>
			await warmUp(() => nodeDownload(engine, task.warm.url, task.warm.token)),
		run: async (task, engine) => await nodeDownload(engine, task.url, task.token),
		check: (_task, _engine, state, result) => ({ ...result, ...state }),
	},
	fetch: {
		prepare: async (task) =>
			await warmUp(() => fetchDownload(task.warm.url, task.warm.token, task.target)),
		run: async (task) => await fetchDownload(task.url, task.token, task.target),
		check: (_task, _engine, state, result) => ({ ...result, ...state }),
	},
};

export async function download({
	engineConfig,
	sandbox,
	warmSandbox,
	bytes,
	reps = 3,
	scratch,
	log,
}) {
	fs.mkdirSync(scratch, { recursive: true });
	const token = await completedSigning(sandbox);
	const warm = { url: warmSandbox.url, token: await completedSigning(warmSandbox) };
	const task = (runner) => ({
		module: 'download',
		runner,
		engine: runner === 'node' ? engineConfig : undefined,
		url: sandbox.url,
		token,
		warm,
		target: path.join(scratch, 'fetch-copy.bin'),
	});
	const run = async (runner) => {
		const result = await runInChild(task(runner));
		if (result.size !== bytes)
			throw new Error(`${runner}: got ${result.size} bytes, expected ${bytes}`);
		return result;
	};
	const runs = { fetch: [], node: [] };
	for (let rep = 0; rep < reps; rep++) {
		for (const runner of Object.keys(runs)) runs[runner].push(await run(runner));
		const show = (r) => `${r.ms.toFixed(0)} ms (+${(r.peakRssGrowth / 1048576).toFixed(1)} MiB)`;
		log?.(
			`download rep ${rep + 1}: fetch ${show(runs.fetch.at(-1))}, node ${show(runs.node.at(-1))}`,
		);
	}
	return {
		bytes,
		fetchMs: median(runs.fetch.map((r) => r.ms)),
		nodeMs: median(runs.node.map((r) => r.ms)),
		fetchPeak: median(runs.fetch.map((r) => r.peakRssGrowth)),
		nodePeak: median(runs.node.map((r) => r.peakRssGrowth)),
		nodePeakMax: Math.max(...runs.node.map((r) => r.peakRssGrowth)),
		nodeSmallMs: median(runs.node.map((r) => r.smallMs)),
		fetchSmallMs: median(runs.fetch.map((r) => r.smallMs)),
		runs,
	};
}
