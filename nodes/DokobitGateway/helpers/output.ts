import type { IDataObject } from 'n8n-workflow';
import { signingPageUrl } from '../transport';
import type { SigningStatus } from './types';

/**
 * Signer id → token map as a list with a ready signing page URL per signer. A JSON object puts
 * integer-like keys ("7") before the others, so the Gateway's map loses the request's order; ids
 * listed in `order` come first, in that order, then any others.
 */
export function signerLinks(
	baseUrl: string,
	signingToken: string,
	signers: Record<string, string> | undefined,
	order: readonly string[] = [],
): IDataObject[] {
	const map = signers ?? {};
	const known = order.filter((id) => Object.prototype.hasOwnProperty.call(map, id));
	const ids = [...new Set([...known, ...Object.keys(map)])];
	return ids.map((id) => ({
		id,
		token: map[id],
		signingUrl: signingPageUrl(baseUrl, signingToken, map[id]),
	}));
}

/**
 * `GET /api/signing/{token}/status.json` keys `signers` by signer id (SDK test); the vendor guide
 * shows it keyed by signer token. Either way the key comes out as `id` here (inferred;
 * docs/vendor-apis.md › Dokobit Documents Gateway › `GET /api/signing/{token}/status.json`).
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
