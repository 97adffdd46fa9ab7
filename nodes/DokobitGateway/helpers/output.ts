import type { IDataObject } from 'n8n-workflow';
import { signingPageUrl } from '../transport';
import type { SigningStatus } from './types';

/** Signer id → token map as a list with a ready signing page URL per signer. */
export function signerLinks(
	baseUrl: string,
	signingToken: string,
	signers: Record<string, string> | undefined,
): IDataObject[] {
	return Object.entries(signers ?? {}).map(([id, token]) => ({
		id,
		token,
		signingUrl: signingPageUrl(baseUrl, signingToken, token),
	}));
}

/**
 * G9 keys `signers` by signer id (SDK test); the vendor guide shows it keyed by signer token.
 * Either way the key comes out as `id` here (inferred; see vendor-apis §2.7).
 */
export function statusOutput(signingToken: string, status: SigningStatus): IDataObject {
	const signers = Object.entries(status.signers ?? {}).map(([id, signer]) => ({ id, ...signer }));
	return {
		token: signingToken,
		status: status.status,
		completed: status.status === 'completed' || status.status === 'archived',
		signers,
		signedCount: signers.filter((signer) => signer.status === 'signed').length,
		file: status.file ?? null,
		file_digest: status.file_digest ?? null,
		valid_to: status.valid_to ?? null,
		structure: (status.structure ?? null) as IDataObject | null,
	};
}
