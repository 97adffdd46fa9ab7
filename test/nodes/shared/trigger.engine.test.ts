// The one trigger path (nodes/shared/trigger.ts), run over all three vendors' adapters through
// n8n-core's own WebhookContext (test/helpers/engine.ts `triggerRig`): the same answers in the
// same order, one execution per event also after a restart (static data saved and read back,
// this process's memory gone), and no secret in what is emitted. Verification against the
// vendor's state is covered per vendor; here the adapters run without it where they offer that.
import { randomUUID } from 'crypto';
import type { ICredentialDataDecryptedObject, ICredentialType, INodeType } from 'n8n-workflow';
import { DokobitGatewayApi } from '../../../credentials/DokobitGatewayApi.credentials';
import { DocumentologApi } from '../../../credentials/DocumentologApi.credentials';
import { OkDokumentApi } from '../../../credentials/OkDokumentApi.credentials';
import { DocumentologTrigger } from '../../../nodes/Documentolog/DocumentologTrigger.node';
import { deriveWebhookSecret } from '../../../nodes/Documentolog/helpers/secret';
import { DokobitGatewayTrigger } from '../../../nodes/DokobitGateway/DokobitGatewayTrigger.node';
import { OkDokumentTrigger } from '../../../nodes/OkDokument/OkDokumentTrigger.node';
import { clearDedupeMemory } from '../../../nodes/shared/webhook';
import { triggerRig } from '../../helpers/engine';

const API_KEY = 'example-contract-api-key-0001';
const URL_SECRET = 'example-contract-url-secret-0001';

interface Vendor {
	nodeType: INodeType;
	type: string;
	credentialName: string;
	credentialType: ICredentialType;
	credentials: ICredentialDataDecryptedObject;
	parameters: Record<string, unknown>;
	/** The URL secret for a node with this webhook id. */
	secret: (webhookId: string) => string;
	event: () => Record<string, unknown>;
	/** An event the node's filter leaves out. */
	filtered: () => Record<string, unknown>;
}

const vendors: Record<string, Vendor> = {
	Dokobit: {
		nodeType: new DokobitGatewayTrigger(),
		type: 'dokobitGatewayTrigger',
		credentialName: 'dokobitGatewayApi',
		credentialType: new DokobitGatewayApi(),
		credentials: { environment: 'custom', baseUrl: 'http://127.0.0.1:9', accessToken: API_KEY },
		parameters: {
			events: ['signing_completed'],
			verification: 'none',
			secret: URL_SECRET,
			options: {},
		},
		secret: () => URL_SECRET,
		event: () => ({ status: 'ok', action: 'signing_completed', token: `t-${randomUUID()}` }),
		filtered: () => ({ status: 'ok', action: 'signer_signed', token: 't-1', signer: '1' }),
	},
	OKdokument: {
		nodeType: new OkDokumentTrigger(),
		type: 'okDokumentTrigger',
		credentialName: 'okDokumentApi',
		credentialType: new OkDokumentApi(),
		credentials: { environment: 'custom', baseUrl: 'http://127.0.0.1:9', apiKey: API_KEY },
		parameters: { events: ['signed'], verification: 'none', secret: URL_SECRET, options: {} },
		secret: () => URL_SECRET,
		event: () => ({ id: `d-${randomUUID()}`, state: 'signed', signatureRequestId: 'r-1' }),
		filtered: () => ({ id: 'd-1', state: 'canceled' }),
	},
	Documentolog: {
		nodeType: new DocumentologTrigger(),
		type: 'documentologTrigger',
		credentialName: 'documentologApi',
		credentialType: new DocumentologApi(),
		credentials: { host: 'custom', baseUrl: 'http://127.0.0.1:9', apiKey: API_KEY },
		parameters: { events: ['signer_signed'], options: {} },
		secret: (webhookId) => deriveWebhookSecret(API_KEY, webhookId),
		event: () => ({
			event: 'signer_signed',
			doc_id: `KZ${Date.now()}${Math.floor(Math.random() * 1e6)}`,
			signer: { name: 'Signer', recipient: '040740000001' },
		}),
		filtered: () => ({ event: 'document_sent', doc_id: 'KZ1' }),
	},
};

function rigFor(vendor: Vendor) {
	const webhookId = randomUUID();
	const rig = triggerRig({
		nodeType: vendor.nodeType,
		node: {
			id: 'trigger',
			name: 'Trigger',
			type: vendor.type,
			typeVersion: 1,
			position: [0, 0],
			webhookId,
			parameters: vendor.parameters as never,
			credentials: { [vendor.credentialName]: { id: '1', name: 'sandbox' } },
		},
		credentialTypes: { [vendor.credentialName]: vendor.credentialType },
		credentials: { [vendor.credentialName]: vendor.credentials },
	});
	return { rig, secret: vendor.secret(webhookId) };
}

const started = (answer: { result: { workflowData?: unknown[][] } }) =>
	answer.result.workflowData?.[0]?.length ?? 0;

describe.each(Object.entries(vendors))('%s Trigger on the shared path', (_name, vendor) => {
	beforeEach(() => clearDedupeMemory());

	it('answers 405, 401, 400 and a filtered 200 in that order, and starts nothing', async () => {
		const { rig, secret } = rigFor(vendor);
		await rig.activate();
		const get = await rig.call({ method: 'GET', query: { secret } });
		expect(get.response?.statusCode).toBe(405);
		for (const query of [{}, { secret: `${secret}x` }, { secret: [secret, secret] }]) {
			const forged = await rig.call({ query, body: vendor.event() });
			expect(forged.response).toEqual({ statusCode: 401, body: { message: 'Unauthorized' } });
			expect(forged.changed).toBe(false);
		}
		const text = await rig.call({
			query: { secret },
			headers: { 'content-type': 'text/html' },
			body: '<p>',
		});
		expect(text.response?.statusCode).toBe(400);
		const filtered = await rig.call({ query: { secret }, body: vendor.filtered() });
		expect(filtered.response).toEqual({ statusCode: 200, body: { received: true } });
		for (const answer of [get, text, filtered]) expect(started(answer)).toBe(0);
	});

	it('starts one execution per event, also when the repeat reaches a restarted process', async () => {
		const { rig, secret } = rigFor(vendor);
		await rig.activate();
		const event = vendor.event();
		const first = await rig.call({ query: { secret }, body: event });
		expect(started(first)).toBe(1);
		expect(first.changed).toBe(true);
		// Same process: its memory knows the event.
		expect(started(await rig.call({ query: { secret }, body: event }))).toBe(0);
		// Another process, or n8n after a restart: only the saved static data knows it.
		clearDedupeMemory();
		const repeat = await rig.call({ query: { secret }, body: event });
		expect(started(repeat)).toBe(0);
		expect(repeat.response).toEqual({ statusCode: 200, body: { received: true } });
		// A test-mode call is never deduplicated and remembers nothing.
		const manual = await rig.call({ query: { secret }, body: event }, 'manual');
		expect(started(manual)).toBe(1);
		expect(manual.changed).toBe(false);
	});

	it('emits no secret: not the URL secret, not the API key', async () => {
		const { rig, secret } = rigFor(vendor);
		await rig.activate();
		const answer = await rig.call({
			query: { secret, note: `see ${API_KEY}` },
			body: { ...vendor.event(), echo: `${secret} ${API_KEY}` },
		});
		expect(started(answer)).toBe(1);
		const emitted = JSON.stringify(answer.result.workflowData);
		expect(emitted).not.toContain(secret);
		expect(emitted).not.toContain(API_KEY);
	});
});
