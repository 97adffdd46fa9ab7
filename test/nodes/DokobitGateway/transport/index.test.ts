import { dokobitErrorMessage, signingPageUrl } from '../../../../nodes/DokobitGateway/transport';
import { dokobitBaseUrl } from '../../../../nodes/DokobitGateway/transport/hosts';

describe('dokobitErrorMessage', () => {
	it('reads the message and a list of strings (Gateway shape)', () => {
		expect(
			dokobitErrorMessage({
				status: 'error',
				message: 'Data validation failed',
				errors: ['signers[0][signing_purpose]: This field is missing.'],
				code: 10000,
			}),
		).toBe('Data validation failed; signers[0][signing_purpose]: This field is missing.');
	});

	it('reads a list of {message, field} objects (Portal/Universal shape)', () => {
		expect(
			dokobitErrorMessage({
				status: 'error',
				message: 'Data validation failed',
				errors: [
					{ message: 'This value is not valid.', error_code: 1, field: 'signers[0][code]' },
					{ message: 'Something general.', error_code: 2 },
				],
			}),
		).toBe(
			'Data validation failed; signers[0][code]: This value is not valid.; Something general.',
		);
	});

	it('reads a field → messages map', () => {
		expect(
			dokobitErrorMessage({
				errors: {
					'signers[0][email]': ['This value is not a valid email.', 'Second problem.'],
					name: 'This value should not be blank.',
				},
			}),
		).toBe(
			'signers[0][email]: This value is not a valid email. Second problem.; name: This value should not be blank.',
		);
	});

	it('reads the body as a JSON string or buffer, as a stream download error arrives', () => {
		const body = JSON.stringify({ status: 'error', message: 'Signing not found' });
		expect(dokobitErrorMessage(body)).toBe('Signing not found');
		expect(dokobitErrorMessage(Buffer.from(body))).toBe('Signing not found');
	});

	it.each([
		['undefined', undefined],
		['an empty object', {}],
		['a list', ['x']],
		['an HTML page', '<html><body>502 Bad Gateway</body></html>'],
		['errors of unknown shape', { errors: [42, null] }],
	])('gives undefined for %s', (_label, body) => {
		expect(dokobitErrorMessage(body)).toBeUndefined();
	});
});

describe('dokobitBaseUrl', () => {
	it('maps the environments to the official hosts', () => {
		expect(dokobitBaseUrl({ environment: 'sandbox' })).toBe('https://gateway-sandbox.dokobit.com');
		expect(dokobitBaseUrl({ environment: 'production' })).toBe('https://gateway.dokobit.com');
		expect(dokobitBaseUrl({})).toBe('https://gateway-sandbox.dokobit.com');
	});

	it('takes a custom base URL without trailing slashes', () => {
		expect(dokobitBaseUrl({ environment: 'custom', baseUrl: 'http://127.0.0.1:4101//' })).toBe(
			'http://127.0.0.1:4101',
		);
	});
});

describe('signingPageUrl', () => {
	it('puts the signer token, encoded, in access_token', () => {
		expect(signingPageUrl('https://gateway.dokobit.com', 'T 1', 'a+b/c')).toBe(
			'https://gateway.dokobit.com/signing/T%201?access_token=a%2Bb%2Fc',
		);
	});
});
