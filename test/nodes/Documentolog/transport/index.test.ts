import { documentologErrorMessage } from '../../../../nodes/Documentolog/transport';
import { documentologBaseUrl } from '../../../../nodes/Documentolog/transport/hosts';

describe('Documentolog transport', () => {
	it.each([
		[{ status: 0, message: 'Invalid api-key' }, 'Invalid api-key'],
		[
			{
				status: 0,
				message: 'Validation failed',
				errors: { sSender: ['Not valid.'], mRecipient: ['A', 'B'] },
			},
			'Validation failed; sSender: Not valid.; mRecipient: A B',
		],
		[{ errors: ['one', 'two'] }, 'one; two'],
		[Buffer.from('{"status":0,"message":"From a stream"}'), 'From a stream'],
		['{"message":"As text"}', 'As text'],
		[{ status: 0 }, undefined],
		[null, undefined],
	])('reads the vendor message from %j', (body, message) => {
		expect(documentologErrorMessage(body)).toBe(message);
	});

	it('pins the host to the credential', () => {
		expect(documentologBaseUrl({ host: 'business' })).toBe('https://apibusiness.documentolog.com');
		expect(documentologBaseUrl({ host: 'doculite' })).toBe('https://apiv1dlkz.doculite.kz');
		expect(documentologBaseUrl({ host: 'custom', baseUrl: 'http://127.0.0.1:4103//' })).toBe(
			'http://127.0.0.1:4103',
		);
		expect(documentologBaseUrl({})).toBe('https://apibusiness.documentolog.com');
	});
});
