import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { vendorMessageOutput } from '../../helpers/output';
import { documentPath, okDokumentApiRequest } from '../../transport';
import { documentIdProperty, readDocumentId } from '../common';

const properties: INodeProperties[] = [documentIdProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['delete'] } },
	properties,
);

/** `DELETE /JSON/document/{id}`: deletes the document and its signed versions from OKdokument. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const documentId = readDocumentId(this, itemIndex);
	const response = await okDokumentApiRequest.call(this, 'DELETE', documentPath(documentId), {
		itemIndex,
	});
	return {
		json: {
			documentId,
			deleted: true,
			...vendorMessageOutput(response),
		},
		pairedItem: { item: itemIndex },
	};
}
