import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { type OperationModule, requestConcurrency, route } from '../../shared/router';
import { answeringToolErrors, assertCanWait } from '../../shared/tool';
import * as file from './file';
import * as signing from './signing';

const operations: Record<string, OperationModule> = {
	'file:upload': file.upload,
	'file:getStatus': file.getStatus,
	'file:delete': file.delete,
	'file:check': file.check,
	'file:archive': file.archive,
	'signing:create': signing.create,
	'signing:addSigners': signing.addSigners,
	'signing:removeSigners': signing.removeSigners,
	'signing:getStatus': signing.getStatus,
	'signing:getSigningUrl': signing.getSigningUrl,
	'signing:download': signing.download,
	'signing:delete': signing.delete,
	'signing:archive': signing.archive,
	'signing:seal': signing.seal,
	'signing:createBatch': signing.createBatch,
};

/** Operations that pause the execution: one item in, resumed by the Gateway's postback. */
const waitOperations: Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>> =
	{
		'signing:createAndWait': signing.createAndWait.executeAndWait,
		'signing:waitForSignature': signing.waitForSignature.executeAndWait,
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
