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

/** Container type and file of one item, as G4 and G5 take them: base64 content plus its digest. */
export async function readSignedFile(ctx: IExecuteFunctions, itemIndex: number) {
	const type = requireOneOf(
		ctx,
		itemIndex,
		'Container Type',
		ctx.getNodeParameter('containerType', itemIndex),
		SIGNING_TYPES,
	);
	const file = await resolveFileInput(ctx, itemIndex);
	if (file.bytes.length === 0) throw invalidField(ctx, itemIndex, 'File', 'is empty');
	return {
		file,
		body: {
			type,
			file: {
				name: file.fileName,
				content: file.bytes.toString('base64'),
				digest: sha256Hex(file.bytes),
			},
		},
	};
}

/** G4: reads the signature structure of a signed file. Read-only on the Gateway side. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const { file, body } = await readSignedFile(this, itemIndex);
	const result = await dokobitApiRequest.call(this, 'POST', '/api/file/check.json', {
		body,
		itemIndex,
		idempotent: true,
	});
	return { json: { fileName: file.fileName, ...result }, pairedItem: { item: itemIndex } };
}
