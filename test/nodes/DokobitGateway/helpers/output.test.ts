import { signerLinks, statusOutput } from '../../../../nodes/DokobitGateway/helpers/output';

describe('signerLinks', () => {
	it('turns the id → token map into a list with page URLs', () => {
		expect(signerLinks('https://gw.example', 'S1', { a: 'ta', b: 'tb' })).toEqual([
			{ id: 'a', token: 'ta', signingUrl: 'https://gw.example/signing/S1?access_token=ta' },
			{ id: 'b', token: 'tb', signingUrl: 'https://gw.example/signing/S1?access_token=tb' },
		]);
		expect(signerLinks('https://gw.example', 'S1', undefined)).toEqual([]);
	});

	it('keeps the request order although JSON puts integer-like keys first', () => {
		const map = JSON.parse('{"50001018865":"ta","7":"tb","x":"tc"}') as Record<string, string>;
		expect(Object.keys(map)).toEqual(['7', '50001018865', 'x']);
		const ids = (order: string[]) =>
			signerLinks('https://gw.example', 'S1', map, order).map((link) => link.id);
		expect(ids(['50001018865', '7'])).toEqual(['50001018865', '7', 'x']);
		expect(ids(['missing', 'x'])).toEqual(['x', '7', '50001018865']);
	});
});

describe('statusOutput', () => {
	it('lists signers with their id and counts the signed ones', () => {
		const out = statusOutput('S1', {
			status: 'pending',
			signers: {
				'1': { status: 'signed', signing_time: '2019-06-04 11:59:14', signature_id: 'Signature1' },
				'2': { status: 'pending' },
			},
			file: null,
		});
		expect(out).toEqual({
			token: 'S1',
			status: 'pending',
			completed: false,
			signers: [
				{
					id: '1',
					status: 'signed',
					signing_time: '2019-06-04 11:59:14',
					signature_id: 'Signature1',
				},
				{ id: '2', status: 'pending' },
			],
			signedCount: 1,
			file: null,
			file_digest: null,
			valid_to: null,
			structure: null,
		});
	});

	it.each([
		['completed', true],
		['archived', true],
		['pending', false],
		['failed', false],
	])('marks %s as completed=%p', (status, completed) => {
		expect(statusOutput('S1', { status }).completed).toBe(completed);
	});
});
