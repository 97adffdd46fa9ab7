import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { statusOutput } from '../../helpers/output';
import { fetchSigningStatus } from '../../transport';
import { readToken, signingTokenProperty } from '../common';

const properties: INodeProperties[] = [signingTokenProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['signing'], operation: ['getStatus'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const token = readToken(this, itemIndex, 'signingToken', 'Signing Token');
	const status = await fetchSigningStatus.call(this, token, itemIndex);
	return { json: statusOutput(token, status), pairedItem: { item: itemIndex } };
}
