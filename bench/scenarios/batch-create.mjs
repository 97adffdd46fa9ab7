// Batch create, for each vendor: N items → the action node's create operation (one create request
// per item) through n8n-core's WorkflowExecute, against the sandbox with 20 ms added to every API
// request. Baseline: a plain Node fetch client sending the same requests at the same concurrency.
//   Dokobit:      Signing → Create, File Tokens mode (the file is uploaded once beforehand).
//   OKdokument:   Signature Request → Create, Existing Document (each item's document is stored
//                 with `POST /JSON/document` beforehand), so no file travels with the request.
//   Documentolog: Document → Create Signing Session with an attachment link per item.
import { createHash } from 'node:crypto';
import { OKDOKUMENT_KEY } from './okdokument-upload.mjs';
import { median, measure } from '../lib/measure.mjs';
import { TOKEN } from '../lib/sandbox.mjs';

export const DOCUMENTOLOG_KEY = 'example-documentolog-key';

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

/**
 * Times `runNode(limit)` against `runFetch()` (interleaved, after one unmeasured warm-up of each),
 * then `runNode(1)`. Both must send exactly one `method path` request per item, with the same
 * bodies (so both clients do the same work), and the node's output must be in input order with
 * pairedItem kept (`checkItem`).
 */
async function compareBatch({
	control,
	method = 'POST',
	path,
	items,
	concurrency,
	reps,
	serialReps,
	runNode,
	runFetch,
	checkItem,
	label,
	log,
}) {
	const sent = async () =>
		(await control('GET', '/__requests')).filter(
			(request) => request.method === method && request.path === path,
		);
	const countOnePerItem = (requests, who) => {
		if (requests.length !== items)
			throw new Error(`${label} ${who}: expected ${items} creates, saw ${requests.length}`);
	};
	// Every request body, key order aside, sorted: the same for both clients or the run is void.
	const bodiesOf = (requests) => requests.map((request) => canonical(request.body)).sort();
	let fetchBodies;
	const timeFetch = async () => {
		await control('DELETE', '/__requests');
		const measured = await measure(async () => await runFetch(items, concurrency));
		const requests = await sent();
		countOnePerItem(requests, 'fetch');
		fetchBodies ??= bodiesOf(requests);
		return measured;
	};
	const timeNode = async (limit) => {
		await control('DELETE', '/__requests');
		const measured = await measure(async () => await runNode(limit));
		const output = measured.result;
		const requests = await sent();
		// Checks that make the number honest: one request per item, output in input order.
		countOnePerItem(requests, `node@${limit}`);
		if (output.length !== items)
			throw new Error(`${label}: expected ${items} output items, got ${output.length}`);
		output.forEach((item, index) => {
			if (item.pairedItem?.item !== index || !checkItem(item, index))
				throw new Error(`${label}: output item ${index} out of order`);
		});
		const nodeBodies = bodiesOf(requests);
		const differs = nodeBodies.findIndex((body, index) => body !== fetchBodies[index]);
		if (differs !== -1)
			throw new Error(
				`${label}: node and fetch send different bodies: ${nodeBodies[differs]} vs ${fetchBodies[differs]}`,
			);
		return measured;
	};

	// Warm-up (JIT, sockets, isolate) not counted.
	await timeFetch();
	await timeNode(concurrency);
	const fetchRuns = [];
	const nodeRuns = [];
	for (let rep = 0; rep < reps; rep++) {
		// Interleaved, so drift on the machine hits both alike.
		fetchRuns.push(await timeFetch());
		nodeRuns.push(await timeNode(concurrency));
		log?.(
			`${label} rep ${rep + 1}: fetch ${fetchRuns.at(-1).ms.toFixed(0)} ms, node@${concurrency} ${nodeRuns.at(-1).ms.toFixed(0)} ms`,
		);
	}
	const serialRuns = [];
	for (let rep = 0; rep < serialReps; rep++) {
		serialRuns.push(await timeNode(1));
		log?.(`${label} rep ${rep + 1}: node@1 ${serialRuns.at(-1).ms.toFixed(0)} ms`);
	}
	return {
		items,
		concurrency,
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

/** JSON with the keys of every object sorted, to compare bodies whatever their key order. */
function canonical(value) {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object')
		return `{${Object.keys(value)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
			.join(',')}}`;
	return JSON.stringify(value);
}

/** Adds `latencyMs` to every request whose path matches `pathPattern`, for the duration of `run`. */
async function withLatency(control, pathPattern, latencyMs, run) {
	await control('DELETE', '/__faults');
	await control('POST', '/__faults', { match: { path: pathPattern }, action: { latencyMs } });
	try {
		return await run();
	} finally {
		await control('DELETE', '/__faults');
	}
}

/** Dokobit Gateway: Signing → Create in File Tokens mode. */
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
	const file = await sandbox.api('POST', '/api/file/upload.json', {
		file: {
			name: 'contract.pdf',
			content: pdf.toString('base64'),
			digest: createHash('sha256').update(pdf).digest('hex'),
		},
	});
	const inputItems = Array.from({ length: items }, (_, n) => ({ json: { n } }));
	const control = (method, path, body) => sandbox.control(method, path, body);
	const result = await withLatency(control, '^/api/', latencyMs, () =>
		compareBatch({
			control,
			path: '/api/signing/create.json',
			items,
			concurrency,
			reps,
			serialReps,
			label: `batch create${expression ? '' : ' (fixed name)'}`,
			log,
			runNode: async (limit) => {
				const run = await engine.runDokobit(
					sandbox.url,
					nodeParameters(file.token, limit, expression),
					inputItems,
					TOKEN,
				);
				const error = engine.errorOf(run);
				if (error) throw new Error(`node run failed: ${error.message}`);
				return engine.outputOf(run);
			},
			runFetch: (count, limit) => fetchClient(sandbox.url, file.token, count, limit, expression),
			checkItem: (item, index) =>
				item.json.name === (expression ? `Contract ${index}` : 'Contract') &&
				Boolean(item.json.token),
		}),
	);
	return { ...result, latencyMs };
}

/** Runs `send(n)` for n = 0…count-1 with `concurrency` in flight, like the node does. */
async function inFlight(count, concurrency, send) {
	let next = 0;
	const worker = async () => {
		while (next < count) await send(next++);
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
}

async function postJson(url, headers, body, what) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
		body: JSON.stringify(body),
	});
	const json = await response.json();
	if (!response.ok) throw new Error(`${what}: ${JSON.stringify(json)}`);
	return json;
}

