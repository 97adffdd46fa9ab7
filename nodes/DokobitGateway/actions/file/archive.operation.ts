import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { fileSourceProperties, resolveFileInput } from '../../../shared/binary';
import { invalidField, requireOneOf } from '../../../shared/validation';
import { sha256Hex } from '../../helpers/upload';
import { SIGNING_TYPES } from '../../helpers/types';
import { dokobitApiRequest } from '../../transport';
import { containerTypeProperty } from './check.operation';

const properties: INodeProperties[] = [containerTypeProperty, ...fileSourceProperties()];

export const description = updateDisplayOptions(
	{ show: { resource: ['file'], operation: ['archive'] } },
	properties,
);

/** G5: adds long-term validation data to a signed file. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const type = requireOneOf(
		this,
		itemIndex,
		'Container Type',
		this.getNodeParameter('containerType', itemIndex),
		SIGNING_TYPES,
	);
	const file = await resolveFileInput(this, itemIndex);
	if (file.bytes.length === 0) throw invalidField(this, itemIndex, 'File', 'is empty');
	const result = await dokobitApiRequest.call(this, 'POST', '/api/archive.json', {
		body: {
			type,
			file: {
				name: file.fileName,
				content: file.bytes.toString('base64'),
				digest: sha256Hex(file.bytes),
			},
		},
		itemIndex,
	});
	return { json: { fileName: file.fileName, ...result }, pairedItem: { item: itemIndex } };
}
