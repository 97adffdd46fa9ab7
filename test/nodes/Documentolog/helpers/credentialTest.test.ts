import type { ICredentialTestFunctions, ICredentialsDecrypted } from 'n8n-workflow';
import { documentologApiTest } from '../../../../nodes/Documentolog/helpers/credentialTest';

const run = async (data: Record<string, unknown>) =>
	await documentologApiTest.call(
		{} as ICredentialTestFunctions,
		{
			id: '1',
			name: 'c',
			type: 'documentologApi',
			data,
		} as ICredentialsDecrypted,
	);

describe('Documentolog credential test (local only)', () => {
	it('passes a plausible key and says it was not checked online', async () => {
		const result = await run({ host: 'business', apiKey: 'example-documentolog-key' });
		expect(result.status).toBe('OK');
		expect(result.message).toContain('not checked online');
	});

	it.each([
		[{ host: 'business', apiKey: '' }, 'Enter the API key'],
		[{ host: 'business', apiKey: 'short' }, 'The API key looks incomplete'],
		[{ host: 'business', apiKey: 'example documentolog key' }, 'The API key looks incomplete'],
		[
			{ host: 'custom', baseUrl: 'localhost:4103', apiKey: 'example-documentolog-key' },
			'The custom base URL must be an http(s) URL',
		],
		[
			{ host: 'custom', baseUrl: '', apiKey: 'example-documentolog-key' },
			'The custom base URL must be an http(s) URL',
		],
	])('fails %j', async (data, message) => {
		const result = await run(data);
		expect(result.status).toBe('Error');
		expect(result.message).toContain(message);
	});
});
