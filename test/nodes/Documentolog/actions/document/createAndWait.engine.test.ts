import { WAIT_INDEFINITELY } from 'n8n-workflow';
import { errorOf, outputOf } from '../../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import { WAITING_FOR } from '../../../../../nodes/Documentolog/helpers/wait';
import { RESUME_PROOF_PARAMETER, legacyResumeProof } from '../../../../../nodes/shared/resume';
import {
	GOOD_KEY,
	RECIPIENT_IIN,
	apiRequests,
	clearLog,
	createParameters,
	docOfToken,
	runDocumentolog,
} from '../../harness';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox(['documentolog']);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

const waitParameters = (extra: Record<string, unknown> = {}) =>
	createParameters(sandbox, { operation: 'createAndWait', ...extra });

const RESUME_BASE = 'http://127.0.0.1:5678/webhook-waiting/exec-engine';

describe('Documentolog → Document → Send and Wait for Signature (execute side)', () => {
	it('creates the document with the resume URL plus a correlation id, stores the id, and waits', async () => {
		const before = Date.now();
		const run = await runDocumentolog(sandbox, waitParameters());
		expect(errorOf(run)).toBeUndefined();
		expect(run.status).toBe('waiting');
		expect(run.waitTill).toEqual(WAIT_INDEFINITELY);

		const [item] = outputOf(run);
		const correlationId = run.data.resultData.metadata?.[WAITING_FOR];
		expect(correlationId).toMatch(/^wait-[0-9a-f-]{36}$/);
		expect(item.json).toMatchObject({
			correlationId,
			embedUrl: expect.stringContaining(`${sandbox.url('documentolog')}/external/sign/embedded`),
			iframeHtml: expect.stringMatching(/^<iframe src=/),
			listenerScript: expect.stringContaining('<script>'),
			recipients: [RECIPIENT_IIN],
			waitingFor: 'document to be completed or declined',
		});
		expect(item.pairedItem).toEqual({ item: 0 });

		const [create] = await apiRequests(sandbox);
		const webhookUrl = new URL(create.body.sSetWebhookUrl as string);
		expect(`${webhookUrl.origin}${webhookUrl.pathname}`).toBe(RESUME_BASE);
		expect(webhookUrl.searchParams.get('ref')).toBe(correlationId);
		// n8n's resume token and the package's proof travel in the URL; neither reaches the output.
		const signature = webhookUrl.searchParams.get('signature');
		expect(signature).toMatch(/^[0-9a-f]{32,}$/);
		const proof = webhookUrl.searchParams.get(RESUME_PROOF_PARAMETER);
		// Random, not derived from the credential: a rotated key cannot strand the wait.
		expect(proof).toMatch(/^[0-9a-f]{64}$/);
		expect(proof).not.toBe(legacyResumeProof(GOOD_KEY, 'documentolog', 'exec-engine'));
		expect(JSON.stringify(item.json)).not.toContain(signature);
		expect(JSON.stringify(item.json)).not.toContain(proof);
		expect(item.json.webhookUrl).toBeUndefined();

		const doc = await docOfToken(sandbox, item.json.accessToken as string);
		expect(doc.webhookUrl).toBe(create.body.sSetWebhookUrl);
		expect(Date.now() - before).toBeLessThan(10_000);
	});

	it('uses a fresh correlation id per execution', async () => {
		const ids = new Set<string>();
		for (let i = 0; i < 3; i++) {
			const run = await runDocumentolog(sandbox, waitParameters());
			ids.add(run.data.resultData.metadata![WAITING_FOR]);
		}
		expect(ids.size).toBe(3);
	});

	it('ignores the Webhook URL, Correlation ID and trigger-secret parameters of Create', async () => {
		const run = await runDocumentolog(
			sandbox,
			waitParameters({
				webhookUrl: 'https://hooks.example.com/x/webhook',
				options: { correlationId: 'order-1', addTriggerSecret: true },
			}),
		);
		expect(errorOf(run)).toBeUndefined();
		const [create] = await apiRequests(sandbox);
		const url = new URL(create.body.sSetWebhookUrl as string);
		expect(url.href.startsWith(RESUME_BASE)).toBe(true);
		expect(url.searchParams.get('ref')).toBe(run.data.resultData.metadata![WAITING_FOR]);
		expect(url.searchParams.has('secret')).toBe(false);
	});

	it('waits until the limit: an interval or a date', async () => {
		const before = Date.now();
		const interval = await runDocumentolog(
			sandbox,
			waitParameters({
				limitWaitTime: {
					values: { limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'hours' },
				},
			}),
		);
		const till = new Date(interval.waitTill!).getTime();
		expect(till).toBeGreaterThanOrEqual(before + 2 * 3600_000);
		expect(till).toBeLessThan(Date.now() + 2 * 3600_000 + 1000);

		const at = new Date(Date.now() + 86_400_000).toISOString();
		const dated = await runDocumentolog(
			sandbox,
			waitParameters({
				limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: at } },
			}),
		);
		expect(new Date(dated.waitTill!).toISOString()).toBe(at);
	});

	it.each([
		[
			'a date in the past',
			{ values: { limitType: 'atSpecifiedTime', maxDateAndTime: '2020-01-01T00:00:00Z' } },
			'Max Date and Time is in the past',
		],
		[
			'a zero interval',
			{ values: { limitType: 'afterTimeInterval', resumeAmount: 0, resumeUnit: 'minutes' } },
			'must be a positive number',
		],
	])('refuses %s before creating anything', async (_label, limitWaitTime, message) => {
		const run = await runDocumentolog(sandbox, waitParameters({ limitWaitTime }));
		expect(errorOf(run)?.message).toContain(message);
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it('refuses more than one item, before creating anything', async () => {
		const run = await runDocumentolog(sandbox, waitParameters(), [{ json: {} }, { json: {} }]);
		expect(errorOf(run)?.message).toBe(
			'Send and wait handles one document per execution; this node received 2 items',
		);
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it.each([
		['no sender methods and view-only recipients', { recipientSignatureRequired: false }],
		['no sender methods and no recipients', { sendToRecipient: false, recipients: [] }],
	])('refuses a document nobody signs (%s)', async (_label, extra) => {
		const run = await runDocumentolog(
			sandbox,
			waitParameters({ senderSignatureMethods: [], ...extra }),
		);
		expect(errorOf(run)?.message).toContain('Send and wait needs someone to sign');
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it('accepts a sender-only document and recipients without sender methods', async () => {
		for (const extra of [
			{ sendToRecipient: false, recipients: [] },
			{ senderSignatureMethods: [] },
		]) {
			const run = await runDocumentolog(sandbox, waitParameters(extra));
			expect(errorOf(run)).toBeUndefined();
			expect(run.status).toBe('waiting');
		}
	});

	it('validates the create fields as Create does, and creates nothing on a bad one', async () => {
		const run = await runDocumentolog(sandbox, waitParameters({ sender: '900101300018' }));
		expect(errorOf(run)?.message).toContain('Sender IIN/BIN');
		expect(run.status).not.toBe('waiting');
		expect(await apiRequests(sandbox)).toEqual([]);
	});

	it('does not wait when the create fails', async () => {
		const run = await runDocumentolog(sandbox, waitParameters(), undefined, {
			apiKey: 'example-wrong-key-0000',
		});
		expect(errorOf(run)).toBeDefined();
		expect(run.status).not.toBe('waiting');
		expect(run.waitTill).toBeFalsy();
	});
});
