import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import {
	RESUME_PROOF_PARAMETER,
	executionCustomData,
	maskResumeSecrets,
	RESUME_DIGESTS_KEY,
	hasResumeProof,
	legacyResumeProof,
	proofDigest,
	provenResumeUrl,
	reserveCustomData,
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

/** A resume call's context: its query, and the waiting execution's custom data. */
function webhookContext(query: Record<string, unknown>, data: Record<string, string>) {
	return {
		customData: { get: (key: string) => data[key], set: () => undefined },
		getQueryData: () => query,
		getExecutionId: () => '42',
	} as unknown as IWebhookFunctions;
}

const noLegacyKey = async () => '';

describe('resume proof', () => {
	it('is random, independent of any key, and only its digest is kept', () => {
		const { ctx, data } = executeContext('native', `${RESUME_URL}?signature=abc`);
		const url = new URL(provenResumeUrl(ctx, { ref: 'r1' }));
		const proof = url.searchParams.get(RESUME_PROOF_PARAMETER) ?? '';
		expect(proof).toMatch(/^[0-9a-f]{64}$/);
		expect(url.searchParams.get('signature')).toBe('abc');
		expect(url.searchParams.get('ref')).toBe('r1');
		expect(data[RESUME_DIGESTS_KEY]).toBe(proofDigest(proof));
		expect(JSON.stringify(data)).not.toContain(proof);
		const again = executeContext('native');
		expect(new URL(provenResumeUrl(again.ctx)).searchParams.get(RESUME_PROOF_PARAMETER)).not.toBe(
			proof,
		);
	});

	it('is recorded through $execution.customData where the context has no customData', () => {
		const { ctx, data } = executeContext('expression');
		const proof = new URL(provenResumeUrl(ctx)).searchParams.get(RESUME_PROOF_PARAMETER) ?? '';
		expect(data[RESUME_DIGESTS_KEY]).toBe(proofDigest(proof));
	});

	it('is shared by every item of one node run and kept for each further run', () => {
		const { ctx, data } = executeContext('native');
		const first = withResumeProof(ctx, `${RESUME_URL}?x=1`);
		expect(withResumeProof(ctx, `${RESUME_URL}?x=2`)).toBe(first.replace('x=1', 'x=2'));
		const nextRun = { ...ctx } as IExecuteFunctions;
		withResumeProof(nextRun, RESUME_URL);
		expect(data[RESUME_DIGESTS_KEY].split(',')).toHaveLength(2);
	});

	it('refuses to hand out a URL it cannot record, before anything is sent', () => {
		const { ctx, data } = executeContext('native');
		for (let key = 0; key < 10; key++) data[`user${key}`] = 'x';
		expect(() => provenResumeUrl(ctx)).toThrow('cannot record another resume URL');
		const full = executeContext('native');
		for (let run = 0; run < 7; run++) provenResumeUrl({ ...full.ctx } as IExecuteFunctions);
		expect(() => provenResumeUrl({ ...full.ctx } as IExecuteFunctions)).toThrow(
			'cannot record another resume URL',
		);
	});

	it('is added to a callback URL only when it is this execution’s resume URL', () => {
		const { ctx } = executeContext('native');
		const proven = new URL(withResumeProof(ctx, `${RESUME_URL}?x=1`));
		expect(proven.searchParams.get('x')).toBe('1');
		expect(proven.searchParams.get(RESUME_PROOF_PARAMETER)).toMatch(/^[0-9a-f]{64}$/);
		for (const other of [
			'https://hooks.example.com/webhook-waiting/42',
			'http://127.0.0.1:5678/webhook-waiting/43',
			'http://127.0.0.1:5678/webhook/abc/webhook',
			'not a url',
		]) {
			expect(withResumeProof(executeContext('native').ctx, other)).toBe(other);
		}
	});

	it('is accepted by digest, whatever happened to the credential since', async () => {
		const { ctx, data } = executeContext('native');
		const proof = new URL(provenResumeUrl(ctx)).searchParams.get(RESUME_PROOF_PARAMETER) ?? '';
		const rotatedKey = async () => 'a-new-key';
		await expect(
			hasResumeProof(
				webhookContext({ [RESUME_PROOF_PARAMETER]: proof }, data),
				'dokobit',
				rotatedKey,
			),
		).resolves.toBe(true);
		for (const forged of [
			'',
			'0'.repeat(64),
			proof.slice(1),
			legacyResumeProof('a-new-key', 'dokobit', '42'),
		]) {
			await expect(
				hasResumeProof(
					webhookContext({ [RESUME_PROOF_PARAMETER]: forged }, data),
					'dokobit',
					rotatedKey,
				),
			).resolves.toBe(false);
		}
		await expect(
			hasResumeProof(
				webhookContext({ [RESUME_PROOF_PARAMETER]: [proof, proof] }, data),
				'dokobit',
				rotatedKey,
			),
		).resolves.toBe(false);
	});

	it('still accepts the credential-keyed proof of a wait that went out before random proofs', async () => {
		const legacy = legacyResumeProof('key', 'dokobit', '42');
		expect(legacy).toMatch(/^[0-9a-f]{64}$/);
		expect(legacyResumeProof('key', 'dokobit', '43')).not.toBe(legacy);
		expect(legacyResumeProof('key', 'okdokument', '42')).not.toBe(legacy);
		const before = webhookContext({ [RESUME_PROOF_PARAMETER]: legacy }, {});
		await expect(hasResumeProof(before, 'dokobit', async () => 'key')).resolves.toBe(true);
		await expect(hasResumeProof(before, 'dokobit', async () => 'other')).resolves.toBe(false);
		await expect(hasResumeProof(before, 'dokobit', noLegacyKey)).resolves.toBe(false);
		// Once a digest is recorded, the old proof no longer counts.
		const after = webhookContext(
			{ [RESUME_PROOF_PARAMETER]: legacy },
			{ [RESUME_DIGESTS_KEY]: proofDigest('x') },
		);
		await expect(hasResumeProof(after, 'dokobit', async () => 'key')).resolves.toBe(false);
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
