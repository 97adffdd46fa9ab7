import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import * as file from './actions/file';
import { router } from './actions/router';
import * as signing from './actions/signing';

export class DokobitGateway implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dokobit Documents Gateway',
		name: 'dokobitGateway',
		icon: { light: 'file:dokobit.svg', dark: 'file:dokobit.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Qualified e-signatures with Smart-ID, Mobile-ID and ID cards through Dokobit Documents Gateway',
		defaults: { name: 'Dokobit Documents Gateway' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dokobitGatewayApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'signing',
				options: [
					{ name: 'File', value: 'file' },
					{ name: 'Signing', value: 'signing' },
				],
			},
			...file.description,
			...signing.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
