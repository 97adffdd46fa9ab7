// What every n8n version must do with a waiting execution's resume URL, checked the same way on
// each: the URL carries the package's random proof for this wait; every forged call is refused.
import {
	RESUME_PROOF_PARAMETER,
	type WaitingVendor,
	legacyResumeProof,
} from '../../nodes/shared/resume';
import { postJson } from './n8n';

/** Checks the URL a vendor was given is this execution's resume URL with the package's proof. */
export function expectProvenResumeUrl(
	resumeUrl: string,
	executionId: string,
	key: string,
	vendor: WaitingVendor,
): void {
	const url = new URL(resumeUrl);
	expect(url.pathname).toBe(`/webhook-waiting/${executionId}`);
	// A random capability, not derived from the credential: rotating the key cannot strand the wait.
	const proof = url.searchParams.get(RESUME_PROOF_PARAMETER);
	expect(proof).toMatch(/^[0-9a-f]{64}$/);
	expect(proof).not.toBe(legacyResumeProof(key, vendor, executionId));
}

/**
 * The calls an attacker who knows the execution id (or saw a resume URL of another execution) can
 * make. n8n from 2.14 refuses some itself (401 for its own missing signature); the node refuses the
 * rest (401 for a missing or wrong proof): on every version, each one is a 401.
 */
export function forgedResumeUrls(
	resumeUrl: string,
	executionId: string,
	key: string,
	vendor: WaitingVendor,
): Array<[string, string]> {
	const real = new URL(resumeUrl);
	const bare = new URL(real.href);
	bare.search = '';
	for (const [name, value] of real.searchParams) {
		if (name !== 'signature' && name !== RESUME_PROOF_PARAMETER) bare.searchParams.set(name, value);
	}
	const without = new URL(real.href);
	without.searchParams.delete(RESUME_PROOF_PARAMETER);
	const wrong = new URL(real.href);
	wrong.searchParams.set(RESUME_PROOF_PARAMETER, '0'.repeat(64));
	const otherExecution = new URL(real.href);
	otherExecution.searchParams.set(
		RESUME_PROOF_PARAMETER,
		legacyResumeProof(key, vendor, `${Number(executionId) + 1}`),
	);
	const keyed = new URL(real.href);
	keyed.searchParams.set(RESUME_PROOF_PARAMETER, legacyResumeProof(key, vendor, executionId));
	return [
		['the execution id alone', bare.href],
		['no proof', without.href],
		['a wrong proof', wrong.href],
		['the proof of another execution', otherExecution.href],
		['the credential-keyed proof older waits carried', keyed.href],
	];
}

/** Sends `body` to every forged variant of the resume URL; returns what each was answered. */
export async function forgeResumeCalls(
	resumeUrl: string,
	executionId: string,
	key: string,
	vendor: WaitingVendor,
	body: unknown,
): Promise<Record<string, number>> {
	const answers: Record<string, number> = {};
	for (const [what, url] of forgedResumeUrls(resumeUrl, executionId, key, vendor)) {
		answers[what] = (await postJson(url, body)).status;
	}
	return answers;
}

/** `forgeResumeCalls`'s answers when every forged call is refused. */
export function allRefused(answers: Record<string, number>): Record<string, number> {
	return Object.fromEntries(Object.keys(answers).map((what) => [what, 401]));
}
