import type { IExecuteFunctions } from 'n8n-workflow';
import {
	RESUME_PROOF_PARAMETER,
	executionCustomData,
	maskResumeSecrets,
	provenResumeUrl,
	reserveCustomData,
	resumeProof,
	withResumeProof,
} from '../../../nodes/shared/resume';

const RESUME_URL = 'http://127.0.0.1:5678/webhook-waiting/42';

/** An execute context as each n8n line offers it: `customData` on the context, or only in `$execution`. */
function executeContext(api: 'native' | 'expression' | 'none', resumeUrl = RESUME_URL) {
	const data: Record<string, string> = {};
	const customData = {
		get: (key: string) => data[key],
		set: (key: string, value: string) => {
			// n8n keeps at most 10 keys and drops new ones beyond that outside manual runs.
			if (key in data || Object.keys(data).length < 10) data[key] = value;
		},
	};
	const ctx = {
		...(api === 'native' ? { customData } : {}),
		getExecutionId: () => '42',
		getNode: () => ({ name: 'Send and wait' }),
		getWorkflowDataProxy: () => ({
			$execution: { resumeUrl, ...(api === 'expression' ? { customData } : {}) },
		}),
	};
	return { ctx: ctx as unknown as IExecuteFunctions, data };
}

describe('resume proof', () => {
	it('is bound to the key, the vendor and the execution', () => {
		const proof = resumeProof('key', 'dokobit', '42');
		expect(proof).toMatch(/^[0-9a-f]{64}$/);
		expect(resumeProof('key', 'dokobit', '43')).not.toBe(proof);
		expect(resumeProof('key', 'okdokument', '42')).not.toBe(proof);
		expect(resumeProof('other', 'dokobit', '42')).not.toBe(proof);
	});

	it('is added to the resume URL, keeping n8n’s own signature', () => {
		const { ctx } = executeContext('native', `${RESUME_URL}?signature=abc`);
		const url = new URL(provenResumeUrl(ctx, 'key', 'okdokument', { ref: 'r1' }));
		expect(url.searchParams.get('signature')).toBe('abc');
		expect(url.searchParams.get('ref')).toBe('r1');
		expect(url.searchParams.get(RESUME_PROOF_PARAMETER)).toBe(
			resumeProof('key', 'okdokument', '42'),
		);
	});

	it('is added to a callback URL only when it is this execution’s resume URL', () => {
		const { ctx } = executeContext('native');
		const proven = new URL(withResumeProof(ctx, `${RESUME_URL}?x=1`, 'key', 'dokobit'));
		expect(proven.searchParams.get('x')).toBe('1');
		expect(proven.searchParams.get(RESUME_PROOF_PARAMETER)).toBe(
			resumeProof('key', 'dokobit', '42'),
		);
		for (const other of [
			'https://hooks.example.com/webhook-waiting/42',
			'http://127.0.0.1:5678/webhook-waiting/43',
			'http://127.0.0.1:5678/webhook/abc/webhook',
			'not a url',
		]) {
			expect(withResumeProof(ctx, other, 'key', 'dokobit')).toBe(other);
		}
	});

	it('is masked, with n8n’s signature, in URLs meant for output', () => {
		expect(maskResumeSecrets(`${RESUME_URL}?signature=abc&${RESUME_PROOF_PARAMETER}=def&x=1`)).toBe(
			`${RESUME_URL}?signature=***&${RESUME_PROOF_PARAMETER}=***&x=1`,
		);
		expect(maskResumeSecrets('https://hooks.example.com/x?y=1')).toBe(
			'https://hooks.example.com/x?y=1',
		);
	});
});

describe('execution custom data on every n8n line', () => {
	it.each(['native', 'expression'] as const)('reads and writes through the %s API', (api) => {
		const { ctx, data } = executeContext(api);
		reserveCustomData(ctx, ['a']).set('a', 'token-1');
		expect(data).toEqual({ a: 'token-1' });
		expect(executionCustomData(ctx).get('a')).toBe('token-1');
	});

	it('refuses, naming the minimum n8n, where the host has neither', () => {
		const { ctx } = executeContext('none');
		expect(() => executionCustomData(ctx)).toThrow(
			expect.objectContaining({ description: 'Send and Wait needs n8n 1.123 or newer.' }),
		);
	});

	it('refuses before anything is sent when all ten keys are taken', () => {
		const { ctx } = executeContext('native');
		const data = executionCustomData(ctx);
		for (let i = 0; i < 10; i++) data.set(`user${i}`, 'x');
		expect(() => reserveCustomData(ctx, ['a'])).toThrow(
			'This execution cannot record what it waits for',
		);
	});
});
