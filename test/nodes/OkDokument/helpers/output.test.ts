import {
	countersOutput,
	documentOutput,
	vendorMessageOutput,
} from '../../../../nodes/OkDokument/helpers/output';

describe('documentOutput', () => {
	it('adds createdAt from the epoch-ms date and keeps every vendor field', () => {
		expect(
			documentOutput({
				id: 'd',
				state: 'tosign',
				date: 1655814644472,
				modification: '2022-06-21 14:30:44',
			}),
		).toEqual({
			id: 'd',
			state: 'tosign',
			date: 1655814644472,
			modification: '2022-06-21 14:30:44',
			createdAt: '2022-06-21T12:30:44.472Z',
		});
		expect(documentOutput({ id: 'd', state: 'tosign' }).createdAt).toBeNull();
	});
});

describe('countersOutput', () => {
	it('summarises the wiki example as numbers', () => {
		const counters = {
			actual: {
				'abc.storedFiles': '45',
				'abc.deleted.f': '40',
				'abc.usedSignatureRequests': '45',
				'abc.downloaded': '39',
				'abc.availableSignatureRequests': '35',
			},
			downloaded: { '2022.5.abc': '20' },
		};
		expect(countersOutput(counters)).toEqual({
			...counters,
			summary: {
				storedFiles: 45,
				deleted: 40,
				usedSignatureRequests: 45,
				downloaded: 39,
				availableSignatureRequests: 35,
			},
		});
	});
});

describe('vendorMessageOutput', () => {
	it('passes on the message of an answer', () => {
		expect(vendorMessageOutput({ message: 'msg.deleted', value: 'd' })).toEqual({
			message: 'msg.deleted',
		});
	});

	it.each([[undefined], [''], ['msg.deleted'], [[{ message: 'x' }]], [{ message: 7 }], [{}]])(
		'adds nothing for %p',
		(response) => {
			expect(vendorMessageOutput(response)).toEqual({});
		},
	);
});
