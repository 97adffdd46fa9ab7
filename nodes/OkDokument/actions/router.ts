import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { type OperationModule, requestConcurrency, route } from '../../shared/router';
import { answeringToolErrors, assertCanWait } from '../../shared/tool';
import * as account from './account';
import * as document from './document';
import * as signatureRequest from './signatureRequest';

const operations: Record<string, OperationModule> = {
	'signatureRequest:create': signatureRequest.create,
	'signatureRequest:update': signatureRequest.update,
	'signatureRequest:delete': signatureRequest.delete,
	'document:upload': document.upload,
	'document:get': document.get,
	'document:download': document.download,
	'document:delete': document.delete,
	'document:getAll': document.getAll,
	'account:getCounters': account.getCounters,
};

/** Operations that pause the execution: one item in, resumed by OKdokument's callback. */
const waitOperations: Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>> =
	{
		'signatureRequest:createAndWait': signatureRequest.createAndWait.executeAndWait,
		'signatureRequest:waitForSignature': signatureRequest.waitForSignature.executeAndWait,
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
