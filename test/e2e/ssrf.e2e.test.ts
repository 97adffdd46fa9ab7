/* eslint-disable @n8n/community-nodes/no-restricted-globals */
// n8n with its SSRF protection on (N8N_SSRF_PROTECTION_ENABLED=true, the sandbox's loopback address
// allowed as README → "n8n's SSRF protection" says): scripts/test-all.sh runs this file with the
// vendor files in such an n8n (jest.config.js leaves it out otherwise). The vendor files prove the
// nodes work through the protection; this one that a refused host gets a clear error that says
// nothing was sent, also for a create.
import { callWebhook, createCredential, e2eInfo, webhookChainWorkflow } from '../helpers/n8n';

jest.setTimeout(60_000);

/** An address in 127.0.0.0/8 (blocked by default) that is not the allowed 127.0.0.1. */
const blockedOrigin = (origin: string) => origin.replace('//127.0.0.1:', '//127.0.0.2:');

describe('n8n’s SSRF protection', () => {
	it('is on in this n8n, and the sandbox is reached through it', () => {
		expect(process.env.N8N_SSRF_PROTECTION_ENABLED).toBe('true');
		expect(e2eInfo().sandbox.dokobit).toMatch(/^http:\/\/127\.0\.0\.1:/);
	});

	it('refuses a create to a restricted host before sending it, and says so', async () => {
		const sandbox = e2eInfo().sandbox.okdokument;
		const credential = await createCredential('OKdokument restricted host', 'okDokumentApi', {
			environment: 'custom',
			baseUrl: blockedOrigin(sandbox),
			apiKey: 'example-okdokument-key',
		});
		const { url } = await webhookChainWorkflow('e2e ssrf create', [
			{
				name: 'OKdokument',
				type: 'n8n-nodes-esign.okDokument',
				onError: 'continueRegularOutput',
				parameters: {
					resource: 'signatureRequest',
					operation: 'create',
					documentSource: 'upload',
					fileSource: 'url',
					fileUrl: `${sandbox}/__files/sample.pdf`,
					fileName: 'SSRF contract.pdf',
				},
				credentials: { okDokumentApi: { id: credential.id, name: credential.name } },
			},
		]);
		const answer = await callWebhook(url, {});
		expect(answer.json).toEqual({
			error: expect.stringMatching(/n8n’s SSRF protection blocked the request to OKdokument$/),
			description: expect.stringContaining('Nothing was sent.'),
		});
	});
});
