// The Documentolog Trigger's URL secret is derived from the credential's API key, and
// Documentolog keeps calling the URL it was given. In a real n8n: the API key changes through
// n8n's REST API, then the URL issued under the old key still starts the workflow, before and after
// re-activation; forged secrets get 401 and start nothing.
import { createHmac, randomUUID } from 'node:crypto';
import {
	activate,
	createCredential,
	createWorkflow,
	e2eInfo,
	eventually,
	executionData,
	executions,
	n8nLog,
	postJson,
	rest,
	sleep,
	waitForExecutions,
	type Workflow,
} from '../helpers/n8n';

jest.setTimeout(90_000);

const OLD_KEY = 'example-documentolog-key';
const NEW_KEY = 'example-documentolog-key-rotated';
const RECIPIENT = '900101300811';

const secretFor = (key: string, webhookId: string) =>
	createHmac('sha256', key).update(`documentolog-trigger:${webhookId}`).digest('hex');
const signed = (docId: string) => ({
	event: 'signer_signed',
	doc_id: docId,
	signer: { name: 'Aru Bek', recipient: RECIPIENT },
});
const docId = (n: number) => `KZ${String(n).padStart(24, '0')}`;

let credential: { id: string; name: string };
let workflow: Workflow;
let webhookId: string;
let triggerUrl: string;

/** Activates and waits until the trigger answers (401 without a secret, not 404). */
async function activateTrigger() {
	await activate(workflow);
	const deadline = Date.now() + 20_000;
	while ((await postJson(triggerUrl, {})).status === 404 && Date.now() < deadline) await sleep(250);
}

async function deliver(secret: string, body: unknown, query = '') {
	const response = await postJson(`${triggerUrl}?${query}secret=${secret}`, body);
	return response.status;
}

const credentialData = (apiKey: string) => ({
	host: 'custom',
	baseUrl: e2eInfo().sandbox.documentolog,
	apiKey,
});

beforeAll(async () => {
	credential = await createCredential(
		'Documentolog (key rotation)',
		'documentologApi',
		credentialData(OLD_KEY),
	);
	webhookId = randomUUID();
	workflow = await createWorkflow({
		name: 'e2e documentolog key rotation',
		nodes: [
			{
				id: randomUUID(),
				name: 'Documentolog Trigger',
				type: 'n8n-nodes-esign.documentologTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters: { events: ['signer_signed'], options: {} },
				credentials: { documentologApi: { id: credential.id, name: credential.name } },
			},
		],
		connections: {},
	});
	triggerUrl = `${e2eInfo().baseUrl}/webhook/${webhookId}/webhook`;
	await activateTrigger();
});

describe('Documentolog Trigger when the API key changes, in a real n8n', () => {
	it('keeps starting the workflow from URLs issued under the old key; forged ones get 401', async () => {
		const oldSecret = secretFor(OLD_KEY, webhookId);
		const newSecret = secretFor(NEW_KEY, webhookId);
		// What activation saved: a digest, neither the secret nor the key. n8n may save the static
		// data a moment after the activation call has answered.
		const digestSaved = /"acceptedSecrets":\{"[0-9a-f]{64}":\d+\}/;
		const saved = await eventually(
			async () =>
				JSON.stringify(
					(await rest<{ staticData?: unknown }>('GET', `/rest/workflows/${workflow.id}`))
						.staticData ?? {},
				),
			(text) => digestSaved.test(text),
		);
		expect(saved).toMatch(digestSaved);
		expect(saved).not.toContain(oldSecret);
		expect(saved).not.toContain(OLD_KEY);
		// Before the change, a URL under the new key is refused.
		expect(await deliver(newSecret, signed(docId(1)))).toBe(401);

		await rest('PATCH', `/rest/credentials/${credential.id}`, {
			name: credential.name,
			type: 'documentologApi',
			data: credentialData(NEW_KEY),
		});

		// The first call after the change carries the old secret; nothing was re-activated.
		expect(await deliver(oldSecret, signed(docId(2)), 'ref=order-rot-1&')).toBe(200);
		const [first] = await waitForExecutions(workflow.id, 1);
		expect(first.status).toBe('success');
		const data = await executionData(first.id);
		expect(data).toContain(docId(2));
		expect(data).toContain('order-rot-1');
		expect(data).not.toContain(oldSecret);

		for (const forged of [
			'0'.repeat(64),
			secretFor(NEW_KEY, randomUUID()),
			secretFor(OLD_KEY, randomUUID()),
			secretFor('example-guessed-key', webhookId),
		]) {
			expect([forged, await deliver(forged, signed(docId(3)))]).toEqual([forged, 401]);
		}
		expect(await deliver(newSecret, signed(docId(4)))).toBe(200);
		// A replay of the first event is acknowledged and starts nothing.
		expect(await deliver(oldSecret, signed(docId(2)), 'ref=order-rot-1&')).toBe(200);

		const runs = await waitForExecutions(workflow.id, 2);
		await sleep(1000);
		expect((await executions(workflow.id)).length).toBe(2);
		expect(runs.every((run) => run.status === 'success')).toBe(true);
		const payloads = await Promise.all(runs.map(async (run) => await executionData(run.id)));
		expect(payloads.filter((payload) => payload.includes(docId(4)))).toHaveLength(1);
		expect(payloads.some((payload) => payload.includes(docId(3)))).toBe(false);
		expect(n8nLog()).not.toContain(oldSecret);
	});

	it('still accepts the old URL after the workflow is deactivated and activated again', async () => {
		const before = (await executions(workflow.id)).length;
		await rest('POST', `/rest/workflows/${workflow.id}/deactivate`);
		const { versionId } = await rest<Workflow>('GET', `/rest/workflows/${workflow.id}`);
		workflow = { ...workflow, versionId };
		await activateTrigger();
		expect(await deliver(secretFor(OLD_KEY, webhookId), signed(docId(5)))).toBe(200);
		expect(await deliver(secretFor(NEW_KEY, webhookId), signed(docId(6)))).toBe(200);
		expect(await deliver(secretFor('example-guessed-key', webhookId), signed(docId(7)))).toBe(401);
		const runs = await waitForExecutions(workflow.id, before + 2);
		await sleep(1000);
		expect((await executions(workflow.id)).length).toBe(before + 2);
		expect(runs.every((run) => run.status === 'success')).toBe(true);
	});
});
