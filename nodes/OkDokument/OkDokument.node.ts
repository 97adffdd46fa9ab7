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
import * as account from './actions/account';
import * as document from './actions/document';
import { router } from './actions/router';
import * as signatureRequest from './actions/signatureRequest';
import { VENDOR_DESCRIPTION } from './helpers/description';
import { resumeOnOutcome } from './helpers/waitCallback';

// Every resource's operation selector and parameters.
const resourceParameters = [
	...signatureRequest.description,
	...document.description,
	...account.description,
];

export class OkDokument implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OKdokument',
		name: 'okDokument',
		icon: { light: 'file:okdokument.svg', dark: 'file:okdokument.dark.svg' },
		group: ['output'],
		version: 1,
		// The operation and resource in words (operations.test.ts keeps the map in step with the options).
		subtitle:
			'={{ {"account:getCounters":"Get Counters: Account","document:delete":"Delete: Document","document:download":"Download: Document","document:get":"Get: Document","document:getAll":"Get Many: Document","document:upload":"Upload: Document","signatureRequest:create":"Create: Signature Request","signatureRequest:delete":"Delete: Signature Request","signatureRequest:createAndWait":"Send and Wait for Signature: Signature Request","signatureRequest:update":"Update: Signature Request","signatureRequest:waitForSignature":"Wait for Signature: Signature Request"}[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"] }}',
		description: VENDOR_DESCRIPTION,
		defaults: { name: 'OKdokument' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'okDokumentApi', required: true }],
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
			'={{ "Waiting for OKdokument to report that the signer signed or canceled" + ($parameter["limitWaitTime"] && $parameter["limitWaitTime"].values ? " (with a time limit)" : "") }}',
		properties: [
			...toolDescriptionProperties('OKdokument', resourceParameters),
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
			...resourceParameters,
			requestConcurrencyProperty,
		],
	};

	// Nothing is registered with OKdokument: the resume URL travels per request as sendInfoURL.
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
