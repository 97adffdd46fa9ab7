import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { handleTriggerCall } from '../shared/trigger';
import { FILE_KIND_OPTIONS } from './actions/document/downloadFiles.operation';
import { documentologApiTest } from './helpers/credentialTest';
import { VENDOR_DESCRIPTION } from './helpers/description';
import { triggerKeyringMethods } from './helpers/keyring';
import { documentologTrigger } from './helpers/trigger';
import { WEBHOOK_EVENTS } from './helpers/types';

export class DocumentologTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Documentolog Trigger',
		name: 'documentologTrigger',
		icon: { light: 'file:documentolog.svg', dark: 'file:documentolog.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description: VENDOR_DESCRIPTION,
		defaults: { name: 'Documentolog Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'documentologApi', required: true, testedBy: 'documentologApiTest' }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: 'noData',
				path: 'webhook',
			},
		],
		eventTriggerDescription: 'Waiting for a Documentolog event',
		activationMessage:
			'Documentolog events sent to the Production URL with its secret will now start this workflow. Paste the Production URL as the Webhook URL of Create Signing Session; it adds the secret.',
		properties: [
			{
				displayName:
					'Documentolog has no webhook registration and does not sign its calls, so this URL needs a secret (?secret=…), and calls without it get 401. Paste the Production URL above as the Webhook URL of the Documentolog node’s Create Signing Session: with the same credential it adds the secret itself. For documents created outside n8n, get the full URL from the Documentolog node’s Webhook → Get Trigger URL operation.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [...WEBHOOK_EVENTS],
				description: 'The events that start the workflow. Others are answered 200 and dropped.',
				options: [
					{
						name: 'Document Completed',
						value: 'document_completed',
						description: 'Every party has signed; carries the download links (document_completed)',
					},
					{
						name: 'Document Sent',
						value: 'document_sent',
						description: 'The document went to the recipients (document_sent)',
					},
					{
						name: 'Signer Declined',
						value: 'signer_declined',
						description:
							'A recipient pressed Reject; the document will not complete (signer_declined)',
					},
					{
						name: 'Signer Signed',
						value: 'signer_signed',
						description: 'One recipient signed (signer_signed)',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Download Files',
						name: 'downloadFiles',
						type: 'boolean',
						default: false,
						description:
							'Whether to attach the completed document’s files as binary on Document Completed',
					},
					{
						displayName: 'Files',
						name: 'fileKind',
						type: 'options',
						default: 'signed',
						description: 'Which files to download',
						options: FILE_KIND_OPTIONS,
					},
					{
						displayName: 'Put Output Files in Field',
						name: 'binaryPropertyName',
						type: 'string',
						default: 'data',
						hint: 'One file goes to this field; several go to FIELD_0, FIELD_1, …',
					},
					{
						displayName: 'Raw Payload Only',
						name: 'rawPayloadOnly',
						type: 'boolean',
						default: false,
						description:
							'Whether to output only the event’s body, headers and query instead of the normalized event',
					},
				],
			},
		],
	};

	methods = { credentialTest: { documentologApiTest } };

	// Nothing is registered remotely (the URL travels with each document as sSetWebhookUrl);
	// activation records the current secret in the keyring (helpers/keyring.ts).
	webhookMethods = triggerKeyringMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleTriggerCall(this, async () => await documentologTrigger(this));
	}
}
