import { createHmac } from 'crypto';
import {
	deriveWebhookSecret,
	maskSecret,
	signingKeyOf,
	triggerWebhookId,
	withTriggerSecret,
} from '../../../../nodes/Documentolog/helpers/secret';

const ID = '1f0c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

describe('Documentolog trigger secret', () => {
	it('is HMAC-SHA256 of the webhook id under the key, as hex', () => {
		expect(deriveWebhookSecret('example-key', ID)).toBe(
			createHmac('sha256', 'example-key').update(`documentolog-trigger:${ID}`).digest('hex'),
		);
		expect(deriveWebhookSecret('example-key', ID)).not.toBe(
			deriveWebhookSecret('example-key2', ID),
		);
		expect(deriveWebhookSecret('example-key', ID)).not.toBe(
			deriveWebhookSecret('example-key', `${ID}x`),
		);
	});

	it('prefers the Webhook Signing Key over the API key', () => {
		expect(signingKeyOf({ apiKey: 'a-key', webhookSigningSecret: ' b-key ' })).toBe('b-key');
		expect(signingKeyOf({ apiKey: ' a-key ', webhookSigningSecret: '' })).toBe('a-key');
		expect(signingKeyOf({})).toBe('');
	});

	it.each([
		[`https://n8n.example.com/webhook/${ID}/webhook`, ID],
		[`https://n8n.example.com/webhook-test/${ID}/webhook/`, ID],
		[`https://example.com/n8n/hooks/${ID}/webhook?x=1`, ID],
		['https://n8n.example.com/webhook/short/webhook', undefined],
		[`https://n8n.example.com/webhook/${ID}/other`, undefined],
		[`https://n8n.example.com/webhook/${ID}`, undefined],
		['not a url', undefined],
	])('finds the webhook id in %s', (url, id) => {
		expect(triggerWebhookId(url)).toBe(id);
	});

	it('adds the secret once, keeps other query parameters, and masks it for output', () => {
		const url = `https://n8n.example.com/webhook/${ID}/webhook?ref=a`;
		const signed = withTriggerSecret(url, 'example-key');
		expect(signed).toEqual({
			url: `${url}&secret=${deriveWebhookSecret('example-key', ID)}`,
			added: true,
		});
		expect(withTriggerSecret(signed.url, 'example-key')).toEqual({ url: signed.url, added: false });
		expect(withTriggerSecret(url, '')).toEqual({ url, added: false });
		expect(maskSecret(signed.url)).toBe(`${url}&secret=***`);
		expect(maskSecret(url)).toBe(url);
	});
});
