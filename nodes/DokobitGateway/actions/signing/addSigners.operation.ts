import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { signerLinks } from '../../helpers/output';
import { legallyBindingNotice } from '../../../shared/notices';
import { readSigners } from '../../helpers/readSigners';
import { signerProperties } from '../../helpers/signerFields';
import { isObject } from '../../../shared/validation';
import { credentialBaseUrl, dokobitApiRequest } from '../../transport';
import { readToken, signingTokenProperty } from '../common';

const properties: INodeProperties[] = [
	legallyBindingNotice('This sends a legally binding signing request to the added signers.'),
	signingTokenProperty,
	...signerProperties(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['signing'], operation: ['addSigners'] } },
	properties,
);

/**
 * `POST /api/signing/{token}/addsigner.json`. The answer lists every signer of the signing, the
 * earlier ones included.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const token = readToken(this, itemIndex, 'signingToken', 'Signing Token');
	const signers = readSigners(this, itemIndex, { required: true });
	const result = await dokobitApiRequest.call(
		this,
		'POST',
		`/api/signing/${encodeURIComponent(token)}/addsigner.json`,
		{ body: { signers }, itemIndex },
	);
	const map = isObject(result.signers) ? (result.signers as Record<string, string>) : undefined;
	return {
		json: {
			token,
			status: result.status,
			added: signers.map((signer) => signer.id),
			signers: signerLinks(await credentialBaseUrl.call(this), token, map),
		},
		pairedItem: { item: itemIndex },
	};
}
