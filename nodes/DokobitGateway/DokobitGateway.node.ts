import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { requestConcurrencyProperty } from '../shared/router';
import { toolDescriptionProperties } from '../shared/tool';
import { unregisteredWebhookMethods } from '../shared/webhook';
import * as file from './actions/file';
import { router } from './actions/router';
import * as signing from './actions/signing';
import { VENDOR_DESCRIPTION } from './helpers/description';
import { resumeOnTerminal } from './helpers/wait';

// Every resource's operation selector and parameters.
const resourceParameters = [...file.description, ...signing.description];

export class DokobitGateway implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dokobit Documents Gateway',
		name: 'dokobitGateway',
		icon: { light: 'file:dokobit.svg', dark: 'file:dokobit.dark.svg' },
		group: ['output'],
		// 1.1: the signer block puts the required fields first and the rest under Additional Fields.
		version: [1, 1.1],
		defaultVersion: 1.1,
		// The operation and resource in words (operations.test.ts keeps the map in step with the options).
		subtitle:
			'={{ {"file:archive":"Archive: File","file:check":"Check: File","file:delete":"Delete: File","file:getStatus":"Get Upload Status: File","file:upload":"Upload: File","signing:addSigners":"Add Signers: Signing","signing:archive":"Archive: Signing","signing:create":"Create: Signing","signing:createBatch":"Create Batch: Signing","signing:delete":"Delete: Signing","signing:download":"Download Signed File: Signing","signing:getSigningUrl":"Get Signing URL: Signing","signing:getStatus":"Get Status: Signing","signing:removeSigners":"Remove Signers: Signing","signing:seal":"Seal: Signing","signing:createAndWait":"Send and Wait for Signature: Signing","signing:waitForSignature":"Wait for Signature: Signing"}[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"] }}',
		description: VENDOR_DESCRIPTION,
		defaults: { name: 'Dokobit Documents Gateway' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dokobitGatewayApi', required: true }],
		// The resume endpoint of Send and Wait / Wait for Signature (never registered on activation).
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: 'noData',
				path: '',
				restartWebhook: true,
				isFullPath: true,
			},
		],
		waitingNodeTooltip:
			'={{ "Waiting for Dokobit to report that the signing is completed" + ($parameter["limitWaitTime"] && $parameter["limitWaitTime"].values ? " (with a time limit)" : "") }}',
		properties: [
			...toolDescriptionProperties('Dokobit Documents Gateway', resourceParameters),
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
			...resourceParameters,
			requestConcurrencyProperty,
		],
	};

	// Nothing is registered with the Gateway: the resume URL is passed per signing as postback_url.
	webhookMethods = unregisteredWebhookMethods;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Read here, where n8n's lint rule (require-continue-on-fail) looks for it; the router turns
		// each failed item into an error item when it is on.
		return await router.call(this, { continueOnFail: this.continueOnFail() });
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeOnTerminal.call(this);
	}
}
