// Batch create: N items → Dokobit Gateway → Signing → Create (File Tokens mode: one create request
// per item) through n8n-core's WorkflowExecute, against the sandbox with 20 ms added to every API
// request. Baseline: a plain Node fetch client sending the same requests at the same concurrency.
import { median, measure } from '../lib/measure.mjs';
import { TOKEN } from '../lib/sandbox.mjs';

const SIGNER = {
	id: '50001018865',
	name: 'Jonas',
	surname: 'Jonaitis',
	signing_purpose: 'signature',
};

function nodeParameters(fileToken, concurrency, expression) {
	return {
		resource: 'signing',
		operation: 'create',
		// A per-item expression, as real batches have: every item names its own document.
		name: expression ? '={{ "Contract " + $json.n }}' : 'Contract',
		type: 'pdf',
		filesFrom: 'tokens',
		fileTokens: fileToken,
		signersInput: 'fields',
		signers: { signer: [SIGNER] },
		requestConcurrency: concurrency,
	};
}

async function fetchClient(url, fileToken, count, concurrency, expression) {
	let next = 0;
	const tokens = new Array(count);
	const worker = async () => {
		while (next < count) {
			const n = next++;
			const response = await fetch(`${url}/api/signing/create.json?access_token=${TOKEN}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json' },
				body: JSON.stringify({
					type: 'pdf',
					name: expression ? `Contract ${n}` : 'Contract',
					signers: [SIGNER],
					files: [{ token: fileToken }],
				}),
			});
			const json = await response.json();
			if (!response.ok || !json.token) throw new Error(`create ${n}: ${JSON.stringify(json)}`);
			tokens[n] = json.token;
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return tokens;
}

export async function batchCreate({
	engine,
	sandbox,
	items = 1000,
	concurrency = 10,
	reps = 3,
	serialReps = 1,
	latencyMs = 20,
	expression = true,
	log,
}) {
	const pdf = Buffer.from(await (await fetch(`${sandbox.url}/__files/sample.pdf`)).arrayBuffer());
	const { createHash } = await import('node:crypto');
	const file = await sandbox.api('POST', '/api/file/upload.json', {
		file: {
			name: 'contract.pdf',
			content: pdf.toString('base64'),
			digest: createHash('sha256').update(pdf).digest('hex'),
		},
	});
	await sandbox.control('DELETE', '/__faults');
	await sandbox.control('POST', '/__faults', {
		match: { path: '^/api/' },
		action: { latencyMs },
	});
	const inputItems = Array.from({ length: items }, (_, n) => ({ json: { n } }));

	const runNode = async (limit) => {
		await sandbox.control('DELETE', '/__requests');
		const measured = await measure(async () => {
			const run = await engine.runDokobit(
				sandbox.url,
				nodeParameters(file.token, limit, expression),
				inputItems,
				TOKEN,
			);
			const error = engine.errorOf(run);
			if (error) throw new Error(`node run failed: ${error.message}`);
			return engine.outputOf(run);
		});
		const output = measured.result;
		const requests = (await sandbox.control('GET', '/__requests')).filter(
			(request) => request.path === '/api/signing/create.json',
		);
		// Checks that make the number honest: one request per item, output in input order.
		if (requests.length !== items)
			throw new Error(`expected ${items} creates, saw ${requests.length}`);
		if (output.length !== items)
			throw new Error(`expected ${items} output items, got ${output.length}`);
		output.forEach((item, index) => {
			const name = expression ? `Contract ${index}` : 'Contract';
			if (item.json.name !== name || item.pairedItem?.item !== index || !item.json.token)
				throw new Error(`output item ${index} out of order`);
		});
		return measured;
	};
	const runFetch = async () => {
		await sandbox.control('DELETE', '/__requests');
		return await measure(
			async () => await fetchClient(sandbox.url, file.token, items, concurrency, expression),
		);
	};

	// Warm-up (JIT, sockets, isolate) not counted.
	await runFetch();
	await runNode(concurrency);
	const fetchRuns = [];
	const nodeRuns = [];
	for (let rep = 0; rep < reps; rep++) {
		// Interleaved, so drift on the machine hits both alike.
		fetchRuns.push(await runFetch());
		nodeRuns.push(await runNode(concurrency));
		log?.(
			`batch create${expression ? '' : ' (fixed name)'} rep ${rep + 1}: fetch ${fetchRuns.at(-1).ms.toFixed(0)} ms, node@${concurrency} ${nodeRuns.at(-1).ms.toFixed(0)} ms`,
		);
	}
	const serialRuns = [];
	for (let rep = 0; rep < serialReps; rep++) {
		serialRuns.push(await runNode(1));
		log?.(`batch create rep ${rep + 1}: node@1 ${serialRuns.at(-1).ms.toFixed(0)} ms`);
	}
	await sandbox.control('DELETE', '/__faults');
	return {
		items,
		concurrency,
		latencyMs,
		fetchMs: median(fetchRuns.map((run) => run.ms)),
		nodeMs: median(nodeRuns.map((run) => run.ms)),
		serialMs: median(serialRuns.map((run) => run.ms)),
		nodePeak: Math.max(...nodeRuns.map((run) => run.peakRssGrowth)),
		fetchPeak: Math.max(...fetchRuns.map((run) => run.peakRssGrowth)),
		runs: {
			fetch: fetchRuns.map((run) => run.ms),
			node: nodeRuns.map((run) => run.ms),
			serial: serialRuns.map((run) => run.ms),
		},
	};
}
