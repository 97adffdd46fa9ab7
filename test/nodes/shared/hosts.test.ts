import { hostTable } from '../../../nodes/shared/hosts';
import { retryPolicyOf } from '../../../nodes/shared/retry';
import { messageAndErrors } from '../../../nodes/shared/apiError';

const table = hostTable({
	field: 'region',
	displayName: 'Region',
	default: 'eu',
	hosts: {
		eu: { name: 'EU', url: 'https://eu.example.com' },
		us: { name: 'US', url: 'https://us.example.com' },
		test: { name: 'Test', url: 'https://test.example.com' },
	},
	placeholder: 'e.g. http://127.0.0.1:4100',
});

describe('hostTable', () => {
	it('gives the base URL of the chosen host, the default for an empty or unknown one', () => {
		expect(table.baseUrl({ region: 'us' })).toBe('https://us.example.com');
		expect(table.baseUrl({})).toBe('https://eu.example.com');
		expect(table.baseUrl({ region: 'toString' })).toBe('https://eu.example.com');
		expect(table.baseUrl({ region: 'custom', baseUrl: 'http://127.0.0.1:4100//' })).toBe(
			'http://127.0.0.1:4100',
		);
	});

	it('writes the same choice as an n8n expression, the default last', () => {
		expect(table.expression).toBe(
			'={{$credentials.region === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : ' +
				'($credentials.region === "us" ? "https://us.example.com" : ' +
				'$credentials.region === "test" ? "https://test.example.com" : "https://eu.example.com")}}',
		);
	});

	it('offers every host plus Custom Base URL, and the Base URL field only for custom', () => {
		const [choice, baseUrl] = table.properties();
		expect(choice).toMatchObject({ name: 'region', type: 'options', default: 'eu' });
		expect(choice.options?.map((option) => ('value' in option ? option.value : ''))).toEqual([
			'eu',
			'us',
			'test',
			'custom',
		]);
		expect(baseUrl.displayOptions).toEqual({ show: { region: ['custom'] } });
		expect(table.properties()[0]).not.toBe(choice);
	});
});

describe('retryPolicyOf', () => {
	it('polls at 0.5 s, doubling, capped at 5 s unless the vendor says otherwise', () => {
		const policy = retryPolicyOf({});
		expect([0, 1, 2, 3, 4, 5].map((attempt) => policy.pollDelayMs(attempt))).toEqual([
			500, 1000, 2000, 4000, 5000, 5000,
		]);
		expect(retryPolicyOf({ retry: { maxRetries: 1 } })).toMatchObject({
			maxRetries: 1,
			maxTimeoutRetries: 1,
		});
	});
});

describe('messageAndErrors', () => {
	const body = {
		message: 'Invalid',
		errors: ['one', { field: 'name', message: 'missing' }],
	};

	it('reads string entries, and {field, message} entries when asked', () => {
		expect(messageAndErrors(body)).toBe('Invalid; one');
		expect(messageAndErrors(body, { objectEntries: true })).toBe('Invalid; one; name: missing');
	});

	it('leaves a blank message out unless asked to keep it', () => {
		expect(messageAndErrors({ message: ' ' })).toBeUndefined();
		expect(messageAndErrors({ message: '' }, { keepBlankMessage: true })).toBe('');
		expect(messageAndErrors(JSON.stringify({ errors: { a: ['x', 'y'] } }))).toBe('a: x y');
	});
});
