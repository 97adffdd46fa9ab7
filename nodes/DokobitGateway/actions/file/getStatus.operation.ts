import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { getUploadStatus } from '../../transport';
import { fileTokenProperty, readToken } from '../common';

const properties: INodeProperties[] = [fileTokenProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['file'], operation: ['getStatus'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const token = readToken(this, itemIndex, 'fileToken', 'File Token');
	const status = await getUploadStatus.call(this, token, itemIndex);
	return { json: { token, ...status }, pairedItem: { item: itemIndex } };
}
