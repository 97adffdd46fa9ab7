import { createHmac, randomUUID } from 'crypto';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import { GOOD_KEY, apiRequests, clearLog, credentialsFor, runOk } from '../../harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox(['documentolog']);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

const secretFor = (key: string, webhookId: string) =>
	createHmac('sha256', key).update(`documentolog-trigger:${webhookId}`).digest('hex');

describe('Documentolog → Webhook → Get Trigger URL', () => {
	it('adds the secret the trigger expects (and a correlation id) without any request', async () => {
		const webhookId = randomUUID();
		const [item] = await runOk(sandbox, {
			resource: 'webhook',
			operation: 'getTriggerUrl',
			triggerUrl: `https://n8n.example.com/webhook/${webhookId}/webhook`,
			correlationId: 'crm-77',
		});
		expect(item.json).toEqual({
			webhookId,
			webhookUrl: `https://n8n.example.com/webhook/${webhookId}/webhook?ref=crm-77&secret=${secretFor(GOOD_KEY, webhookId)}`,
		});
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it('gives each trigger, and each signing key, its own secret', async () => {
		const run = async (webhookId: string, credentials = credentialsFor(sandbox)) => {
			const [item] = await runOk(
				sandbox,
				{
					resource: 'webhook',
					operation: 'getTriggerUrl',
					triggerUrl: `https://n8n.example.com/webhook-test/${webhookId}/webhook`,
				},
				undefined,
				{ credentials },
			);
			return new URL(item.json.webhookUrl as string).searchParams.get('secret');
		};
		const first = randomUUID();
		const second = randomUUID();
		const keyed = credentialsFor(sandbox, GOOD_KEY, {
			webhookSigningSecret: 'example-rotated-key',
		});
		const secrets = [await run(first), await run(second), await run(first, keyed)];
		expect(secrets).toEqual([
			secretFor(GOOD_KEY, first),
			secretFor(GOOD_KEY, second),
			secretFor('example-rotated-key', first),
		]);
		expect(new Set(secrets).size).toBe(3);
	});
});
