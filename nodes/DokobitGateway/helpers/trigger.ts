import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { binaryFieldName } from '../../shared/callback';
import { cachedCredentials, describeFailure } from '../../shared/http';
import type { TriggerSetup, Verification } from '../../shared/trigger';
import { dokobitDownloadSigned, fetchSigningStatus } from '../transport';
import {
	FILE_ACTIONS,
	confirmsPostback,
	parsePostback,
	postbackDedupeKey,
	toEsignEvent,
} from './postback';
import type { Postback, SigningStatus } from './types';

/** Query parameter that carries the optional URL secret. */
export const SECRET_PARAMETER = 'secret';

interface TriggerOptions {
	downloadSignedFile?: boolean;
	binaryPropertyName?: string;
	rawPayloadOnly?: boolean;
}

/**
 * The Dokobit Gateway Trigger's part of the shared trigger path (shared/trigger.ts). Dokobit does
 * not sign its postbacks, so by default each one is confirmed by re-reading the signing's status;
 * a status that cannot be read now is answered 503, and Dokobit retries (+5 min, +1 h, +24 h).
 */
export async function dokobitTrigger(
	ctx: IWebhookFunctions,
): Promise<TriggerSetup<Postback, SigningStatus | undefined>> {
	const secret = String(ctx.getNodeParameter('secret', '') ?? '').trim();
	const events = ctx.getNodeParameter('events', []) as string[];
	const verifies = ctx.getNodeParameter('verification', 'refetchStatus') !== 'none';
	const options = ctx.getNodeParameter('options', {}) as TriggerOptions;
	return {
		vendor: 'Dokobit',
		secret,
		secretParameter: SECRET_PARAMETER,
		parse: (body) => {
			const parsed = parsePostback(body);
			return parsed.ok ? { ok: true, event: parsed.postback } : parsed;
		},
		unwanted: (postback) =>
			events.includes(postback.action) ? undefined : `${postback.action} is filtered out`,
		keysBefore: (postback) => [postbackDedupeKey(postback)],
		verify: async (postback): Promise<Verification<SigningStatus | undefined>> => {
			if (!verifies) return { ok: true, verified: undefined };
			let status: SigningStatus;
			try {
				status = await fetchSigningStatus.call(ctx, postback.token);
			} catch (error) {
				// Unknown or deleted signing: nothing to confirm, and 200 so Dokobit stops retrying.
				if (describeFailure(error).status === 404) {
					return { ok: false, answer: 'drop', reason: 'unknown signing' };
				}
				return { ok: false, answer: 'retry', reason: (error as Error).message };
			}
			return confirmsPostback(postback, status)
				? { ok: true, verified: status }
				: { ok: false, answer: 'drop', reason: `contradicts the status ${status.status}` };
		},
		keysAfter: (postback) => [postbackDedupeKey(postback)],
		emit: async (postback, status, raw, receivedAt) => {
			const event = toEsignEvent(postback, raw, receivedAt, status);
			const json = (options.rawPayloadOnly ? raw : event) as unknown as IDataObject;
			const download =
				options.downloadSignedFile === true && FILE_ACTIONS.includes(postback.action);
			// The access token never leaves the node, whatever the body or query carry.
			const credentials = await cachedCredentials(ctx, 'dokobitGatewayApi');
			const secrets = [secret, String(credentials.accessToken ?? '')];
			const files = async () => {
				const file = await dokobitDownloadSigned.call(ctx, postback.token, {
					fileUrl: typeof postback.file === 'string' ? postback.file : (status?.file ?? undefined),
				});
				if (event.files?.[0] && file.fileName) event.files[0].name = file.fileName;
				return { [binaryFieldName(options.binaryPropertyName)]: file };
			};
			return { item: { json }, files: download ? files : undefined, secrets };
		},
	};
}
