// Webhook throughput in a real n8n: postbacks to the Dokobit Gateway Trigger (each verified by
// re-fetching the signing's status from the sandbox) against the same number of POSTs to n8n's own
// Webhook node (responseMode onReceived) on the same instance. Events/s = events ÷ time from the
// first POST until n8n has recorded every execution as finished; no event may be lost.
import { randomUUID, createHash } from 'node:crypto';
import { median } from '../lib/measure.mjs';

const WEBHOOK_PATH = 'esign-bench-webhook';

async function waitForRegistration(url, body) {
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		await response.text();
		if (response.status !== 404) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`webhook ${url} was not registered`);
}

/** Executions of a workflow, by status: { total, success, error, running… }. */
async function executionCounts(client, workflowId) {
	const counts = {};
	for (const status of ['success', 'error', 'crashed', 'running', 'new', 'waiting', 'canceled']) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId, status: [status] }));
		const result = await client.request('GET', `/rest/executions?filter=${filter}&limit=1`);
		counts[status] = Number(result.count ?? 0);
	}
	return counts;
}

async function finishedCount(client, workflowId) {
	const filter = encodeURIComponent(
		JSON.stringify({ workflowId, status: ['success', 'error', 'crashed'] }),
	);
	const result = await client.request('GET', `/rest/executions?filter=${filter}&limit=1`);
	return Number(result.count ?? 0);
}

async function postAll(url, bodies, concurrency) {
	let next = 0;
	const statuses = {};
	const worker = async () => {
		while (next < bodies.length) {
			const body = bodies[next++];
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'user-agent': 'dokobit-emulator' },
				body: JSON.stringify(body),
			});
			await response.arrayBuffer();
			statuses[response.status] = (statuses[response.status] ?? 0) + 1;
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return statuses;
}

/** Completed signings on the sandbox, one signing_completed postback body each. */
async function completedSignings(sandbox, count) {
	const pdf = Buffer.from(await (await fetch(`${sandbox.url}/__files/sample.pdf`)).arrayBuffer());
	const file = await sandbox.api('POST', '/api/file/upload.json', {
		file: {
			name: 'contract.pdf',
			content: pdf.toString('base64'),
			digest: createHash('sha256').update(pdf).digest('hex'),
		},
	});
	const bodies = [];
	let next = 0;
	const worker = async () => {
		while (next < count) {
			next++;
			const signing = await sandbox.api('POST', '/api/signing/create.json', {
				type: 'pdf',
				name: 'Webhook bench',
				files: [{ token: file.token }],
				signers: [{ id: 'solo', name: 'Ona', surname: 'Onaitė', signing_purpose: 'signature' }],
			});
			await sandbox.control('POST', `/__signings/${signing.token}/signers/solo/sign`, {});
			const status = await sandbox.api('GET', `/api/signing/${signing.token}/status.json`);
			bodies.push({
				status: 'ok',
				token: signing.token,
				action: 'signing_completed',
				file: status.file,
				file_digest: status.file_digest,
				valid_to: status.valid_to,
			});
		}
	};
	await Promise.all(Array.from({ length: 8 }, worker));
	return bodies;
}

async function runOnce({ client, url, workflowId, bodies, concurrency }) {
	const before = await finishedCount(client, workflowId);
	const started = performance.now();
	const statuses = await postAll(url, bodies, concurrency);
	const answeredMs = performance.now() - started;
	// Wait for every execution; give up after 30 s without progress (then some were lost).
	let finished = before;
	let progressAt = Date.now();
	while (finished < before + bodies.length && Date.now() - progressAt < 30_000) {
		await new Promise((resolve) => setTimeout(resolve, 100));
		const now = await finishedCount(client, workflowId);
		if (now > finished) progressAt = Date.now();
		finished = now;
	}
	const ms = performance.now() - started;
	return {
		ms,
		answeredMs,
		statuses,
		executions: finished - before,
		eventsPerSecond: (bodies.length / ms) * 1000,
	};
}

export async function webhookThroughput({
	client,
	sandbox,
	events = 500,
	reps = 3,
	concurrency = 10,
	log,
}) {
	const credential = await client.createCredential('Dokobit bench sandbox', 'dokobitGatewayApi', {
		environment: 'custom',
		baseUrl: sandbox.url,
		accessToken: 'example-dokobit-token',
	});
	const settings = {
		executionOrder: 'v1',
		saveDataSuccessExecution: 'all',
		saveDataErrorExecution: 'all',
	};
	const triggerHook = randomUUID();
	const trigger = await client.createWorkflow({
		name: 'bench: Dokobit trigger',
		settings,
		nodes: [
			{
				id: randomUUID(),
				name: 'Dokobit Trigger',
				type: 'n8n-nodes-esign.dokobitGatewayTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: triggerHook,
				parameters: { events: ['signing_completed'], verification: 'refetchStatus' },
				credentials: { dokobitGatewayApi: { id: credential.id, name: credential.name } },
			},
		],
		connections: {},
	});
	const plain = await client.createWorkflow({
		name: 'bench: n8n Webhook',
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
					path: WEBHOOK_PATH,
					responseMode: 'onReceived',
					options: {},
				},
			},
		],
		connections: {},
	});
	await client.activate(trigger);
	await client.activate(plain);
	const triggerUrl = `${client.baseUrl}/webhook/${triggerHook}/webhook`;
	const plainUrl = `${client.baseUrl}/webhook/${WEBHOOK_PATH}`;
	// Probing with an unknown action answers 200 without an execution on our side; the plain
	// Webhook's probe does start one, so it is counted out by the before/after counts.
	await waitForRegistration(triggerUrl, {
		status: 'ok',
		token: 'probe0000',
		action: 'signing_completed',
	});
	await waitForRegistration(plainUrl, { probe: true });
	await new Promise((resolve) => setTimeout(resolve, 1000));

	const warm = await completedSignings(sandbox, 50);
	await runOnce({ client, url: triggerUrl, workflowId: trigger.id, bodies: warm, concurrency });
	await runOnce({ client, url: plainUrl, workflowId: plain.id, bodies: warm, concurrency });

	const ours = [];
	const theirs = [];
	for (let rep = 0; rep < reps; rep++) {
		const bodies = await completedSignings(sandbox, events);
		theirs.push(
			await runOnce({ client, url: plainUrl, workflowId: plain.id, bodies, concurrency }),
		);
		ours.push(
			await runOnce({ client, url: triggerUrl, workflowId: trigger.id, bodies, concurrency }),
		);
		log?.(
			`webhook rep ${rep + 1}: n8n Webhook ${theirs.at(-1).eventsPerSecond.toFixed(1)} ev/s (${theirs.at(-1).executions} runs), Dokobit trigger ${ours.at(-1).eventsPerSecond.toFixed(1)} ev/s (${ours.at(-1).executions} runs)`,
		);
	}
	const counts = await executionCounts(client, trigger.id);
	const expected = warm.length + events * reps;
	return {
		events,
		concurrency,
		reps,
		ours: median(ours.map((run) => run.eventsPerSecond)),
		theirs: median(theirs.map((run) => run.eventsPerSecond)),
		oursAnswered: median(ours.map((run) => (events / run.answeredMs) * 1000)),
		theirsAnswered: median(theirs.map((run) => (events / run.answeredMs) * 1000)),
		lost: expected - counts.success,
		triggerCounts: counts,
		expected,
		statuses: { ours: ours.map((run) => run.statuses), theirs: theirs.map((run) => run.statuses) },
	};
}
