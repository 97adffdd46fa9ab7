import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { dokobitApiRequest } from '../../transport';
import { readToken, signingTokenProperty } from '../common';

const properties: INodeProperties[] = [signingTokenProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['signing'], operation: ['delete'] } },
	properties,
);

/**
 * `POST /api/signing/{token}/delete.json`. Dokobit recommends deleting a signing once its file has
 * been downloaded.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const token = readToken(this, itemIndex, 'signingToken', 'Signing Token');
	const result = await dokobitApiRequest.call(
		this,
		'POST',
		`/api/signing/${encodeURIComponent(token)}/delete.json`,
		{ body: { token }, itemIndex, idempotent: true },
	);
	return { json: { token, deleted: true, ...result }, pairedItem: { item: itemIndex } };
}
