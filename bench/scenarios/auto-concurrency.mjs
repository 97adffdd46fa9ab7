// "Request Concurrency: Auto" (issue #17). Reads run in a real n8n: Webhook (answers when the last
// node is done) → Code (N items) → the node under test, timed from the POST to the answer, so every
// variant pays the same webhook and Code node cost. The node reads OKdokument's counter
// (`GET /JSON/counter`, GET /JSON/counter) once per item. Baselines in the same n8n and run: n8n's
// HTTP Request node at its defaults (every item at once, no retry) with the API key as a header,
// and a plain `fetch` client from the benchmark process. Creates run through n8n-core's engine
// (bench/lib/engine.mjs), where the output items can be checked one by one.
import { randomUUID } from 'node:crypto';
import { median } from '../lib/measure.mjs';
import { TOKEN } from '../lib/sandbox.mjs';
import { DOCUMENTOLOG_KEY } from './batch-create.mjs';
import { OKDOKUMENT_KEY } from './okdokument-upload.mjs';

const COUNTER = '/JSON/counter';
const settings = {
	saveDataSuccessExecution: 'none',
	saveDataErrorExecution: 'none',
	saveManualExecutions: false,
	executionOrder: 'v1',
};

/** Sandbox faults and limits for one scenario, on the given vendor's emulator. */
async function configure(control, { latencyMs, jitter = 0, pathPattern, maxInFlight }) {
	await control('DELETE', '/__faults');
	await control('DELETE', '/__limits');
	await control('POST', '/__faults', {
		match: { path: pathPattern },
		action: { latencyMs, jitter },
	});
	if (maxInFlight)
		await control('POST', '/__limits', { maxInFlight, retryAfter: 1, path: pathPattern });
}

async function requestLog(control, path) {
	return (await control('GET', '/__requests')).filter((request) => request.path === path);
}

/**
 * Creates and activates Webhook → Code (`items` items) → `node`, answering with all the node's
 * output items. Returns `run()`, which POSTs and resolves to { ms, status, items }.
 */
async function timedWorkflow(client, name, node, items) {
	const path = `auto-bench-${randomUUID()}`;
	const workflow = await client.createWorkflow({
		name: `bench: ${name}`,
		settings,
		nodes: [
			{
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: {
					httpMethod: 'POST',
					path,
					responseMode: 'lastNode',
					responseData: 'allEntries',
					options: {},
				},
			},
			{
				id: randomUUID(),
				name: 'Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: {
					jsCode: `return Array.from({ length: ${items} }, (_, n) => ({ json: { n } }));`,
				},
			},
			{ id: randomUUID(), name: 'Under test', position: [400, 0], ...node },
		],
		connections: {
			Webhook: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Under test', type: 'main', index: 0 }]] },
		},
	});
	await client.activate(workflow);
	const url = `${client.baseUrl}/webhook/${path}`;
	const post = async () => {
		// A production webhook is registered a moment after activation: until then n8n answers 404
		// (no execution). Only the answered attempt is timed.
		const deadline = Date.now() + 30_000;
		for (;;) {
			const started = performance.now();
			const response = await fetch(url, {
				method: 'POST',
				body: '{}',
				headers: { 'content-type': 'application/json' },
			});
			const text = await response.text();
			const ms = performance.now() - started;
			if (response.status === 404 && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 250));
				continue;
			}
			let output;
			try {
				output = JSON.parse(text);
			} catch {
				output = undefined;
			}
			return { ms, status: response.status, items: Array.isArray(output) ? output : [], text };
		}
	};
	return post;
}

const okNode = (credential, concurrency) => ({
	type: 'n8n-nodes-esign.okDokument',
	typeVersion: 1,
	parameters: {
		resource: 'account',
		operation: 'getCounters',
		// Auto is the default and therefore not stored, exactly like an untouched node.
		...(concurrency === 'auto' ? {} : { requestConcurrency: concurrency }),
	},
	credentials: { okDokumentApi: { id: credential.id, name: credential.name } },
});

const httpRequestNode = (url) => ({
	type: 'n8n-nodes-base.httpRequest',
	typeVersion: 4.2,
	parameters: {
		url: `${url}${COUNTER}`,
		sendHeaders: true,
		headerParameters: { parameters: [{ name: 'x-api-key', value: OKDOKUMENT_KEY }] },
		options: {},
	},
});

