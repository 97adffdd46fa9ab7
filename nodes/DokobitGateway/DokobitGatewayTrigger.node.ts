import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { handleTriggerCall } from '../shared/trigger';
import { unregisteredWebhookMethods } from '../shared/webhook';
import { VENDOR_DESCRIPTION } from './helpers/description';
import { dokobitTrigger } from './helpers/trigger';
import { POSTBACK_ACTIONS } from './helpers/types';

export class DokobitGatewayTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dokobit Documents Gateway Trigger',
		name: 'dokobitGatewayTrigger',
		icon: { light: 'file:dokobit.svg', dark: 'file:dokobit.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description: VENDOR_DESCRIPTION,
		defaults: { name: 'Dokobit Documents Gateway Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dokobitGatewayApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: 'noData',
				path: 'webhook',
			},
		],
		eventTriggerDescription: 'Waiting for a Dokobit postback',
		activationMessage:
			'Dokobit postbacks sent to the Production URL will now start this workflow. Pass that URL as the Postback URL of each signing you create.',
		properties: [
			{
				displayName:
					'The Gateway has no webhook registration API. Pass the Production URL above as the Postback URL option of the Dokobit Documents Gateway node’s Create operation (or of Archive). If you set a Secret below, append ?secret=YOUR_SECRET to that URL.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [...POSTBACK_ACTIONS],
				description: 'The postbacks that start the workflow. Others are answered 200 and dropped.',
				options: [
					{
						name: 'Signer Signed',
						value: 'signer_signed',
						description: 'One signer has signed (signer_signed)',
					},
					{
						name: 'Signing Archive Failed',
						value: 'signing_archive_failed',
						description:
							'Long-term archiving (PAdES-LTV / XAdES-XL) failed (signing_archive_failed)',
					},
					{
						name: 'Signing Archived',
						value: 'signing_archived',
						description: 'Long-term archiving succeeded (signing_archived)',
					},
					{
						name: 'Signing Completed',
						value: 'signing_completed',
						description: 'Every signer has signed (signing_completed)',
					},
				],
			},
			{
				displayName: 'Verification',
				name: 'verification',
				type: 'options',
				default: 'refetchStatus',
				description:
					'Dokobit does not sign its postbacks. Re-fetching the status with the credential is what stops forged events.',
				options: [
					{
						name: 'None (Insecure: Trust the Postback Body)',
						value: 'none',
						description:
							'Anyone who learns the URL can start the workflow with a made-up event. Only for testing.',
					},
					{
						name: 'Re-Fetch Signing Status With the Credential',
						value: 'refetchStatus',
						description:
							'Confirms every postback against the signing’s status before the workflow runs; unconfirmed postbacks are answered 200 and dropped',
					},
				],
			},
			{
				displayName: 'Secret',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'Optional. When set, only requests whose URL ends in ?secret= followed by this value are accepted; others get 401. Use a long random value.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Download Signed File',
						name: 'downloadSignedFile',
						type: 'boolean',
						default: false,
						description:
							'Whether to attach the signed file as binary on Signing Completed and Signing Archived events',
					},
					{
						displayName: 'Put Output File in Field',
						name: 'binaryPropertyName',
						type: 'string',
						default: 'data',
						hint: 'The name of the output binary field to put the signed file in',
					},
					{
						displayName: 'Raw Payload Only',
						name: 'rawPayloadOnly',
						type: 'boolean',
						default: false,
						description:
							'Whether to output only the postback’s body, headers and query instead of the normalized event',
					},
				],
			},
		],
	};

	// Nothing is registered remotely: the URL travels with each signing as `postback_url`.
	webhookMethods = unregisteredWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleTriggerCall(this, async () => await dokobitTrigger(this));
	}
}
