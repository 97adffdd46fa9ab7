// The Documentolog Trigger when the credential's API key changes (issue 21): URLs handed to
// Documentolog before keep working, forged ones still start nothing. Activation and every call run
// through n8n-core's own HookContext and WebhookContext on a workflow rebuilt from the saved static
// data each time (test/helpers/engine.ts `triggerRig`); the old URL is the one Create Signing
// Session gave the emulator.
import { createHmac, randomUUID } from 'crypto';
import type { IDataObject, INode } from 'n8n-workflow';
import { DocumentologApi } from '../../../credentials/DocumentologApi.credentials';
import { DocumentologTrigger } from '../../../nodes/Documentolog/DocumentologTrigger.node';
import { KEYRING, secretDigest } from '../../../nodes/Documentolog/helpers/keyring';
import { clearDedupeMemory } from '../../../nodes/shared/webhook';
import { triggerRig } from '../../helpers/engine';
import { startSandbox, type Sandbox } from '../../helpers/sandbox';
import {
	GOOD_KEY,
	RECIPIENT_IIN,
	clearLog,
	createParameters,
	credentialsFor,
	docOfToken,
	runOk,
} from './harness';

const NEW_KEY = 'example-documentolog-key-rotated';
const THIRD_KEY = 'example-documentolog-key-third';
const NODE_NAME = 'Documentolog Trigger';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox(['documentolog']);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

/** The secret, computed here independently of the node. */
const secretFor = (key: string, webhookId: string) =>
	createHmac('sha256', key).update(`documentolog-trigger:${webhookId}`).digest('hex');

const signed = (docId: string, recipient = RECIPIENT_IIN) => ({
	event: 'signer_signed',
	doc_id: docId,
	signer: { name: 'Сейтқали Нұрлан', recipient },
});

function rigFor(webhookId: string, node: Partial<INode> = {}) {
	const rig = triggerRig({
		nodeType: new DocumentologTrigger(),
		node: {
			id: 'trigger',
			name: NODE_NAME,
			type: 'documentologTrigger',
			typeVersion: 1,
			position: [0, 0],
			webhookId,
			parameters: { events: ['signer_signed', 'document_completed'], options: {} },
			credentials: { documentologApi: { id: '1', name: 'Documentolog sandbox' } },
			...node,
		},
		credentialTypes: { documentologApi: new DocumentologApi() },
		credentials: { documentologApi: credentialsFor(sandbox) },
	});
	const useKey = (apiKey: string) =>
		rig.setCredentials({ documentologApi: credentialsFor(sandbox, apiKey) });
	const keyring = () =>
		((rig.saved[`node:${NODE_NAME}`] as IDataObject | undefined)?.[KEYRING.field] ?? {}) as Record<
			string,
			number
		>;
	const deliver = async (secret: string, body: unknown, mode: 'webhook' | 'manual' = 'webhook') =>
		await rig.call({ query: { secret }, body }, mode);
	return { rig, useKey, keyring, deliver };
}

const started = (answer: { result: { workflowData?: unknown[][] } }) =>
	answer.result.workflowData?.[0]?.length ?? 0;