/** The HTTP Request node authenticated with the package's own OKdokument credential. */
const httpRequestNodeWithCredential = (url, credential) => ({
	type: 'n8n-nodes-base.httpRequest',
	typeVersion: 4.2,
	parameters: {
		url: `${url}${COUNTER}`,
		authentication: 'predefinedCredentialType',
		nodeCredentialType: 'okDokumentApi',
		options: {},
	},
	credentials: { okDokumentApi: { id: credential.id, name: credential.name } },
});

async function fetchReads(url, count, concurrency) {
	let next = 0;
	let failed = 0;
	const worker = async () => {
		while (next < count) {
			next++;
			const response = await fetch(`${url}${COUNTER}`, {
				headers: { 'x-api-key': OKDOKUMENT_KEY, accept: 'application/json' },
			});
			await response.arrayBuffer();
			if (!response.ok) failed++;
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
	return failed;
}

/**
 * One variant's run, checked: the node's output must hold one counters item per input item (in
 * order; the counters carry no item number, so `n` is not there to check), else it counts as
 * failed. Returns { ms, ok, errors, refused (429s the vendor sent), served }.
 */
async function timeVariant({ control, run, items }) {
	await control('DELETE', '/__requests');
	const result = await run();
	const log = await requestLog(control, COUNTER);
	const refused = log.filter((request) => request.limited).length;
	const good = result.items.filter((item) => item && item.actual !== undefined).length;
	const ok = result.status === 200 && result.items.length === items && good === items;
	return {
		ms: result.ms,
		ok,
		status: result.status,
		errors: ok ? 0 : items - good,
		refused,
		served: log.length - refused,
		message: ok ? undefined : result.text.slice(0, 200),
	};
}

function summarise(runs) {
	return {
		ms: median(runs.map((run) => run.ms)),
		runs: runs.map((run) => Math.round(run.ms)),
		failedRuns: runs.filter((run) => !run.ok).length,
		errors: Math.max(0, ...runs.map((run) => run.errors)),
		refused: median(runs.map((run) => run.refused)),
		message: runs.find((run) => !run.ok)?.message,
	};
}

/**
 * Runs each variant `reps` times, interleaved (after one unmeasured warm-up each), and returns the
 * summaries by name. A variant is { name, run() } where run() resolves to a timed result.
 */
async function compareVariants({ control, variants, items, reps, label, log }) {
	const runs = Object.fromEntries(variants.map((variant) => [variant.name, []]));
	for (const variant of variants) await timeVariant({ control, run: variant.run, items });
	for (let rep = 0; rep < reps; rep++) {
		for (const variant of variants) {
			runs[variant.name].push(await timeVariant({ control, run: variant.run, items }));
		}
		log?.(
			`${label} rep ${rep + 1}: ${variants
				.map((variant) => {
					const last = runs[variant.name].at(-1);
					return `${variant.name} ${last.ms.toFixed(0)} ms${last.ok ? '' : ' (failed)'}${last.refused ? `, ${last.refused}×429` : ''}`;
				})
				.join('; ')}`,
		);
	}
	return Object.fromEntries(Object.entries(runs).map(([name, list]) => [name, summarise(list)]));
}

const fetchVariant = (url, count, concurrency) => ({
	name: `fetch@${concurrency === Infinity ? 'all' : concurrency}`,
	run: async () => {
		const started = performance.now();
		const failed = await fetchReads(url, count, concurrency);
		const ms = performance.now() - started;
		return {
			ms,
			status: failed ? 500 : 200,
			// fetch's answers are checked by status; shaped like the node's output for timeVariant.
			items: Array.from({ length: count - failed }, () => ({ actual: {} })),
			text: failed ? `${failed} failed` : '',
		};
	},
});

/**
 * The three read scenarios in one n8n: no limit at 20 ms; a vendor that serves 10 at once (429 +
 * Retry-After: 1 beyond); 200 ms ± 50 % with a sweep of fixed settings.
 */
export async function autoConcurrencyReads({
	client,
	sandbox,
	items,
	jitterItems,
	reps,
	wanted,
	log,
}) {
	const url = sandbox.urls.okdokument;
	const control = (method, path, body) => sandbox.control(method, path, body, url);
	const credential = await client.createCredential('OKdokument bench', 'okDokumentApi', {
		environment: 'custom',
		baseUrl: url,
		apiKey: OKDOKUMENT_KEY,
	});
	const ours = async (concurrency, count = items) => ({
		name: concurrency === 'auto' ? 'Auto' : `fixed ${concurrency}`,
		run: await timedWorkflow(
			client,
			`OKdokument ${concurrency}`,
			okNode(credential, concurrency),
			count,
		),
	});
	const httpNode = async (count = items) => ({
		name: 'HTTP Request node',
		run: await timedWorkflow(client, 'HTTP Request', httpRequestNode(url), count),
	});
	const results = {};
	try {
		if (wanted('auto-reads')) {
			await configure(control, { latencyMs: 20, pathPattern: '^/JSON/' });
			log?.(`auto reads: ${items} reads, no limit, 20 ms`);
			results.reads = await compareVariants({
				control,
				items,
				reps,
				label: 'auto reads',
				log,
				variants: [
					await httpNode(),
					{
						// The same per-request cost as ours: n8n applies the credential to every request.
						name: 'HTTP Request node, credential',
						run: await timedWorkflow(
							client,
							'HTTP Request with the credential',
							httpRequestNodeWithCredential(url, credential),
							items,
						),
					},
					await ours('auto'),
					await ours(5),
					fetchVariant(url, items, Infinity),
				],
			});
		}
		if (wanted('auto-limited')) {
			await configure(control, { latencyMs: 20, pathPattern: '^/JSON/', maxInFlight: 10 });
			log?.(`auto limited: ${items} reads, vendor serves 10 at once (429 + Retry-After: 1)`);
			results.limited = await compareVariants({
				control,
				items,
				reps,
				label: 'auto limited',
				log,
				variants: [
					fetchVariant(url, items, 10),
					await ours('auto'),
					// The node's own best case here: exactly the vendor's limit, known in advance.
					await ours(10),
					await ours(5),
					await httpNode(),
				],
			});
		}
		if (wanted('auto-jitter')) {
			await configure(control, { latencyMs: 200, jitter: 0.5, pathPattern: '^/JSON/' });
			log?.(`auto jitter: ${jitterItems} reads, 200 ms ± 50 %, Auto vs fixed 4, 8, 16, 32`);
			results.jitter = await compareVariants({
				control,
				items: jitterItems,
				reps,
				label: 'auto jitter',
				log,
				variants: [
					await ours('auto', jitterItems),
					...(await Promise.all([4, 8, 16, 32].map((n) => ours(n, jitterItems)))),
					await httpNode(jitterItems),
					fetchVariant(url, jitterItems, Infinity),
				],
			});
		}
	} finally {
		await control('DELETE', '/__faults');
		await control('DELETE', '/__limits');
	}
	return { items, jitterItems, ...results };
}

/**
 * 1,000 creates per vendor against a vendor that serves 10 at once, through n8n-core's engine,
 * with Auto and "continue on fail": each create must be sent exactly once (0 duplicates), every
 * item must come back in its place (0 lost), and the only error items must be the creates the
 * vendor refused with 429.
 */
export async function autoConcurrencyCreates({ engine, sandbox, items, log }) {
	const results = {};
	/** OKdokument's stored documents, one per item (the create names the document by ID). */
	const okDocuments = { ids: [] };
	const vendors = [
		{
			key: 'dokobit',
			label: 'Dokobit Gateway: Signing → Create',
			path: '/api/signing/create.json',
			pathPattern: '^/api/',
			url: sandbox.url,
			prepare: async () => {
				const pdf = Buffer.from(
					await (await fetch(`${sandbox.url}/__files/sample.pdf`)).arrayBuffer(),
				);
				const { createHash } = await import('node:crypto');
				const file = await sandbox.api('POST', '/api/file/upload.json', {
					file: {
						name: 'contract.pdf',
						content: pdf.toString('base64'),
						digest: createHash('sha256').update(pdf).digest('hex'),
					},
				});
				return Array.from({ length: items }, (_, n) => ({ json: { n, file: file.token } }));
			},
			run: (url, inputItems) =>
				engine.runDokobit(
					url,
					{
						resource: 'signing',
						operation: 'create',
						name: '={{ "Contract " + $json.n }}',
						type: 'pdf',
						filesFrom: 'tokens',
						fileTokens: '={{ $json.file }}',
						signersInput: 'fields',
						signers: {
							signer: [
								{
									id: '50001018865',
									name: 'Jonas',
									surname: 'Jonaitis',
									signing_purpose: 'signature',
								},
							],
						},
					},
					inputItems,
					TOKEN,
					{ onError: 'continueRegularOutput' },
				),
			itemOf: (body) => Number(/^Contract (\d+)$/.exec(body.name)?.[1]),
		},
		{
			key: 'okdokument',
			label: 'OKdokument: Signature Request → Create (Existing Document)',
			path: '/JSON/signatureRequest',
			pathPattern: '^/JSON/',
			url: sandbox.urls.okdokument,
			prepare: async () => {
				const url = sandbox.urls.okdokument;
				const pdf = Buffer.from(await (await fetch(`${url}/__files/sample.pdf`)).arrayBuffer());
				const ids = new Array(items);
				let next = 0;
				const worker = async () => {
					while (next < items) {
						const n = next++;
						const response = await fetch(`${url}/JSON/document`, {
							method: 'POST',
							headers: { 'content-type': 'application/json', 'x-api-key': OKDOKUMENT_KEY },
							body: JSON.stringify({
								filename: `c-${n}.pdf`,
								file: { content: pdf.toString('base64') },
							}),
						});
						ids[n] = (await response.json()).result;
					}
				};
				await Promise.all(Array.from({ length: 8 }, worker));
				okDocuments.ids = ids;
				return ids.map((documentId, n) => ({ json: { n, documentId } }));
			},
			run: (url, inputItems) =>
				engine.runOkDokument(
					url,
					{
						resource: 'signatureRequest',
						operation: 'create',
						documentSource: 'existing',
						documentId: '={{ $json.documentId }}',
						startNextRound: false,
					},
					inputItems,
					OKDOKUMENT_KEY,
					{ onError: 'continueRegularOutput' },
				),
			itemOf: (body) => okDocuments.ids.indexOf(body.id),
		},
		{
			key: 'documentolog',
			label: 'Documentolog: Document → Create Signing Session',
			path: '/json/external/oauth/token',
			pathPattern: '^/json/external/',
			url: sandbox.urls.documentolog,
			prepare: async () =>
				Array.from({ length: items }, (_, n) => ({
					json: { n, attachment: `${sandbox.urls.documentolog}/__files/contract-${n}.pdf` },
				})),
			run: (url, inputItems) =>
				engine.runDocumentolog(
					url,
					{
						resource: 'document',
						operation: 'createSigningSession',
						attachmentsFrom: 'urls',
						attachmentUrls: ['={{ $json.attachment }}'],
						sender: '900101300017',
						senderSignatureMethods: ['eds', 'egov-qr'],
						sendToRecipient: true,
						recipients: ['900101300811'],
						recipientSignatureRequired: true,
						recipientSignatureMethods: ['eds', 'egov-qr'],
					},
					inputItems,
					DOCUMENTOLOG_KEY,
					{ onError: 'continueRegularOutput' },
				),
			itemOf: (body) => Number(/contract-(\d+)\.pdf$/.exec(body.aAttachments?.[0] ?? '')?.[1]),
		},
	];
	for (const vendor of vendors) {
		const control = (method, path, body) => sandbox.control(method, path, body, vendor.url);
		const inputItems = await vendor.prepare();
		await configure(control, { latencyMs: 20, pathPattern: vendor.pathPattern, maxInFlight: 10 });
		await control('DELETE', '/__requests');
		try {
			const started = performance.now();
			const run = await vendor.run(vendor.url, inputItems);
			const ms = performance.now() - started;
			const failure = engine.errorOf(run);
			const output = failure ? [] : engine.outputOf(run);
			const sent = (await requestLog(control, vendor.path)).filter((r) => r.method === 'POST');
			const sentPerItem = new Array(items).fill(0);
			for (const request of sent) {
				const n = vendor.itemOf(request.body);
				if (n >= 0 && n < items) sentPerItem[n]++;
			}
			const refusedItems = new Set(
				sent.filter((request) => request.limited).map((request) => vendor.itemOf(request.body)),
			);
			const errorItems = output
				.map((item, n) => (item.json?.error !== undefined ? n : -1))
				.filter((n) => n >= 0);
			const result = {
				label: vendor.label,
				items,
				ms,
				failed: failure ? String(failure.message) : undefined,
				requests: sent.length,
				refused: refusedItems.size,
				duplicates: sentPerItem.filter((count) => count > 1).length,
				notSent: sentPerItem.filter((count) => count === 0).length,
				lost: items - output.length,
				outOfOrder: output.filter((item, n) => item.pairedItem?.item !== n).length,
				errors: errorItems.length,
				errorsNotRefused: errorItems.filter((n) => !refusedItems.has(n)).length,
				refusedNotErrors: [...refusedItems].filter((n) => !errorItems.includes(n)).length,
			};
			results[vendor.key] = result;
			log?.(
				`auto creates ${vendor.key}: ${ms.toFixed(0)} ms, ${result.requests} creates, ${result.refused}×429, ${result.errors} error items, ${result.duplicates} duplicates, ${result.lost} lost`,
			);
		} finally {
			await control('DELETE', '/__faults');
			await control('DELETE', '/__limits');
		}
	}
	return results;
}
