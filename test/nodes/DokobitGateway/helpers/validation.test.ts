import {
	DIGEST,
	PERSONAL_CODE,
	PHONE,
	TOKEN,
} from '../../../../nodes/DokobitGateway/helpers/validation';

describe('PERSONAL_CODE', () => {
	it.each([
		['50001018865', 'official example (LT, born 2000)'],
		['60001019906', 'official example (LT, born 2000)'],
		['11412090004', 'the Gateway test code'],
		['38501011234', 'LT/EE, born 1985'],
		['49912319999', 'December, last day'],
		['010190-123A', 'FI, hyphen century sign'],
		['010190+1234', 'FI, plus century sign'],
		['010100A1234', 'FI, A century sign'],
		['010105B123X', 'FI, century sign B (since 2023)'],
		['010190Y1234', 'FI, century sign Y (since 2023)'],
	])('accepts %s (%s)', (code) => {
		expect(PERSONAL_CODE.test(code)).toBe(true);
	});

	it.each([
		['5000101886', 'ten digits'],
		['500010188', 'nine digits'],
		['500010188651', 'twelve digits'],
		['50013018865', 'month 13'],
		['50000018865', 'month 00'],
		['20001018865', 'century digit 2'],
		['70001018865', 'century digit 7'],
		['011390-1234', 'FI month 13'],
		['010190/1234', 'FI with a slash (the SDK range [+-A] would admit it)'],
		['0101900123A', 'FI with a digit as century sign'],
		['010190:1234', 'FI with a colon (inside the SDK range)'],
		['010190G1234', 'FI with an unassigned century sign'],
		['010190-123G', 'FI with a letter never used as check character'],
		['010190-123a', 'FI with a lower-case check character'],
		['010190-12A4', 'FI with a letter inside the individual number'],
		['5000101886A', 'LT/EE with a trailing letter'],
		[' 50001018865', 'leading space'],
		['', 'empty'],
	])('refuses %s (%s)', (code) => {
		expect(PERSONAL_CODE.test(code)).toBe(false);
	});
});

describe('PHONE', () => {
	it.each([
		['+37060000666', 'LT mobile, official example'],
		['+3725555555', 'EE, 7 digits'],
		['+37255555555', 'EE, 8 digits'],
		['+358401234567', 'FI 40'],
		['+3584671234', 'FI 467'],
		['+358501234', 'FI 50, shortest'],
	])('accepts %s (%s)', (phone) => {
		expect(PHONE.test(phone)).toBe(true);
	});

	it.each([
		['+37000000766', 'the guide’s postback example, not a mobile number'],
		['+1555', 'US, short'],
		['+15555550100', 'US'],
		['37060000666', 'no plus'],
		['+3706000066', 'LT, one digit short'],
		['+370600006661', 'LT, one digit long'],
		['+372555555', 'EE, 6 digits'],
		['+372555555555', 'EE, 9 digits'],
		['+35840123', 'FI, too short'],
		['+3583012345', 'FI landline prefix'],
		['+370 600 00666', 'spaces'],
		['', 'empty'],
	])('refuses %s (%s)', (phone) => {
		expect(PHONE.test(phone)).toBe(false);
	});
});

describe('DIGEST', () => {
	it.each([
		['6256a099cd2a3d3606acc86e7eacbdcf4cd067db3a1d46930d77886d96fd226e', 'SHA-256'],
		['6256A099CD2A3D3606ACC86E7EACBDCF4CD067DB3A1D46930D77886D96FD226E', 'SHA-256 upper case'],
		['a50edb61f4bbdce166b752dbd3d3c434fb2de1ab', 'SHA-1'],
	])('accepts %s (%s)', (digest) => {
		expect(DIGEST.test(digest)).toBe(true);
	});

	it.each([
		['a50edb61f4bbdce166b752dbd3d3c434fb2de1a', '39 hex'],
		['6256a099cd2a3d3606acc86e7eacbdcf4cd067db3a1d46930d77886d96fd226', '63 hex'],
		['6256a099cd2a3d3606acc86e7eacbdcf4cd067db3a1d46930d77886d96fd226e0', '65 hex'],
		['z50edb61f4bbdce166b752dbd3d3c434fb2de1ab', 'non-hex character'],
		['d41d8cd98f00b204e9800998ecf8427e', 'MD5 length'],
		['', 'empty'],
	])('refuses %s (%s)', (digest) => {
		expect(DIGEST.test(digest)).toBe(false);
	});
});

describe('TOKEN', () => {
	it.each([['s0f3a9c'], ['abc-DEF_123.x~y']])('accepts %s', (token) => {
		expect(TOKEN.test(token)).toBe(true);
	});

	it.each([['a/b'], ['../x'], ['a?b=1'], ['a b'], ['a#b'], ['a%2Fb'], [''], ['x'.repeat(201)]])(
		'refuses %p',
		(token) => {
			expect(TOKEN.test(token)).toBe(false);
		},
	);
});