describe('Documentolog Trigger: the API key changes', () => {
	it('keeps accepting the URL Create Signing Session issued under the old key; forged ones get 401', async () => {
		const webhookId = randomUUID();
		const { rig, useKey, keyring, deliver } = rigFor(webhookId);

		// Activation records the current secret (as a digest), and n8n saves it.
		expect(await rig.activate()).toEqual({ created: true, changed: true });
		expect(Object.keys(keyring())).toEqual([
			secretDigest(webhookId, secretFor(GOOD_KEY, webhookId)),
		]);
		const saved = JSON.stringify(rig.saved);
		expect(saved).not.toContain(secretFor(GOOD_KEY, webhookId));
		expect(saved).not.toContain(GOOD_KEY);
		// Activated again (n8n 1.x does so on every start): nothing to add, nothing saved.
		expect(await rig.activate()).toEqual({ created: false, changed: false });

		const triggerUrl = `https://n8n.example.com/webhook/${webhookId}/webhook`;
		const [session] = await runOk(
			sandbox,
			createParameters(sandbox, { webhookUrl: triggerUrl, options: { correlationId: 'order-9' } }),
		);
		expect(session.json.webhookSecretAdded).toBe(true);
		const doc = await docOfToken(sandbox, session.json.accessToken as string);
		const issued = Object.fromEntries(new URL(doc.webhookUrl!).searchParams);
		expect(issued).toEqual({ ref: 'order-9', secret: secretFor(GOOD_KEY, webhookId) });

		// The API key changes; no reactivation, no delivery in between. Another process (or a
		// restarted n8n) takes the call: only the saved static data knows the old secret.
		useKey(NEW_KEY);
		clearDedupeMemory();
		const old = await rig.call({ query: issued, body: signed(doc.docId) });
		expect(started(old)).toBe(1);
		const item = old.result.workflowData![0][0];
		expect(item.json).toMatchObject({
			event: 'signer.signed',
			documentId: doc.docId,
			correlationId: 'order-9',
		});
		expect(JSON.stringify(item)).not.toContain(issued.secret);

		const otherHook = randomUUID();
		for (const forged of [
			'0'.repeat(64),
			secretFor(NEW_KEY, otherHook),
			secretFor(GOOD_KEY, otherHook),
			secretFor('example-guessed-key', webhookId),
			// What static data holds is no secret: the digest itself is refused.
			secretDigest(webhookId, issued.secret),
			`${issued.secret}0`,
		]) {
			const answer = await deliver(forged, signed('KZ000000000000000000000077'));
			expect([forged, answer.response]).toEqual([
				forged,
				{ statusCode: 401, body: { message: 'Unauthorized' } },
			]);
			expect(answer.result).toEqual({ noWebhookResponse: true });
			expect(answer.changed).toBe(false);
		}

		// A URL computed with the new key works too, and a replay of the old one starts nothing.
		expect(
			started(await deliver(secretFor(NEW_KEY, webhookId), signed(doc.docId, '040740000001'))),
		).toBe(1);
		const replay = await rig.call({ query: issued, body: signed(doc.docId) });
		expect(replay.response?.statusCode).toBe(200);
		expect(started(replay)).toBe(0);

		expect(Object.keys(keyring()).sort()).toEqual(
			[
				secretDigest(webhookId, secretFor(GOOD_KEY, webhookId)),
				secretDigest(webhookId, secretFor(NEW_KEY, webhookId)),
			].sort(),
		);
	});

	it('remembers the key in use whenever an authentic delivery arrives, whichever secret it carried', async () => {
		const webhookId = randomUUID();
		const { rig, useKey, deliver } = rigFor(webhookId);
		await rig.activate();
		useKey(NEW_KEY);
		// Carries the first key's secret; the second key (current now) is recorded with it.
		expect(
			started(await deliver(secretFor(GOOD_KEY, webhookId), signed('KZ000000000000000000000001'))),
		).toBe(1);
		useKey(THIRD_KEY);
		clearDedupeMemory();
		for (const [key, docId] of [
			[GOOD_KEY, 'KZ000000000000000000000002'],
			[NEW_KEY, 'KZ000000000000000000000003'],
			[THIRD_KEY, 'KZ000000000000000000000004'],
		]) {
			expect([key, started(await deliver(secretFor(key, webhookId), signed(docId)))]).toEqual([
				key,
				1,
			]);
		}
	});

	it('keeps the keyring when the workflow is deactivated and activated again under the new key', async () => {
		const webhookId = randomUUID();
		const { rig, useKey, keyring, deliver } = rigFor(webhookId);
		await rig.activate();
		expect(await rig.deactivate()).toEqual({ changed: false });
		clearDedupeMemory();
		useKey(NEW_KEY);
		expect(await rig.activate()).toEqual({ created: true, changed: true });
		expect(Object.keys(keyring())).toHaveLength(2);
		expect(
			started(await deliver(secretFor(GOOD_KEY, webhookId), signed('KZ000000000000000000000005'))),
		).toBe(1);
	});

	it('test-mode calls accept the same secrets and change no static data', async () => {
		const webhookId = randomUUID();
		const { rig, useKey, deliver } = rigFor(webhookId);
		await rig.activate();
		useKey(NEW_KEY);
		const before = JSON.stringify(rig.saved);
		for (const key of [GOOD_KEY, NEW_KEY]) {
			const answer = await deliver(
				secretFor(key, webhookId),
				signed('KZ000000000000000000000006'),
				'manual',
			);
			expect([key, started(answer), answer.changed]).toEqual([key, 1, false]);
		}
		const forged = await deliver(secretFor(THIRD_KEY, webhookId), signed('KZ1'), 'manual');
		expect(forged.response?.statusCode).toBe(401);
		expect(JSON.stringify(rig.saved)).toBe(before);
	});

	it('activates as before when the credential cannot be read, and records nothing', async () => {
		const { rig, keyring } = rigFor(randomUUID(), { credentials: undefined });
		expect(await rig.activate()).toEqual({ created: false, changed: false });
		expect(keyring()).toEqual({});
	});
});
