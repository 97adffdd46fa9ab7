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
import { okDokumentTrigger } from './helpers/trigger';

export class OkDokumentTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OKdokument Trigger',
		name: 'okDokumentTrigger',
		icon: { light: 'file:okdokument.svg', dark: 'file:okdokument.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description: VENDOR_DESCRIPTION,
		defaults: { name: 'OKdokument Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'okDokumentApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: 'noData',
				path: 'webhook',
			},
		],
		eventTriggerDescription: 'Waiting for an OKdokument callback',
		activationMessage:
			'OKdokument callbacks sent to the Production URL will now start this workflow. Pass that URL as the Callback URL of each signature request you create.',
		properties: [
			{
				displayName:
					'OKdokument has no webhook registration API, and it calls back only once (a failed call turns the document into the "errorsendinfo" state). Pass the Production URL above as the Callback URL option of the OKdokument node’s Signature Request → Create (or Update). If you set a Secret below, append ?secret=YOUR_SECRET to that URL. Callbacks sent while n8n is down or this workflow is inactive are lost; the OKdokument Polling Trigger recovers them (or a Schedule Trigger with Document → Get Many for state "errorsendinfo").',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['signed', 'canceled'],
				description: 'The outcomes that start the workflow. Others are answered 200 and dropped.',
				options: [
					{
						name: 'Canceled',
						value: 'canceled',
						description: 'The signer pressed Cancel (state "canceled")',
					},
					{
						name: 'Signed',
						value: 'signed',
						description: 'The signer submitted the signed document (state "signed")',
					},
				],
			},
			{
				displayName: 'Verification',
				name: 'verification',
				type: 'options',
				default: 'refetchMetadata',
				description:
					'OKdokument sends its callbacks without any authentication. Re-reading the document with the credential is what stops forged events.',
				options: [
					{
						name: 'None (Insecure: Trust the Callback Body)',
						value: 'none',
						description:
							'Anyone who learns the URL can start the workflow with a made-up event. Only for testing.',
					},
					{
						name: 'Re-Read the Document State With the Credential',
						value: 'refetchMetadata',
						description:
							'Confirms every callback against the document’s state before the workflow runs; unconfirmed callbacks are answered 200 and dropped',
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
					'Optional. When set, only requests whose URL ends in ?secret= followed by this value are accepted; others get 401. OKdokument keeps the query string of the Callback URL. Use a long random value.',
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
						description: 'Whether to attach the signed PDF as binary on Signed events',
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
							'Whether to output only the callback’s body, headers and query instead of the normalized event',
					},
				],
			},
		],
	};

	// Nothing is registered remotely: the URL travels with each request as `sendInfoURL`.
	webhookMethods = unregisteredWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleTriggerCall(this, async () => await okDokumentTrigger(this));
	}
}
