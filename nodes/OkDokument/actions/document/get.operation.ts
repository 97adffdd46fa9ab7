import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { documentOutput } from '../../helpers/output';
import { fetchDocumentMetadata } from '../../transport';
import { documentIdProperty, readDocumentId } from '../common';

const properties: INodeProperties[] = [documentIdProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['get'] } },
	properties,
);

/** `GET /JSON/document/metadata/{id}`: file name, state (tosign, signed, canceled…) and times. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const documentId = readDocumentId(this, itemIndex);
	const metadata = await fetchDocumentMetadata.call(this, documentId, itemIndex);
	return { json: documentOutput(metadata), pairedItem: { item: itemIndex } };
}
