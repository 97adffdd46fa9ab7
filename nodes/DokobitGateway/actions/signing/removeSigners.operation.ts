import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { invalidField } from '../../../shared/validation';
import { dokobitApiRequest } from '../../transport';
import { readToken, signingTokenProperty } from '../common';

const properties: INodeProperties[] = [
	signingTokenProperty,
	{
		displayName: 'Signer IDs',
		name: 'signerIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 1, 2',
		description: 'Comma-separated IDs of the signers to remove',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['signing'], operation: ['removeSigners'] } },
	properties,
);

/** `POST /api/signing/{token}/removesigner.json`. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const token = readToken(this, itemIndex, 'signingToken', 'Signing Token');
	const raw = this.getNodeParameter('signerIds', itemIndex) as string | string[];
	const ids = (Array.isArray(raw) ? raw : String(raw).split(','))
		.map((id) => String(id).trim())
		.filter(Boolean);
	if (ids.length === 0)
		throw invalidField(this, itemIndex, 'Signer IDs', 'must list at least one signer ID');
	const result = await dokobitApiRequest.call(
		this,
		'POST',
		`/api/signing/${encodeURIComponent(token)}/removesigner.json`,
		{ body: { signers: ids.map((id) => ({ id })) }, itemIndex },
	);
	return { json: { token, removed: ids, ...result }, pairedItem: { item: itemIndex } };
}
