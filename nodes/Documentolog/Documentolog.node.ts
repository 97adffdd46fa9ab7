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
import * as document from './actions/document';
import { router } from './actions/router';
import * as webhook from './actions/webhook';
import { documentologApiTest } from './helpers/credentialTest';
import { VENDOR_DESCRIPTION } from './helpers/description';
import { resumeOnOutcome } from './helpers/wait';

// Every resource's operation selector and parameters.
const resourceParameters = [...document.description, ...webhook.description];

export class Documentolog implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Documentolog',
		name: 'documentolog',
		icon: { light: 'file:documentolog.svg', dark: 'file:documentolog.dark.svg' },
		group: ['output'],
		version: 1,
		// The operation and resource in words (operations.test.ts keeps the map in step with the options).
		subtitle:
			'={{ {"document:createSigningSession":"Create Signing Session: Document","document:downloadFiles":"Download Files: Document","document:createAndWait":"Send and Wait for Signature: Document","webhook:getTriggerUrl":"Get Trigger URL: Webhook"}[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"] }}',
		description: VENDOR_DESCRIPTION,
		defaults: { name: 'Documentolog' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'documentologApi', required: true, testedBy: 'documentologApiTest' }],
		// The resume endpoint of Send and Wait for Signature (never registered on activation).
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
			'={{ "Waiting for Documentolog to report that the document is completed or declined" + ($parameter["limitWaitTime"] && $parameter["limitWaitTime"].values ? " (with a time limit)" : "") }}',
		properties: [
			...toolDescriptionProperties('Documentolog', resourceParameters),
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
			...resourceParameters,
			requestConcurrencyProperty,
		],
	};

	methods = { credentialTest: { documentologApiTest } };

	// Nothing is registered with Documentolog: the resume URL is passed per document as sSetWebhookUrl.
	webhookMethods = unregisteredWebhookMethods;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Read here, where n8n's lint rule (require-continue-on-fail) looks for it; the router turns
		// each failed item into an error item when it is on.
		return await router.call(this, { continueOnFail: this.continueOnFail() });
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeOnOutcome.call(this);
	}
}
