import {
	describeKzId,
	isValidKzId,
	kzCheckDigit,
	kzIdProblem,
	toVendorPhone,
} from '../../../../nodes/Documentolog/helpers/identifiers';

// Vectors computed with the two-pass algorithm (docs/vendor-apis.md › Documentolog › IIN, BIN and
// phone), plus our own.
describe('IIN/BIN check digit (two passes)', () => {
	it.each([
		['000000000000', "the vendor's placeholder: sum 0, check digit 0"],
		['061211600012', 'the usage example of ZhymabekRoman/kz-iin-validator'],
		['900101300017', 'first pass, c = 7'],
		['900101300811', 'first pass gives 10, second pass c = 1'],
		['040740000001', 'a BIN, first pass'],
		['040740000200', 'a BIN, second pass c = 0'],
	])('accepts %s (%s)', (id) => {
		expect(isValidKzId(id)).toBe(true);
		expect(kzIdProblem(id)).toBeUndefined();
	});

	it.each(Array.from({ length: 10 }, (_, digit) => `90010130080${digit}`))(
		'rejects %s: both passes give 10, so no check digit exists',
		(id) => {
			expect(isValidKzId(id)).toBe(false);
			expect(kzCheckDigit(id.slice(0, 11))).toBeUndefined();
			expect(kzIdProblem(id)).toBe('has no valid check digit (such numbers are never issued)');
		},
	);

	it.each([
		['900101300019', 'has a wrong check digit (the last digit should be 7)'],
		['040740000002', 'has a wrong check digit (the last digit should be 1)'],
		['90010130001', 'must be exactly 12 digits, got 11'],
		['9001013000171', 'must be exactly 12 digits, got 13'],
		['90010130001a', 'must contain digits only'],
		['9001 0130 0017', 'must contain digits only'],
		['', 'must contain digits only'],
		['９００１０１３０００１７', 'must contain digits only'],
	])('rejects %j: %s', (id, problem) => {
		expect(isValidKzId(id)).toBe(false);
		expect(kzIdProblem(id)).toBe(problem);
	});

	it('finds exactly one valid check digit for every prefix that has one', () => {
		// Each prefix admits one last digit or none; never two.
		for (const prefix of ['90010130001', '04074000000', '12345678901', '99999999999']) {
			const valid = Array.from({ length: 10 }, (_, d) => `${prefix}${d}`).filter(isValidKzId);
			const expected = kzCheckDigit(prefix);
			expect(valid).toEqual(expected === undefined ? [] : [`${prefix}${expected}`]);
		}
	});
});

describe('IIN/BIN structure (decoded, never enforced by default)', () => {
	it.each([
		['900101300017', { kind: 'iin', birthDate: '1990-01-01', sex: 'male' }],
		['900101400016', { kind: 'iin', birthDate: '1990-01-01', sex: 'female' }],
		['050229500011', { kind: 'unknown' }], // 29 Feb 2005 does not exist
		['040229500012', { kind: 'iin', birthDate: '2004-02-29', sex: 'male' }],
		['991231100010', { kind: 'iin', birthDate: '1899-12-31', sex: 'male' }],
		['010101600019', { kind: 'iin', birthDate: '2001-01-01', sex: 'female' }],
		[
			'040740000001',
			{ kind: 'bin', registered: '0407', type: 'resident legal entity', attribute: 'head office' },
		],
		[
			'100551012345',
			{ kind: 'bin', registered: '1005', type: 'non-resident legal entity', attribute: 'branch' },
		],
		['000000000000', { kind: 'unknown' }], // month 00: why the structure is not enforced
		['901301300017', { kind: 'unknown' }], // month 13, no century digit rule rescues it
		['900101700017', { kind: 'unknown' }], // century digit 7 does not exist
	])('%s → %j', (id, structure) => {
		expect(describeKzId(id)).toEqual(structure);
	});
});

describe("phone numbers in the vendor's +X (XXX) XXX-XX-XX format", () => {
	it.each([
		['+7 (701) 123-45-67', '+7 (701) 123-45-67'],
		['+77011234567', '+7 (701) 123-45-67'],
		['+7 701 123 45 67', '+7 (701) 123-45-67'],
		['+7-701-123-45-67', '+7 (701) 123-45-67'],
		['87011234567', '+7 (701) 123-45-67'],
		['8 (701) 123-45-67', '+7 (701) 123-45-67'],
		['77011234567', '+7 (701) 123-45-67'],
		['+1 (212) 555-01-23', '+1 (212) 555-01-23'],
	])('%s → %s', (input, output) => {
		expect(toVendorPhone(input)).toBe(output);
	});

	it.each([
		'+7 701 12',
		'+770112345678',
		'7011234567',
		'97011234567',
		'+7 (701) 123-45-6x',
		'++77011234567',
		'7+7011234567',
		'phone',
		'',
	])('rejects %j', (input) => {
		expect(toVendorPhone(input)).toBeUndefined();
	});
});
