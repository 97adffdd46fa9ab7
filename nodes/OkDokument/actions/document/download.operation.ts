import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { requireText } from '../../../shared/validation';
import { fetchDocumentMetadata, okDokumentDownload } from '../../transport';
import { documentIdProperty, readDocumentId } from '../common';

const properties: INodeProperties[] = [
	documentIdProperty,
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
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
				description: 'Overrides the name OKdokument has on file',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['download'] } },
	properties,
);

/**
 * `GET /JSON/document/metadata/{id}` then `GET /JSON/document/{id}`: the metadata gives the stored
 * file name and tells whether this is the signed version; the file itself is streamed into n8n's
 * binary store.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const documentId = readDocumentId(this, itemIndex);
	const field = requireText(
		this,
		itemIndex,
		'Put Output File in Field',
		this.getNodeParameter('binaryPropertyName', itemIndex),
	);
	const options = this.getNodeParameter('options', itemIndex, {}) as { fileName?: string };
	const metadata = await fetchDocumentMetadata.call(this, documentId, itemIndex);
	const file = await okDokumentDownload.call(this, documentId, {
		fileName: options.fileName,
		storedName: metadata.filename,
		itemIndex,
	});
	return {
		json: {
			documentId,
			state: metadata.state,
			signed: metadata.state === 'signed',
			fileName: file.fileName,
			mimeType: file.mimeType,
			fileSize: file.fileSize,
		},
		binary: { [field]: file },
		pairedItem: { item: itemIndex },
	};
}
