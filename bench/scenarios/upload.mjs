// Upload: one large binary → Dokobit Gateway → File → Upload (JSON body: base64 content + SHA-256
// digest), through WorkflowExecute. The input binary is stored beforehand in filesystem mode (n8n's
// default) and, as a second case, held in memory as base64 in the item (no binary store). Baseline:
// a plain Node client that reads the file, hashes it, and posts the same JSON with fetch (the naive
// way, for scale). Every run is a fresh process (lib/child.mjs), so peaks are not masked.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { runInChild } from '../lib/child.mjs';
import { median } from '../lib/measure.mjs';
import { TOKEN } from '../lib/sandbox.mjs';

const PARAMETERS = {
	resource: 'file',
	operation: 'upload',
	fileSource: 'binary',
	binaryPropertyName: 'data',
	requestConcurrency: 1,
};

async function nodeUpload(task, engine, item) {
	const run = await engine.runDokobit(task.url, PARAMETERS, [item], TOKEN);
	const error = engine.errorOf(run);
	if (error) throw new Error(`node run failed: ${error.message} ${error.description ?? ''}`);
	return engine.outputOf(run)[0]?.json;
}

async function fetchUpload(task, file) {
	const bytes = fs.readFileSync(file);
	const body = JSON.stringify({
		file: {
			name: 'large.pdf',
			digest: createHash('sha256').update(bytes).digest('hex'),
			content: bytes.toString('base64'),
		},
	});
	const response = await fetch(`${task.url}/api/file/upload.json?access_token=${TOKEN}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body,
	});
	const json = await response.json();
	if (!json.token) throw new Error(JSON.stringify(json));
	return json;
}

const stored = async (engine, file) =>
	await engine.storeBinary(fs.createReadStream(file), 'large.pdf', 'application/pdf');

export const runners = {
	nodeFs: {
		async prepare(task, engine) {
			await nodeUpload(task, engine, {
				json: {},
				binary: { data: await stored(engine, task.small) },
			});
			return { item: { json: {}, binary: { data: await stored(engine, task.file) } } };
		},
		run: async (task, engine, state) => await nodeUpload(task, engine, state.item),
		check: (task, _engine, _state, json) => ({ digestOk: json?.digest === task.digest }),
	},
	nodeMemory: {
		async prepare(task, engine) {
			const inMemory = (file) => ({
				json: {},
				binary: {
					data: {
						data: fs.readFileSync(file).toString('base64'),
						mimeType: 'application/pdf',
						fileName: 'large.pdf',
					},
				},
			});
			await nodeUpload(task, engine, inMemory(task.small));
			return { item: inMemory(task.file) };
		},
		run: async (task, engine, state) => await nodeUpload(task, engine, state.item),
		check: (task, _engine, _state, json) => ({ digestOk: json?.digest === task.digest }),
	},
	fetch: {
		prepare: async (task) => void (await fetchUpload(task, task.small)),
		run: async (task) => await fetchUpload(task, task.file),
	},
};

function sampleFile(file, size) {
	// Incompressible-looking but cheap: one random MiB repeated, with a changing first byte per block.
	const block = randomBytes(1024 * 1024);
	const hash = createHash('sha256');
	const fd = fs.openSync(file, 'w');
	for (let at = 0, n = 0; at < size; at += block.length, n++) {
		block[0] = n & 0xff;
		const piece = block.subarray(0, Math.min(block.length, size - at));
		hash.update(piece);
		fs.writeSync(fd, piece);
	}
	fs.closeSync(fd);
	return hash.digest('hex');
}

export async function upload({ engineConfig, sandbox, bytes, reps = 3, scratch, log }) {
	fs.mkdirSync(scratch, { recursive: true });
	const file = path.join(scratch, 'upload-source.bin');
	const small = path.join(scratch, 'upload-warmup.bin');
	const digest = sampleFile(file, bytes);
	sampleFile(small, 3000);
	const task = (runner) => ({
		module: 'upload',
		runner,
		engine: runner === 'fetch' ? undefined : engineConfig,
		url: sandbox.url,
		file,
		small,
		digest,
	});
	const run = async (runner) => {
		await sandbox.control('DELETE', '/__requests');
		const result = await runInChild(task(runner));
		const uploads = (await sandbox.control('GET', '/__requests')).filter(
			(request) => request.path === '/api/file/upload.json',
		);
		const last = uploads.at(-1);
		if (uploads.length !== 2 || last?.body?.file?.digest !== digest || last.bytes < bytes)
			throw new Error(
				`${runner}: the sandbox did not get exactly one upload with the right digest`,
			);
		if (result.digestOk === false) throw new Error(`${runner}: the node reported a wrong digest`);
		return result;
	};
	const runs = { fetch: [], nodeFs: [], nodeMemory: [] };
	for (let rep = 0; rep < reps; rep++) {
		for (const runner of Object.keys(runs)) runs[runner].push(await run(runner));
		const show = (r) => `${r.ms.toFixed(0)} ms (+${(r.peakRssGrowth / 1048576).toFixed(1)} MiB)`;
		log?.(
			`upload rep ${rep + 1}: fetch ${show(runs.fetch.at(-1))}, node fs ${show(runs.nodeFs.at(-1))}, node in-memory ${show(runs.nodeMemory.at(-1))}`,
		);
	}
	fs.rmSync(file, { force: true });
	fs.rmSync(small, { force: true });
	const summary = (list) => ({
		ms: median(list.map((r) => r.ms)),
		peak: median(list.map((r) => r.peakRssGrowth)),
		peakMax: Math.max(...list.map((r) => r.peakRssGrowth)),
	});
	return {
		bytes,
		fetch: summary(runs.fetch),
		node: summary(runs.nodeFs),
		memory: summary(runs.nodeMemory),
		runs,
	};
}
