/* eslint-disable @typescript-eslint/no-require-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// The e2e tests' view of the real n8n started by test/e2e/global-setup.mjs.
import fs from 'node:fs';
import { parse } from 'flatted';
import { randomUUID } from 'node:crypto';

/** What global-setup.mjs wrote: the suite's own n8n, or in external mode one started elsewhere. */
export type E2eInfo = E2eTarget & (SuiteN8n | { external: true });

interface E2eTarget {
	n8nVersion: string;
	userFolder: string;
	baseUrl: string;
	cookie: string;
	logFile: string;
	sandbox: Record<string, string>;
}

/** The release the suite installed and started itself, which own-n8n.ts starts again. */
export interface SuiteN8n {
	external?: undefined;
	/** n8n's bin script, run with `node` (the Node major its release asks for). */
	bin: string;
	node: string;
	nodeVersion: string;
	port: number;
	tarball: string;
}

export function e2eInfo(): E2eInfo {
	const file = process.env.ESIGN_E2E_INFO;
	if (!file)
		throw new Error('ESIGN_E2E_INFO is not set: run the e2e project through jest (globalSetup)');
	return JSON.parse(fs.readFileSync(file, 'utf8')) as E2eInfo;
}

/** Where the helpers below send their requests: an n8n's address, login cookie and log. */
export interface N8nTarget {
	baseUrl: string;
	cookie: string;
	logFile: string;
}

let ownTarget: N8nTarget | undefined;

/**
 * Points every helper of this module at another n8n: a test file's own (see own-n8n.ts), or with
 * `undefined` back at the suite's (global-setup). Jest gives each test file its own copy of this
 * module, so this changes nothing for the other files.
 */
export function useN8n(target: N8nTarget | undefined): void {
	ownTarget = target;
}

/** The n8n the helpers talk to: the one `useN8n` named, else the suite's. */
export function currentN8n(): N8nTarget {
	return ownTarget ?? e2eInfo();
}

export function n8nLog(): string {
	return fs.readFileSync(currentN8n().logFile, 'utf8');
}

/**
 * The lines n8n logged after `offset` (an earlier `n8nLog().length`) that report a failure about
 * this execution: its waiting webhook (`/webhook-waiting/<id>`) or the execution itself. n8n's
 * console log carries no level, so these are found by what they name.
 */
export function logErrorsAbout(executionId: string, offset: number): string[] {
	const mentions = [
		`/webhook-waiting/${executionId}`,
		`(execution ${executionId})`,
		`execution "${executionId}`,
		`execution ${executionId} `,
	];
	return n8nLog()
		.slice(offset)
		.split('\n')
		.filter((line) => mentions.some((mention) => line.includes(mention)))
		.filter((line) => /error|fail|problem|already|refused|conflict/i.test(line));
}

/** The REST client the scripts use too (scripts/lib/n8n-rest.cjs), as far as these helpers use it. */
interface RestClient {
	answer<T>(
		method: string,
		pathname: string,
		body?: unknown,
	): Promise<{ ok: true; data: T } | { ok: false; status: number; message: string }>;
	request<T>(method: string, pathname: string, body?: unknown): Promise<T>;
	createWorkflow(
		workflow: Record<string, unknown>,
		options: { saveAll: boolean },
	): Promise<Workflow>;
	activate(workflow: { id: string; versionId?: string }): Promise<unknown>;
	deactivate(workflow: { id: string }): Promise<unknown>;
	executions(workflowId: string): Promise<ExecutionSummary[]>;
	createCredential(
		name: string,
		type: string,
		data: Record<string, unknown>,
	): Promise<{ id: string; name: string }>;
}
const { N8nClient } = require('../../scripts/lib/n8n-rest.cjs') as {
	N8nClient: new (baseUrl: string, cookie: string) => RestClient;
};

/** A client of the n8n the helpers talk to (`currentN8n`), with its login cookie. */
function client(): RestClient {
	const n8n = currentN8n();
	return new N8nClient(n8n.baseUrl, n8n.cookie);
}

/** One REST call: the unwrapped `data` when n8n answers 2xx, else it throws the status and message. */
export async function rest<T = unknown>(
	method: string,
	pathname: string,
	body?: unknown,
): Promise<T> {
	return await client().request<T>(method, pathname, body);
}

export interface Workflow {
	id: string;
	versionId: string;
}

/** Creates the workflow, inactive, saving every execution (N8nClient.createWorkflow). */
export async function createWorkflow(workflow: Record<string, unknown>): Promise<Workflow> {
	return await client().createWorkflow(workflow, { saveAll: true });
}

export const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until `done` accepts its value or `timeoutMs` passes; returns the last value either
 * way, so the assertion that follows shows what was seen instead of a bare timeout.
 */
