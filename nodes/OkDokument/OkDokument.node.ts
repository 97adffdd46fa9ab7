import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import * as account from './actions/account';
import * as document from './actions/document';
import { router } from './actions/router';
import * as signatureRequest from './actions/signatureRequest';

export class OkDokument implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OKdokument',
		name: 'okDokument',
		icon: { light: 'file:okdokument.svg', dark: 'file:okdokument.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Send documents for e-signature in the browser with OKdokument: OTP, e-mail delivery, multi-round signing',
		defaults: { name: 'OKdokument' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'okDokumentApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'signatureRequest',
				options: [
					{ name: 'Account', value: 'account' },
					{ name: 'Document', value: 'document' },
					{ name: 'Signature Request', value: 'signatureRequest' },
				],
			},
			...signatureRequest.description,
			...document.description,
			...account.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
