import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { embedUrl, iframeHtml, listenerScript, originOf, tokenExpiry } from '../../helpers/embed';
import { maskSecret, signingKeyOf } from '../../helpers/secret';
import { credentialData, createSigningToken } from '../../transport';
import { documentologBaseUrl } from '../../transport/hosts';
import { createSigningSessionFields } from './createSigningSession/fields';
import { readTokenRequest, type WebhookOverride } from './createSigningSession/request';

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['createSigningSession'] } },
	createSigningSessionFields,
);

/**
 * `POST /json/external/oauth/token`, then everything a web page needs to embed the signing UI. With
 * an override (Send and Wait) the webhook URL is a capability (n8n's signed resume URL), so it
 * stays out of the output.
 */
export async function createSession(
	this: IExecuteFunctions,
	itemIndex: number,
	override?: WebhookOverride,
): Promise<IDataObject> {
	const credentials = await credentialData.call(this);
	const request = readTokenRequest(this, itemIndex, signingKeyOf(credentials), override);
	const baseUrl = documentologBaseUrl(credentials);
	const response = await createSigningToken.call(this, request.body, itemIndex);
	const token = response.data.access_token;
	const url = embedUrl(baseUrl, token);
	const json: IDataObject = {
		accessToken: token,
		tokenType: response.data.token_type ?? null,
		scope: response.data.scope ?? null,
		expiresAt: tokenExpiry(token) ?? null,
		embedUrl: url,
		iframeHtml: iframeHtml(
			url,
			request.options.iframeWidth ?? 400,
			request.options.iframeHeight ?? 600,
		),
		listenerScript: listenerScript(originOf(baseUrl)),
		attachments: request.attachments,
		sender: request.body.sSender,
		recipients: request.body.mRecipient,
		sendToRecipient: request.body.iSendToRecipient === 1,
		recipientSignatureRequired: request.body.iRecipientSignatureRequired === 1,
	};
	if (request.body.mPhonesForSms) json.smsRecipients = request.body.mPhonesForSms as IDataObject[];
	if (request.body.sSetWebhookUrl && !override) {
		// The secret stays out of the output: it may be returned to a browser with the iframe.
		json.webhookUrl = maskSecret(request.body.sSetWebhookUrl);
		json.webhookSecretAdded = request.secretAdded;
	}
	if (request.correlationId) json.correlationId = request.correlationId;
	return json;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	return { json: await createSession.call(this, itemIndex), pairedItem: { item: itemIndex } };
}
