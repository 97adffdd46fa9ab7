import type { IExecuteFunctions } from 'n8n-workflow';
import { field, invalidField, requireHttpUrl } from '../../../../shared/validation';
import {
	CORRELATION_ID,
	CORRELATION_ID_RULE,
	CORRELATION_PARAMETER,
	withQueryParameter,
	withTriggerSecret,
} from '../../../helpers/secret';
import type { TokenRequest } from '../../../helpers/types';
import { requireKzId } from '../../../helpers/validation';
import { readAttachments } from './attachments';
import { createSigningSessionFields as properties } from './fields';
import { readMethods, readRecipients } from './recipients';

export interface CreateOptions {
	addTriggerSecret?: boolean;
	checkIdentifierStructure?: boolean;
	correlationId?: string;
	iframeHeight?: number;
	iframeWidth?: number;
	signedUrlExpiry?: string;
}

/**
 * Where the events go when the caller, not the node's parameters, decides: Send and Wait passes the
 * execution's resume URL and its own correlation id. No trigger secret is added (the resume URL is
 * signed by n8n), and the parameters Webhook URL and Correlation ID are not read.
 */
export interface WebhookOverride {
	webhookUrl: string;
	correlationId: string;
}

/** The webhook of the request: `url` is empty when the events go nowhere. */
interface Webhook {
	url: string;
	secretAdded: boolean;
	correlationId: string;
}

/** Every input of one item, validated, as the create body; nothing is sent before this succeeds. */
export function readTokenRequest(
	ctx: IExecuteFunctions,
	itemIndex: number,
	signingKey: string,
	override?: WebhookOverride,
) {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as CreateOptions;
	const checkStructure = options.checkIdentifierStructure === true;
	const sender = requireKzId(
		ctx,
		itemIndex,
		'Sender IIN/BIN',
		ctx.getNodeParameter('sender', itemIndex),
		checkStructure,
	);
	const attachments = readAttachments(ctx, itemIndex, options.signedUrlExpiry);
	if (attachments.urls.length === 0) {
		throw invalidField(ctx, itemIndex, 'Attachment URLs', 'must list at least one file');
	}
	const to = readRecipients(ctx, itemIndex, checkStructure);
	const senderMethods = readMethods(
		ctx,
		itemIndex,
		'senderSignatureMethods',
		'Sender Signature Methods',
	);
	const body: TokenRequest = {
		aAttachments: attachments.urls,
		iSendToRecipient: to.sendToRecipient ? 1 : 0,
		mRecipient: to.recipients,
		iRecipientSignatureRequired: to.signatureRequired ? 1 : 0,
		mAvailableSignatureMethodsForRecipient: to.methods,
		mAvailableSignatureMethods: senderMethods,
		sSender: sender,
	};
	if (to.sms.length) body.mPhonesForSms = to.sms;
	const webhook = override
		? overriddenWebhook(ctx, itemIndex, override)
		: readWebhook(ctx, itemIndex, options, signingKey);
	if (webhook.url) body.sSetWebhookUrl = webhook.url;
	return {
		body,
		attachments: attachments.summary,
		secretAdded: webhook.secretAdded,
		correlationId: webhook.correlationId,
		options,
	};
}

function overriddenWebhook(
	ctx: IExecuteFunctions,
	itemIndex: number,
	override: WebhookOverride,
): Webhook {
	if (!CORRELATION_ID.test(override.correlationId)) {
		throw invalidField(ctx, itemIndex, 'Correlation ID', 'is not a valid correlation id');
	}
	const url = withQueryParameter(
		requireHttpUrl(ctx, itemIndex, 'Webhook URL', override.webhookUrl),
		CORRELATION_PARAMETER,
		override.correlationId,
	);
	return { url, secretAdded: false, correlationId: override.correlationId };
}

/** Webhook URL, with the Correlation ID and the trigger secret added when they apply. */
function readWebhook(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: CreateOptions,
	signingKey: string,
): Webhook {
	let url = (ctx.getNodeParameter('webhookUrl', itemIndex, '') as string).trim();
	const correlationId = (options.correlationId ?? '').trim();
	if (correlationId && !CORRELATION_ID.test(correlationId)) {
		throw invalidField(
			ctx,
			itemIndex,
			field(properties, 'options.correlationId'),
			CORRELATION_ID_RULE,
		);
	}
	if (!url) {
		if (correlationId) {
			throw invalidField(
				ctx,
				itemIndex,
				field(properties, 'options.correlationId'),
				'needs a Webhook URL to travel in',
			);
		}
		return { url: '', secretAdded: false, correlationId };
	}
	url = requireHttpUrl(ctx, itemIndex, 'Webhook URL', url);
	if (correlationId) url = withQueryParameter(url, CORRELATION_PARAMETER, correlationId);
	if (options.addTriggerSecret === false) return { url, secretAdded: false, correlationId };
	const signed = withTriggerSecret(url, signingKey);
	return { url: signed.url, secretAdded: signed.added, correlationId };
}
