import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { type OperationModule, type WaitOperation, routeOperations } from '../../shared/router';
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
const waitOperations: Record<string, WaitOperation> = {
	'signatureRequest:createAndWait': signatureRequest.createAndWait.executeAndWait,
	'signatureRequest:waitForSignature': signatureRequest.waitForSignature.executeAndWait,
};

export async function router(
	this: IExecuteFunctions,
	options: { continueOnFail?: boolean } = {},
): Promise<INodeExecutionData[][]> {
	return await routeOperations.call(this, operations, waitOperations, options);
}