export async function eventually<T>(
	probe: () => Promise<T>,
	done: (value: T) => boolean,
	{ timeoutMs = 20_000, everyMs = 300 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (done(value) || Date.now() > deadline) return value;
		await sleep(everyMs);
	}
}

/** A node of a test workflow; `id`, `position` and `typeVersion` are filled in when left out. */
export type NodeSpec = Record<string, unknown> & { name: string };

/**
 * Webhook "Start" → the nodes given, in a chain, then activates it. With `lastNode` the webhook
 * answers with the last node's first item; with `onReceived` at once (for workflows that wait).
 */
export async function webhookChainWorkflow(
	name: string,
	chain: NodeSpec[],
	responseMode: 'lastNode' | 'onReceived' = 'lastNode',
): Promise<{ workflow: Workflow; url: string }> {
	const path = `e2e-${randomUUID()}`;
	const nodes: NodeSpec[] = [
		webhookNode(path, responseMode),
		...chain.map((node, index) => ({
			id: randomUUID(),
			position: [220 * (index + 1), 0],
			typeVersion: 1,
			...node,
		})),
	];
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	const workflow = await createWorkflow({ name, nodes, connections });
	await activate(workflow);
	return { workflow, url: webhookUrl(path) };
}

/** The Webhook node "Start" (POST on `path`) that starts the test workflows. */
export function webhookNode(
	path: string,
	responseMode: 'lastNode' | 'onReceived' = 'lastNode',
): NodeSpec {
	return {
		id: randomUUID(),
		name: 'Start',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode, options: {} },
	};
}

/** The node that ends a send-and-wait test workflow, so the resumed output can be read. */
export const afterNode: NodeSpec = { name: 'After', type: 'n8n-nodes-base.noOp', parameters: {} };

export async function postJson(
	url: string,
	body: unknown,
	contentType = 'application/json',
): Promise<Response> {
	return await fetch(url, {
		method: 'POST',
		headers: { 'content-type': contentType },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
}

/** Calls a production webhook, retrying while n8n is still registering it (404 after activation). */
export async function callWebhook(
	url: string,
	body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
	const deadline = Date.now() + 20_000;
	for (;;) {
		const response = await postJson(url, body);
		if (response.status === 404 && Date.now() < deadline) {
			await sleep(250);
			continue;
		}
		const text = await response.text();
		return {
			status: response.status,
			json: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
		};
	}
}

/** Activates and waits until the production webhook answers (registration is asynchronous). */
export async function activate(workflow: Workflow, probePath?: string): Promise<void> {
	await client().activate(workflow);
	if (!probePath) return;
	const deadline = Date.now() + 20_000;
	while (Date.now() < deadline) {
		const response = await fetch(`${currentN8n().baseUrl}${probePath}`, { method: 'HEAD' });
		if (response.status !== 404) return;
		await sleep(250);
	}
	throw new Error(`webhook ${probePath} was not registered after activation`);
}

/** Deactivates; n8n removes the workflow's webhooks asynchronously, after it answers. */
export async function deactivate(workflow: { id: string }): Promise<void> {
	await client().deactivate(workflow);
}

export interface ExecutionSummary {
	id: string;
	status: string;
	workflowId: string;
}

export async function executions(workflowId: string): Promise<ExecutionSummary[]> {
	return await client().executions(workflowId);
}

/** The workflow's latest execution once `until` accepts its status (or at the deadline). */
export async function latestExecution(
	workflowId: string,
	until: (status: string) => boolean,
	timeoutMs = 20_000,
): Promise<ExecutionSummary> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const [latest] = await executions(workflowId);
		if (latest && until(latest.status)) return latest;
		if (Date.now() > deadline) return await withErrorReported(latest, until);
		await sleep(300);
	}
}

/**
 * Logs why an execution failed when the test waited for another status: the assertion that
 * follows shows only the status ("error"), the message is in the execution data.
 */
async function withErrorReported<T extends ExecutionSummary | undefined>(
	execution: T,
	until: (status: string) => boolean,
): Promise<T> {
	if (execution?.status === 'error' && !until('error')) {
		const { error } = await executionRuns(execution.id).catch(() => ({ error: undefined }));
		process.stderr.write(
			`execution ${execution.id} ended in error: ${error ?? '(no message saved)'}\n`,
		);
	}
	return execution;
}

/** Neither waiting nor still running. */
export const settled = (status: string) => !['waiting', 'running', 'new'].includes(status);

