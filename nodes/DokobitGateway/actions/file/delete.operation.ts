import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { dokobitApiRequest } from '../../transport';
import { fileTokenProperty, readToken } from '../common';

const properties: INodeProperties[] = [fileTokenProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['file'], operation: ['delete'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const token = readToken(this, itemIndex, 'fileToken', 'File Token');
	// `POST /api/file/{fileToken}/delete.json`: the SDK sends the token in the body as well as in the
	// path.
	const result = await dokobitApiRequest.call(
		this,
		'POST',
		`/api/file/${encodeURIComponent(token)}/delete.json`,
		{ body: { token }, itemIndex, idempotent: true },
	);
	return { json: { token, deleted: true, ...result }, pairedItem: { item: itemIndex } };
}
