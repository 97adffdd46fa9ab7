import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { type OperationModule, type WaitOperation, routeOperations } from '../../shared/router';
import * as document from './document';
import * as webhook from './webhook';

const operations: Record<string, OperationModule> = {
	'document:createSigningSession': document.createSigningSession,
	'document:downloadFiles': document.downloadFiles,
	'webhook:getTriggerUrl': webhook.getTriggerUrl,
};

/** Operations that pause the execution: one item in, resumed by Documentolog's webhook. */
const waitOperations: Record<string, WaitOperation> = {
	'document:createAndWait': document.createAndWait.executeAndWait,
};

export async function router(
	this: IExecuteFunctions,
	options: { continueOnFail?: boolean } = {},
): Promise<INodeExecutionData[][]> {
	return await routeOperations.call(this, operations, waitOperations, options);
}