/** Polls until `count` executions of the workflow have finished (or the deadline passes). */
export async function waitForExecutions(
	workflowId: string,
	count: number,
	timeoutMs = 45_000,
): Promise<ExecutionSummary[]> {
	const deadline = Date.now() + timeoutMs;
	let latest: ExecutionSummary[] = [];
	while (Date.now() < deadline) {
		latest = (await executions(workflowId)).filter((e) => !['running', 'new'].includes(e.status));
		if (latest.length >= count) return latest;
		await sleep(250);
	}
	return latest;
}

export async function executionData(id: string): Promise<string> {
	const execution = await rest<{ data: string }>('GET', `/rest/executions/${id}`);
	return execution.data;
}

export async function createCredential(name: string, type: string, data: Record<string, unknown>) {
	return await client().createCredential(name, type, data);
}

/**
 * Changes a saved credential the way the editor's Save does (`PATCH /rest/credentials/<id>`), e.g.
 * to rotate its key. `data` is the whole credential data: n8n keeps a field left out only when
 * the editor sends it back redacted.
 */
export async function updateCredential(
	credential: { id: string; name: string },
	type: string,
	data: Record<string, unknown>,
): Promise<void> {
	await rest('PATCH', `/rest/credentials/${credential.id}`, { name: credential.name, type, data });
}

export function webhookUrl(pathname: string): string {
	return `${currentN8n().baseUrl}/webhook/${pathname}`;
}

interface RunData {
	resultData: {
		runData: Record<
			string,
			Array<{
				data?: {
					main?: Array<
						Array<{
							json: Record<string, unknown>;
							binary?: Record<string, { fileName?: string; mimeType?: string; id?: string }>;
						}>
					>;
				};
			}>
		>;
	};
}

/** The first output item of a node's last run in a saved execution (execution data is `flatted`). */
export async function nodeOutput(executionId: string, nodeName: string) {
	const data = parse(await executionData(executionId)) as RunData;
	const runs = data.resultData.runData[nodeName] ?? [];
	return runs.at(-1)?.data?.main?.[0]?.[0];
}

/**
 * Starts a manual execution the way the editor's "Execute workflow" does, from the trigger named
 * `triggerName`, and returns its id. The execution runs (and may wait) in the server.
 */
export async function runManually(workflowId: string, triggerName: string): Promise<string> {
	const workflowData = await rest<Record<string, unknown>>('GET', `/rest/workflows/${workflowId}`);
	const started = await rest<{ executionId?: string }>(
		'POST',
		`/rest/workflows/${workflowId}/run`,
		{
			workflowData,
			triggerToStartFrom: { name: triggerName },
		},
	);
	if (!started.executionId) throw new Error(`no execution started: ${JSON.stringify(started)}`);
	return started.executionId;
}

/** One execution once `until` accepts its status (or at the deadline). */
export async function executionById(
	id: string,
	until: (status: string) => boolean,
	timeoutMs = 20_000,
): Promise<ExecutionSummary> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const answer = await client().answer<ExecutionSummary>('GET', `/rest/executions/${id}`);
		if (!answer.ok) {
			// Some n8n releases (2.20.x) answer 500 ("Cannot read properties of undefined (reading
			// 'resultData')") while a manual execution runs and its data is not saved yet.
			if (answer.status !== 500 || Date.now() > deadline) throw new Error(answer.message);
			await sleep(300);
			continue;
		}
		const execution = answer.data;
		if (until(execution.status)) return execution;
		if (Date.now() > deadline) return await withErrorReported(execution, until);
		await sleep(300);
	}
}

export type NodeItem = NonNullable<Awaited<ReturnType<typeof nodeOutput>>>;

/**
 * What a saved execution ran: the nodes in run order, the items of each node's last run on one of
 * its outputs (the first unless told: a node set to "On Error: Continue (using error output)" puts
 * its error items on output 1), the execution's error.
 */
export async function executionRuns(id: string): Promise<{
	ran: string[];
	items: (nodeName: string, output?: number) => NodeItem[];
	error?: string;
}> {
	const data = parse(await executionData(id)) as RunData & {
		resultData: { error?: { message: string } };
	};
	const { runData, error } = data.resultData;
	return {
		ran: Object.keys(runData),
		items: (nodeName, output = 0) => runData[nodeName]?.at(-1)?.data?.main?.[output] ?? [],
		error: error?.message,
	};
}

/**
 * What a failed credential test says. Older n8n (seen on 1.123, 2.0 and 2.20) reports a refused
 * test request in its own words ("Authorization failed …", "Forbidden …") instead of the
 * credential's rule message; either way the test fails, which is what matters.
 */
export function refusalMessage(ours: string): jest.AsymmetricMatcher {
	const escaped = ours.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return expect.stringMatching(new RegExp(`${escaped}|^Authorization failed|^Forbidden`));
}
