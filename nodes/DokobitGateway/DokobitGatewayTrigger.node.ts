import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { cachedCredentials, describeFailure } from '../shared/http';
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
import { fetchSigningStatus } from './actions/signing/getStatus.operation';
import {
	FILE_ACTIONS,
	confirmsPostback,
	parsePostback,
	postbackDedupeKey,
	toEsignEvent,
} from './helpers/postback';
import { POSTBACK_ACTIONS, type SigningStatus } from './helpers/types';
import { dokobitDownloadSigned } from './transport';

/** Query parameter that carries the optional URL secret. */
const SECRET_PARAMETER = 'secret';

interface TriggerOptions {
	downloadSignedFile?: boolean;
	binaryPropertyName?: string;
	rawPayloadOnly?: boolean;
}

export class DokobitGatewayTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Dokobit Documents Gateway Trigger',
		name: 'dokobitGatewayTrigger',
		icon: { light: 'file:dokobit.svg', dark: 'file:dokobit.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description: 'Starts the workflow when Dokobit Documents Gateway posts a signing event',
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
		const receivedAt = new Date();
		const refused = refuseUnlessPost(this);
		if (refused) return refused;

		const secret = String(this.getNodeParameter('secret', '') ?? '').trim();
		const read = readSecuredEvent(this, secret, SECRET_PARAMETER);
		if (!read.ok) return read.response;
		const { query } = read;
		const parsed = parsePostback(read.body);
		if (!parsed.ok) return badRequest(this, parsed.problem);
		const postback = parsed.postback;

		const events = this.getNodeParameter('events', []) as string[];
		if (!events.includes(postback.action)) {
			this.logger.debug('Dokobit postback not in the event filter', { action: postback.action });
			return acknowledge(this);
		}

		const key = postbackDedupeKey(postback);
		const deduplicate = this.getMode() !== 'manual';
		const staticData = this.getWorkflowStaticData('node');
		const dedupe = webhookDedupe(this);
		if (deduplicate && hasSeen(staticData, key, dedupe)) {
			this.logger.debug('Dokobit postback already processed', { key });
			return acknowledge(this);
		}

		const verify = this.getNodeParameter('verification', 'refetchStatus') !== 'none';
		let status: SigningStatus | undefined;
		if (verify) {
			try {
				status = await fetchSigningStatus.call(this, postback.token);
			} catch (error) {
				if (describeFailure(error).status === 404) {
					// Unknown or deleted signing: nothing to confirm. 200 so Dokobit stops retrying.
					this.logger.warn('Dokobit postback for an unknown signing dropped', { key });
					return acknowledge(this);
				}
				// Could not check now (network, 5xx, credential): non-2xx, so Dokobit tries again later.
				this.logger.warn('Dokobit postback could not be verified', {
					key,
					error: (error as Error).message,
				});
				return tryLater(this, 'Could not verify the event; try again later');
			}
			if (!confirmsPostback(postback, status)) {
				this.logger.warn('Dokobit postback contradicts the signing status; dropped', {
					key,
					status: status.status,
				});
				return acknowledge(this);
			}
		}

		if (deduplicate && !rememberOnce(staticData, key, dedupe)) return acknowledge(this);

		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const raw = auditedRequest(this, read.body, query, [SECRET_PARAMETER]);
		const event = toEsignEvent(postback, raw, receivedAt, status);
		const json: IDataObject = options.rawPayloadOnly
			? (raw as unknown as IDataObject)
			: (event as unknown as IDataObject);
		const item: INodeExecutionData = { json };

		// Whatever the API key touched is scrubbed of it before it leaves the node.
		const download = options.downloadSignedFile === true && FILE_ACTIONS.includes(postback.action);
		const secrets = [secret];
		if (verify || download) {
			const credentials = await cachedCredentials(this, 'dokobitGatewayApi');
			secrets.push(String(credentials.accessToken ?? ''));
		}

		// Without a download, n8n answers once the execution is queued, so an overloaded instance
		// answers an error and Dokobit retries. With a download, answer first so a slow file does
		// not make Dokobit time out (the event is then acknowledged before it is queued).
		const answered = download ? respond(this, 200, { received: true }) : {};

		if (download) {
			const field = (options.binaryPropertyName ?? '').trim() || 'data';
			try {
				const file = await dokobitDownloadSigned.call(this, postback.token, {
					fileUrl: typeof postback.file === 'string' ? postback.file : (status?.file ?? undefined),
				});
				item.binary = { [field]: file };
				if (event.files?.[0] && file.fileName) event.files[0].name = file.fileName;
			} catch (error) {
				// The event has been acknowledged; keep it and say why the file is missing.
				json.downloadError = (error as Error).message;
			}
		}

		item.json = redactDeep(item.json, secrets);
		if (deduplicate) syncRemembered(staticData, dedupe);
		return { ...answered, workflowData: [[item]] };
	}
}
