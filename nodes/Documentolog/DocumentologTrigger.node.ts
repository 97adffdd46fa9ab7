import type {
	IBinaryData,
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import {
	acknowledge,
	auditedRequest,
	badRequest,
	readSecuredEvent,
	redactDeep,
	refuseUnlessPost,
	rememberOnce,
	respond,
	syncRemembered,
	tryLater,
	unauthorized,
	unregisteredWebhookMethods,
	webhookDedupe,
} from '../shared/webhook';
import {
	FILE_KIND_OPTIONS,
	type DownloadKind,
	downloadKindOf,
} from './actions/document/downloadFiles.operation';
import { documentologApiTest } from './helpers/credentialTest';
import { deliveryDedupeKey, parseDelivery, toEsignEvent } from './helpers/delivery';
import {
	CORRELATION_PARAMETER,
	SECRET_PARAMETER,
	deriveWebhookSecret,
	signingKeyOf,
} from './helpers/secret';
import { WEBHOOK_EVENTS } from './helpers/types';
import { documentologDownload } from './transport';

interface TriggerOptions {
	downloadFiles?: boolean;
	fileKind?: DownloadKind;
	binaryPropertyName?: string;
	rawPayloadOnly?: boolean;
}

const CORRELATION_ID = /^[A-Za-z0-9._~-]{1,100}$/;

export class DocumentologTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Documentolog Trigger',
		name: 'documentologTrigger',
		icon: { light: 'file:documentolog.svg', dark: 'file:documentolog.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description: 'Starts the workflow when Documentolog posts a document event',
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

	// Nothing is registered remotely: the URL travels with each document as sSetWebhookUrl, and the
	// secret is derived on every call (helpers/secret.ts), so there is nothing to create or delete.
	webhookMethods = unregisteredWebhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const receivedAt = new Date();
		const refused = refuseUnlessPost(this);
		if (refused) return refused;

		let credentials: IDataObject;
		try {
			credentials = await this.getCredentials<IDataObject>('documentologApi');
		} catch (error) {
			this.logger.error('Documentolog Trigger has no usable credential', {
				error: (error as Error).message,
			});
			return tryLater(this, 'The trigger is not configured');
		}
		const key = signingKeyOf(credentials);
		const webhookId = this.getNode().webhookId;
		// Without a key or a webhook id the secret would be guessable: refuse everything.
		if (!key || !webhookId) {
			this.logger.warn('Documentolog Trigger cannot derive its secret (no API key or webhook ID)');
			return unauthorized(this);
		}
		const secret = deriveWebhookSecret(key, webhookId);
		const read = readSecuredEvent(this, secret, SECRET_PARAMETER);
		if (!read.ok) return read.response;
		const { query } = read;
		const parsed = parseDelivery(read.body);
		if (!parsed.ok) return badRequest(this, parsed.problem);
		const delivery = parsed.delivery;

		const events = this.getNodeParameter('events', []) as string[];
		if (!events.includes(delivery.event)) {
			this.logger.debug('Documentolog event not in the event filter', { event: delivery.event });
			return acknowledge(this);
		}

		const ref = (query as IDataObject)[CORRELATION_PARAMETER];
		const correlationId = typeof ref === 'string' && CORRELATION_ID.test(ref) ? ref : undefined;
		const eventKey = deliveryDedupeKey(delivery, correlationId);
		const deduplicate = this.getMode() !== 'manual';
		const staticData = this.getWorkflowStaticData('node');
		const dedupe = webhookDedupe(this);
		if (deduplicate && !rememberOnce(staticData, eventKey, dedupe)) {
			this.logger.debug('Documentolog event already processed', { key: eventKey });
			return acknowledge(this);
		}

		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const raw = auditedRequest(this, read.body, query, [SECRET_PARAMETER]);
		const event = toEsignEvent(delivery, raw, receivedAt, correlationId);
		const json: IDataObject = options.rawPayloadOnly
			? (raw as unknown as IDataObject)
			: (event as unknown as IDataObject);
		const item: INodeExecutionData = { json };

		// Without downloads, n8n answers once the execution is queued (an overloaded instance then
		// answers an error instead of losing the event). With downloads, answer first so
		// Documentolog is not kept waiting.
		const download = options.downloadFiles === true && delivery.event === 'document_completed';
		const answered = download ? respond(this, 200, { received: true }) : {};

		if (download) {
			const kind: DownloadKind = downloadKindOf(options.fileKind);
			const field = (options.binaryPropertyName ?? '').trim() || 'data';
			const files = (event.files ?? []).filter((file) => file.kind === kind);
			const binary: Record<string, IBinaryData> = {};
			try {
				for (const [index, file] of files.entries()) {
					const name = file.name ?? `${event.documentId}.zip`;
					binary[files.length === 1 ? field : `${field}_${index}`] =
						await documentologDownload.call(this, { url: file.url, name });
				}
				if (files.length) item.binary = binary;
				else json.downloadError = `The event lists no ${kind} files`;
			} catch (error) {
				// The event has been acknowledged; keep it and say why the files are missing.
				json.downloadError = (error as Error).message;
				const description = (error as { description?: unknown }).description;
				if (typeof description === 'string') json.downloadErrorDescription = description;
			}
		}

		item.json = redactDeep(item.json, [
			secret,
			String(credentials.apiKey ?? ''),
			String(credentials.webhookSigningSecret ?? ''),
		]);
		if (deduplicate) syncRemembered(staticData, dedupe);
		return { ...answered, workflowData: [[item]] };
	}
}
