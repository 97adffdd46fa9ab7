import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { binaryFieldName } from '../../shared/callback';
import type { TriggerSetup, VendorTrigger } from '../../shared/trigger';
import { tryLater, unauthorized } from '../../shared/webhook';
import { type DownloadKind, downloadKindOf } from '../actions/document/downloadFiles.operation';
import { type Delivery, deliveryDedupeKey, parseDelivery, toEsignEvent } from './delivery';
import { downloadEventFiles } from './eventFiles';
import { acceptsTriggerSecret, keyringScope, rememberSecrets } from './keyring';
import {
	CORRELATION_ID,
	CORRELATION_PARAMETER,
	SECRET_PARAMETER,
	deriveWebhookSecret,
	signingKeyOf,
} from './secret';

interface TriggerOptions {
	downloadFiles?: boolean;
	fileKind?: DownloadKind;
	binaryPropertyName?: string;
	rawPayloadOnly?: boolean;
}

/** The caller's correlation id (`?ref=`), when it is one. */
function correlationOf(query: IDataObject): string | undefined {
	const ref = query[CORRELATION_PARAMETER];
	return typeof ref === 'string' && CORRELATION_ID.test(ref) ? ref : undefined;
}

/**
 * The Documentolog Trigger's part of the shared trigger path (shared/trigger.ts). Documentolog
 * neither signs its webhooks nor has a status endpoint, so the URL secret (helpers/secret.ts, with
 * the keyring of earlier keys' secrets, helpers/keyring.ts) is the only check, and there is nothing
 * to re-read.
 */
export async function documentologTrigger(
	ctx: IWebhookFunctions,
): Promise<TriggerSetup<Delivery, undefined>> {
	let credentials: IDataObject;
	try {
		credentials = await ctx.getCredentials<IDataObject>('documentologApi');
	} catch (error) {
		ctx.logger.error('Documentolog Trigger has no usable credential', {
			error: (error as Error).message,
		});
		return tryLater(ctx, 'The trigger is not configured');
	}
	const key = signingKeyOf(credentials);
	const webhookId = ctx.getNode().webhookId;
	// Without a key or a webhook id the secret would be guessable: refuse everything.
	if (!key || !webhookId) {
		ctx.logger.warn('Documentolog Trigger cannot derive its secret (no API key or webhook ID)');
		return unauthorized(ctx);
	}
	const secret = deriveWebhookSecret(key, webhookId);
	const staticData = ctx.getWorkflowStaticData('node');
	const keyring = { webhookId, scope: keyringScope(ctx) };
	const events = ctx.getNodeParameter('events', []) as string[];
	const options = ctx.getNodeParameter('options', {}) as TriggerOptions;
	return {
		vendor: 'Documentolog',
		// The current secret, or one issued under an earlier key.
		secret: acceptsTriggerSecret(staticData, secret, keyring),
		secretParameter: SECRET_PARAMETER,
		onAuthentic: () => rememberSecrets(staticData, [secret], keyring),
		parse: (body) => {
			const parsed = parseDelivery(body);
			return parsed.ok ? { ok: true, event: parsed.delivery } : parsed;
		},
		unwanted: (delivery) =>
			events.includes(delivery.event) ? undefined : `${delivery.event} is filtered out`,
		keysBefore: () => [],
		verify: async () => ({ ok: true, verified: undefined }),
		keysAfter: (delivery, _, query) => [deliveryDedupeKey(delivery, correlationOf(query))],
		emit: emitter(ctx, options, credentials, secret),
		// Downloads take time; whatever this process recorded meanwhile goes into this save too.
		finish: () => rememberSecrets(staticData, [], keyring),
	};
}

/**
 * The item of one delivery, and its files when Download Files applies (completed documents only).
 * The trigger's secret and the credential's keys are kept out of both.
 */
function emitter(
	ctx: IWebhookFunctions,
	options: TriggerOptions,
	credentials: IDataObject,
	secret: string,
): VendorTrigger<Delivery, undefined>['emit'] {
	return async (delivery, _, raw, receivedAt) => {
		const event = toEsignEvent(delivery, raw, receivedAt, correlationOf(raw.query));
		const json = (options.rawPayloadOnly ? raw : event) as unknown as IDataObject;
		const download = options.downloadFiles === true && delivery.event === 'document_completed';
		const files = async () =>
			await downloadEventFiles.call(
				ctx,
				event,
				downloadKindOf(options.fileKind),
				binaryFieldName(options.binaryPropertyName),
			);
		return {
			item: { json },
			files: download ? files : undefined,
			secrets: [
				secret,
				String((ctx.getQueryData() as IDataObject)[SECRET_PARAMETER] ?? ''),
				String(credentials.apiKey ?? ''),
				String(credentials.webhookSigningSecret ?? ''),
			],
		};
	};
}
