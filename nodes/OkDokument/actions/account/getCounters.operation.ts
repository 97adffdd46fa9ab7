import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { countersOutput } from '../../helpers/output';
import { isCounters } from '../../helpers/types';
import { okDokumentApiRequest } from '../../transport';

const properties: INodeProperties[] = [];

export const description = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['getCounters'] } },
	properties,
);

/**
 * `GET /JSON/counter`: stored files, downloads, deletions and signature requests used and still
 * available.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const counters = await okDokumentApiRequest.call(this, 'GET', '/JSON/counter', { itemIndex });
	if (!isCounters(counters)) {
		throw new NodeOperationError(this.getNode(), 'OKdokument returned unreadable counters', {
			itemIndex,
		});
	}
	return { json: countersOutput(counters), pairedItem: { item: itemIndex } };
}
