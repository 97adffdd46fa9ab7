// OKdokument upload (only when that vertical exists and is registered): a 10 MiB binary →
// OKdokument → Document → Upload (Storage Only; multipart), through WorkflowExecute with the input
// stored in filesystem mode. Baseline: a plain fetch multipart upload of the same file. Every run
// is a fresh process (lib/child.mjs).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { runInChild } from '../lib/child.mjs';
import { median } from '../lib/measure.mjs';

export const OKDOKUMENT_KEY = 'example-okdokument-key';

async function nodeUpload(task, engine, item) {
	const run = await engine.runOkDokument(
		task.url,
		{
			resource: 'document',
			operation: 'upload',
			fileSource: 'binary',
			binaryPropertyName: 'data',
			uploadMode: 'storage',
		},
		[item],
		OKDOKUMENT_KEY,
	);
	const error = engine.errorOf(run);
	if (error) throw new Error(`node run failed: ${error.message} ${error.description ?? ''}`);
	const json = engine.outputOf(run)[0]?.json;
	if (!json?.documentId) throw new Error('no document id');
	return json;
}

async function fetchUpload(task, file) {
	const form = new FormData();
	form.append('dataText', JSON.stringify({ signatureRequestId: 'off' }));
	form.append('file', new Blob([fs.readFileSync(file)], { type: 'application/pdf' }), 'large.pdf');
	const response = await fetch(`${task.url}/JSON/upload`, {
		method: 'POST',
		headers: { 'x-api-key': OKDOKUMENT_KEY },
		body: form,
	});
	const json = await response.json();
	if (!response.ok) throw new Error(JSON.stringify(json));
}

const stored = async (engine, file) =>
	await engine.storeBinary(fs.createReadStream(file), 'large.pdf', 'application/pdf');

export const runners = {
	node: {
		async prepare(task, engine) {
			await nodeUpload(task, engine, {
				json: {},
				binary: { data: await stored(engine, task.small) },
			});
			return { item: { json: {}, binary: { data: await stored(engine, task.file) } } };
		},
		run: async (task, engine, state) => await nodeUpload(task, engine, state.item),
	},
	fetch: {
		prepare: async (task) => await fetchUpload(task, task.small),
		run: async (task) => await fetchUpload(task, task.file),
	},
};

export async function okDokumentUpload({ engineConfig, sandbox, bytes, reps = 3, scratch, log }) {
	const url = sandbox.urls.okdokument;
	fs.mkdirSync(scratch, { recursive: true });
	const file = path.join(scratch, 'okdokument-source.pdf');
	const small = path.join(scratch, 'okdokument-warmup.pdf');
	fs.writeFileSync(file, Buffer.concat([Buffer.from('%PDF-1.4\n%'), randomBytes(bytes - 10)]));
	fs.writeFileSync(small, Buffer.concat([Buffer.from('%PDF-1.4\n%'), randomBytes(2000)]));
	const uploads = async () => {
		const requests = await sandbox.control('GET', '/__requests', undefined, url);
		await sandbox.control('DELETE', '/__requests', undefined, url);
		return requests.filter((request) => request.path === '/JSON/upload');
	};
	const run = async (runner) => {
		await uploads();
		const result = await runInChild({
			module: 'okdokument-upload',
			runner,
			engine: runner === 'node' ? engineConfig : undefined,
			url,
			file,
			small,
		});
		const sent = await uploads();
		if (sent.length !== 2 || sent[1].bytes < bytes)
			throw new Error(`${runner}: expected one large upload`);
		return result;
	};
	const runs = { fetch: [], node: [] };
	for (let rep = 0; rep < reps; rep++) {
		for (const runner of Object.keys(runs)) runs[runner].push(await run(runner));
		const show = (r) => `${r.ms.toFixed(0)} ms (+${(r.peakRssGrowth / 1048576).toFixed(1)} MiB)`;
		log?.(
			`okdokument upload rep ${rep + 1}: fetch ${show(runs.fetch.at(-1))}, node ${show(runs.node.at(-1))}`,
		);
	}
	fs.rmSync(file, { force: true });
	fs.rmSync(small, { force: true });
	return {
		bytes,
		fetch: {
			ms: median(runs.fetch.map((r) => r.ms)),
			peak: median(runs.fetch.map((r) => r.peakRssGrowth)),
		},
		node: {
			ms: median(runs.node.map((r) => r.ms)),
			peak: median(runs.node.map((r) => r.peakRssGrowth)),
			peakMax: Math.max(...runs.node.map((r) => r.peakRssGrowth)),
		},
		runs,
	};
}