/**
 * OKdokument: Signature Request → Create with Existing Document (`POST /JSON/signatureRequest` with
 * `id`): the cheapest realistic create, the file having been stored before (Document → Upload, or
 * `POST /JSON/document` here). Every item names its own document through an expression.
 */
export async function okDokumentBatchCreate({
	engine,
	sandbox,
	items = 1000,
	concurrency = 10,
	reps = 3,
	serialReps = 1,
	latencyMs = 20,
	log,
}) {
	const url = sandbox.urls.okdokument;
	const control = (method, path, body) => sandbox.control(method, path, body, url);
	const pdf = Buffer.from(await (await fetch(`${url}/__files/sample.pdf`)).arrayBuffer());
	const documentIds = new Array(items);
	await inFlight(items, 8, async (n) => {
		const stored = await postJson(
			`${url}/JSON/document`,
			{ 'x-api-key': OKDOKUMENT_KEY },
			{ filename: `contract-${n}.pdf`, file: { content: pdf.toString('base64') } },
			`store document ${n}`,
		);
		documentIds[n] = stored.result;
	});
	const inputItems = documentIds.map((documentId, n) => ({ json: { n, documentId } }));
	const result = await withLatency(control, '^/JSON/', latencyMs, () =>
		compareBatch({
			control,
			path: '/JSON/signatureRequest',
			items,
			concurrency,
			reps,
			serialReps,
			label: 'OKdokument batch create',
			log,
			runNode: async (limit) => {
				const run = await engine.runOkDokument(
					url,
					{
						resource: 'signatureRequest',
						operation: 'create',
						documentSource: 'existing',
						documentId: '={{ $json.documentId }}',
						startNextRound: false,
						requestConcurrency: limit,
					},
					inputItems,
					OKDOKUMENT_KEY,
				);
				const error = engine.errorOf(run);
				if (error) throw new Error(`node run failed: ${error.message} ${error.description ?? ''}`);
				return engine.outputOf(run);
			},
			runFetch: async (count, limit) =>
				await inFlight(count, limit, async (n) => {
					const created = await postJson(
						`${url}/JSON/signatureRequest`,
						{ 'x-api-key': OKDOKUMENT_KEY },
						{ id: documentIds[n] },
						`create ${n}`,
					);
					if (!created.result) throw new Error(`create ${n}: no signature request id`);
				}),
			checkItem: (item, index) =>
				item.json.documentId === documentIds[index] && Boolean(item.json.signatureRequestId),
		}),
	);
	return { ...result, latencyMs };
}

