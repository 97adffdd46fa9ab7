import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { fileSourceProperties, resolveFileContent } from '../../../shared/binary';
import { invalidField } from '../../../shared/validation';
import { uploadAndWait } from '../../helpers/upload';
import { maxWaitProperty } from '../common';

const show = { resource: ['file'], operation: ['upload'] };

const properties: INodeProperties[] = [
	...fileSourceProperties(),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [maxWaitProperty],
	},
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const file = await resolveFileContent(this, itemIndex);
	if (file.size === 0 && !file.sourceUrl) {
		throw invalidField(this, itemIndex, 'File', `"${file.fileName}" is empty`);
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as { maxWaitSeconds?: number };
	const uploaded = await uploadAndWait.call(this, itemIndex, file, options.maxWaitSeconds ?? 60);
	return { json: { ...uploaded }, pairedItem: { item: itemIndex } };
}
