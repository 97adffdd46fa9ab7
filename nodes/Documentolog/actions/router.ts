import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { type OperationModule, route } from '../../shared/router';
import * as document from './document';
import * as webhook from './webhook';

const operations: Record<string, OperationModule> = {
	'document:createSigningSession': document.createSigningSession,
	'document:downloadFiles': document.downloadFiles,
	'webhook:getTriggerUrl': webhook.getTriggerUrl,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await route.call(this, operations);
}