const DOCUMENTOLOG_SESSION = {
	sender: '900101300017',
	recipient: '900101300811',
	methods: ['eds', 'egov-qr'],
};

/**
 * Documentolog: Document → Create Signing Session (`POST /json/external/oauth/token`), one legally
 * binding document per item with its own attachment link (an expression), sender and one recipient,
 * as in the vendor's examples.
 */
export async function documentologBatchCreate({
	engine,
	sandbox,
	items = 1000,
	concurrency = 10,
	reps = 3,
	serialReps = 1,
	latencyMs = 20,
	log,
}) {
	const url = sandbox.urls.documentolog;
	const control = (method, path, body) => sandbox.control(method, path, body, url);
	const attachment = (n) => `${url}/__files/contract-${n}.pdf`;
	const inputItems = Array.from({ length: items }, (_, n) => ({
		json: { n, attachment: attachment(n) },
	}));
	const { sender, recipient, methods } = DOCUMENTOLOG_SESSION;
	const result = await withLatency(control, '^/json/external/', latencyMs, () =>
		compareBatch({
			control,
			path: '/json/external/oauth/token',
			items,
			concurrency,
			reps,
			serialReps,
			label: 'Documentolog batch create',
			log,
			runNode: async (limit) => {
				const run = await engine.runDocumentolog(
					url,
					{
						resource: 'document',
						operation: 'createSigningSession',
						attachmentsFrom: 'urls',
						attachmentUrls: ['={{ $json.attachment }}'],
						sender,
						senderSignatureMethods: methods,
						sendToRecipient: true,
						recipients: [recipient],
						recipientSignatureRequired: true,
						recipientSignatureMethods: methods,
						requestConcurrency: limit,
					},
					inputItems,
					DOCUMENTOLOG_KEY,
				);
				const error = engine.errorOf(run);
				if (error) throw new Error(`node run failed: ${error.message} ${error.description ?? ''}`);
				return engine.outputOf(run);
			},
			runFetch: async (count, limit) =>
				await inFlight(count, limit, async (n) => {
					// The create body exactly as the node builds it (checked against the node's request).
					const answer = await postJson(
						`${url}/json/external/oauth/token`,
						{ 'api-key': DOCUMENTOLOG_KEY },
						{
							aAttachments: [attachment(n)],
							iSendToRecipient: 1,
							mRecipient: [recipient],
							iRecipientSignatureRequired: 1,
							mAvailableSignatureMethodsForRecipient: methods,
							mAvailableSignatureMethods: methods,
							sSender: sender,
						},
						`create ${n}`,
					);
					if (answer.status !== 1 || !answer.data?.access_token)
						throw new Error(`create ${n}: no access token`);
				}),
			checkItem: (item, index) =>
				item.json.attachments?.[0]?.url === attachment(index) && Boolean(item.json.accessToken),
		}),
	);
	return { ...result, latencyMs };
}
