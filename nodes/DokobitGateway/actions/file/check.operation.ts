import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { fileSourceProperties, resolveFileInput } from '../../../shared/binary';
import { invalidField, requireOneOf } from '../../../shared/validation';
import { sha256Hex } from '../../helpers/upload';
import { SIGNING_TYPES } from '../../helpers/types';
import { dokobitApiRequest } from '../../transport';

export const containerTypeProperty: INodeProperties = {
	displayName: 'Container Type',
	name: 'containerType',
	type: 'options',
	default: 'pdf',
	options: SIGNING_TYPES.map((value) => ({ name: value, value })),
	description: 'The format of the signed file',
};

const properties: INodeProperties[] = [containerTypeProperty, ...fileSourceProperties()];

export const description = updateDisplayOptions(
	{ show: { resource: ['file'], operation: ['check'] } },
	properties,
);

/** G4: reads the signature structure of a signed file. Read-only on the Gateway side. */
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
	const result = await dokobitApiRequest.call(this, 'POST', '/api/file/check.json', {
		body: {
			type,
			file: {
				name: file.fileName,
				content: file.bytes.toString('base64'),
				digest: sha256Hex(file.bytes),
			},
		},
		itemIndex,
		idempotent: true,
	});
	return { json: { fileName: file.fileName, ...result }, pairedItem: { item: itemIndex } };
}
