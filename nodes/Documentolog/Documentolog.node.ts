import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import * as document from './actions/document';
import { router } from './actions/router';
import * as webhook from './actions/webhook';
import { documentologApiTest } from './helpers/credentialTest';

export class Documentolog implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Documentolog',
		name: 'documentolog',
		icon: { light: 'file:documentolog.svg', dark: 'file:documentolog.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Sign documents with EDS, eGov QR, SMS or Adobe Sign through Documentolog (Kazakhstan)',
		defaults: { name: 'Documentolog' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'documentologApi', required: true, testedBy: 'documentologApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'document',
				options: [
					{ name: 'Document', value: 'document' },
					{ name: 'Webhook', value: 'webhook' },
				],
			},
			...document.description,
			...webhook.description,
		],
	};

	methods = { credentialTest: { documentologApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
