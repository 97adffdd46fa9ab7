import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { fileSourceProperties, mimeTypeForFileName } from '../../../shared/binary';
import { dokobitApiRequest } from '../../transport';
import { containerTypeProperty, readSignedFile } from './check.operation';

const properties: INodeProperties[] = [
	containerTypeProperty,
	...fileSourceProperties(),
	{
		displayName: 'Put Output File in Field',
		name: 'outputBinaryPropertyName',
		type: 'string',
		default: 'data',
		hint: 'The name of the output binary field for the archived (long-term validation) file',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['file'], operation: ['archive'] } },
	properties,
);

/**
 * `POST /api/archive.json`: adds long-term validation data to a signed file; the Gateway returns it
 * as base64.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const { file, body, headers } = await readSignedFile(this, itemIndex);
	const result = await dokobitApiRequest.call(this, 'POST', '/api/archive.json', {
		body,
		headers,
		itemIndex,
	});
	const { file: archived, ...rest } = result;
	const item: INodeExecutionData = {
		json: { fileName: file.fileName, ...rest },
		pairedItem: { item: itemIndex },
	};
	if (typeof archived === 'string' && archived) {
		const field = this.getNodeParameter('outputBinaryPropertyName', itemIndex, 'data') as string;
		item.binary = {
			[field || 'data']: await this.helpers.prepareBinaryData(
				Buffer.from(archived, 'base64'),
				file.fileName,
				mimeTypeForFileName(file.fileName, file.mimeType),
			),
		};
	}
	return item;
}
