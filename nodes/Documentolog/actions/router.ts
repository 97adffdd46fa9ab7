import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { type OperationModule, requestConcurrency, route } from '../../shared/router';
import { answeringToolErrors, assertCanWait } from '../../shared/tool';
import * as document from './document';
import * as webhook from './webhook';

const operations: Record<string, OperationModule> = {
	'document:createSigningSession': document.createSigningSession,
	'document:downloadFiles': document.downloadFiles,
	'webhook:getTriggerUrl': webhook.getTriggerUrl,
};

/** Operations that pause the execution: one item in, resumed by Documentolog's webhook. */
const waitOperations: Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>> =
	{
		'document:createAndWait': document.createAndWait.executeAndWait,
	};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await answeringToolErrors(this, async () => {
		const key = `${this.getNodeParameter('resource', 0) as string}:${this.getNodeParameter('operation', 0) as string}`;
		if (waitOperations[key]) {
			assertCanWait(this);
			return await waitOperations[key].call(this);
		}
		return await route.call(this, operations, { concurrency: requestConcurrency(this) });
	});
}
