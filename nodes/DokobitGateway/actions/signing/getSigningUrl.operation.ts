import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { credentialBaseUrl, fetchSigningStatus, signingPageUrl } from '../../transport';
import { readToken, signingTokenProperty } from '../common';

const properties: INodeProperties[] = [
	signingTokenProperty,
	{
		displayName: 'Signer Token',
		name: 'signerToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		description:
			'The signer’s access token, from the signers list of Create Signing or Add Signers',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['signing'], operation: ['getSigningUrl'] } },
	properties,
);

/**
 * The Gateway has no call that returns a signer's page; the URL is built from the two tokens
 * (SDK `Client::getSigningUrl`). The status read confirms the signing still exists.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const token = readToken(this, itemIndex, 'signingToken', 'Signing Token');
	const signerToken = readToken(this, itemIndex, 'signerToken', 'Signer Token');
	const status = await fetchSigningStatus.call(this, token, itemIndex);
	return {
		json: {
			token,
			status: status.status,
			signingUrl: signingPageUrl(await credentialBaseUrl.call(this), token, signerToken),
		},
		pairedItem: { item: itemIndex },
	};
}
