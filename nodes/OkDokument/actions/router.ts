import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { type OperationModule, route } from '../../shared/router';
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

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route.call(this, operations);
}
