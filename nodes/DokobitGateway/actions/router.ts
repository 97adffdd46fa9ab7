import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { type OperationModule, type WaitOperation, routeOperations } from '../../shared/router';
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
const waitOperations: Record<string, WaitOperation> = {
	'signing:createAndWait': signing.createAndWait.executeAndWait,
	'signing:waitForSignature': signing.waitForSignature.executeAndWait,
};

export async function router(
	this: IExecuteFunctions,
	options: { continueOnFail?: boolean } = {},
): Promise<INodeExecutionData[][]> {
	return await routeOperations.call(this, operations, waitOperations, options);
}
