import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { requireText } from '../../../shared/validation';
import { dokobitDownloadSigned } from '../../transport';
import { readToken, signingTokenProperty } from '../common';

const properties: INodeProperties[] = [
	signingTokenProperty,
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the signed file in',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				description: 'Overrides the name the Gateway gives the signed file',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['signing'], operation: ['download'] } },
	properties,
);

/** `GET /api/signing/{token}/download`: streams the signed file into n8n's binary store. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const token = readToken(this, itemIndex, 'signingToken', 'Signing Token');
	const field = requireText(
		this,
		itemIndex,
		'Put Output File in Field',
		this.getNodeParameter('binaryPropertyName', itemIndex),
	);
	const options = this.getNodeParameter('options', itemIndex, {}) as { fileName?: string };
	const file = await dokobitDownloadSigned.call(this, token, {
		fileName: options.fileName,
		itemIndex,
	});
	return {
		json: { token, fileName: file.fileName, mimeType: file.mimeType, fileSize: file.fileSize },
		binary: { [field]: file },
		pairedItem: { item: itemIndex },
	};
}
