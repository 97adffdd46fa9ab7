import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { describeFailure } from '../shared/http';
import {
	acknowledge,
	auditedRequest,
	badRequest,
	hasSeen,
	readSecuredEvent,
	redactDeep,
	refuseUnlessPost,
	rememberOnce,
	respond,
	syncRemembered,
	tryLater,
	unregisteredWebhookMethods,
	webhookDedupe,
} from '../shared/webhook';
import {
	callbackDedupeKey,
	confirmedOutcome,
	parseCallback,
	roundDedupeKey,
	toEsignEvent,
} from './helpers/callback';
import type { DocumentMetadata, OutcomeState } from './helpers/types';
import { credentialBaseUrl, fetchDocumentMetadata, okDokumentDownload } from './transport';

/** Query parameter that carries the optional URL secret. */
const SECRET_PARAMETER = 'secret';

interface TriggerOptions {
	downloadSignedFile?: boolean;
	binaryPropertyName?: string;
	rawPayloadOnly?: boolean;
}

export class OkDokumentTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OKdokument Trigger',
		name: 'okDokumentTrigger',
		icon: { light: 'file:okdokument.svg', dark: 'file:okdokument.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description: 'Starts the workflow when a signer submits or cancels an OKdokument document',
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
					'OKdokument has no webhook registration API, and it calls back only once (a failed call turns the document into the "errorsendinfo" state). Pass the Production URL above as the Callback URL option of the OKdokument node’s Signature Request → Create (or Update). If you set a Secret below, append ?secret=YOUR_SECRET to that URL.',
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
		const receivedAt = new Date();
		const refused = refuseUnlessPost(this);
		if (refused) return refused;

		const secret = String(this.getNodeParameter('secret', '') ?? '').trim();
		const read = readSecuredEvent(this, secret, SECRET_PARAMETER);
		if (!read.ok) return read.response;
		const { query } = read;
		const parsed = parseCallback(read.body);
		if (!parsed.ok) return badRequest(this, parsed.problem);
		const callback = parsed.callback;

		const verify = this.getNodeParameter('verification', 'refetchMetadata') !== 'none';
		if (!verify && callback.state === undefined) return badRequest(this, 'Missing state');

		const events = this.getNodeParameter('events', []) as string[];
		if (callback.state !== undefined && !events.includes(callback.state)) {
			this.logger.debug('OKdokument callback not in the event filter', { state: callback.state });
			return acknowledge(this);
		}

		const deduplicate = this.getMode() !== 'manual';
		const staticData = this.getWorkflowStaticData('node');
		const dedupe = webhookDedupe(this);
		if (
			deduplicate &&
			callback.state !== undefined &&
			hasSeen(staticData, callbackDedupeKey(callback, callback.state), dedupe)
		) {
			this.logger.debug('OKdokument callback already processed', { id: callback.id });
			return acknowledge(this);
		}

		let metadata: DocumentMetadata | undefined;
		let outcome: OutcomeState | undefined = callback.state;
		if (verify) {
			try {
				// One attempt, bounded: OKdokument is waiting for this answer.
				metadata = await fetchDocumentMetadata.call(this, callback.id, undefined, { retry: false });
			} catch (error) {
				if (describeFailure(error).status === 404) {
					// Unknown or deleted document: nothing to confirm.
					this.logger.warn('OKdokument callback for an unknown document dropped', {
						id: callback.id,
					});
					return acknowledge(this);
				}
				// Could not check now. OKdokument does not retry; a non-2xx answer at least leaves the
				// document in "errorsendinfo", where Get Many and the Polling Trigger can find it.
				this.logger.warn('OKdokument callback could not be verified', {
					id: callback.id,
					error: (error as Error).message,
				});
				return tryLater(this, 'Could not verify the event; try again later');
			}
			outcome = confirmedOutcome(callback, metadata);
			if (outcome === undefined) {
				this.logger.warn('OKdokument callback contradicts the document state; dropped', {
					id: callback.id,
					state: metadata.state,
				});
				return acknowledge(this);
			}
			if (!events.includes(outcome)) return acknowledge(this);
		}
		if (outcome === undefined) return badRequest(this, 'Missing state');

		if (deduplicate) {
			// One execution per document, outcome and round: the round is named by the callback's
			// signatureRequestId and, when verified, by the document's modification time.
			const roundKey = roundDedupeKey(callback, outcome, metadata);
			if (roundKey !== undefined && hasSeen(staticData, roundKey, dedupe)) {
				return acknowledge(this);
			}
			if (!rememberOnce(staticData, callbackDedupeKey(callback, outcome), dedupe)) {
				return acknowledge(this);
			}
			if (roundKey !== undefined) rememberOnce(staticData, roundKey, dedupe);
		}

		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const raw = auditedRequest(this, read.body, query, [SECRET_PARAMETER]);
		const credentials = await this.getCredentials<IDataObject>('okDokumentApi');
		const event = toEsignEvent(
			callback,
			outcome,
			raw,
			receivedAt,
			await credentialBaseUrl.call(this),
			metadata,
		);
		const json: IDataObject = options.rawPayloadOnly
			? (raw as unknown as IDataObject)
			: (event as unknown as IDataObject);
		const item: INodeExecutionData = { json };

		// Without a download, n8n answers once the execution is queued (an overloaded instance then
		// answers an error instead of losing the event). With a download, answer first: a slow answer
		// can cost the callback.
		const download = options.downloadSignedFile === true && outcome === 'signed';
		const answered = download ? respond(this, 200, { received: true }) : {};

		if (download) {
			const field = (options.binaryPropertyName ?? '').trim() || 'data';
			try {
				const file = await okDokumentDownload.call(this, callback.id, {
					storedName: metadata?.filename,
				});
				item.binary = { [field]: file };
				if (event.files?.[0] && file.fileName) event.files[0].name = file.fileName;
			} catch (error) {
				// The event has been acknowledged; keep it and say why the file is missing.
				json.downloadError = (error as Error).message;
			}
		}

		item.json = redactDeep(item.json, [secret, String(credentials.apiKey ?? '')]);
		if (deduplicate) syncRemembered(staticData, dedupe);
		return { ...answered, workflowData: [[item]] };
	}
}
