import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { invalidField, requireHttpUrl } from '../../../shared/validation';
import {
	CORRELATION_ID,
	CORRELATION_ID_RULE,
	CORRELATION_PARAMETER,
	SECRET_PARAMETER,
	deriveWebhookSecret,
	signingKeyOf,
	triggerWebhookId,
	withQueryParameter,
} from '../../helpers/secret';
import { credentialData } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Trigger URL',
		name: 'triggerUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://n8n.example.com/webhook/1f0c…/webhook',
		description: 'The Production (or Test) URL shown in the Documentolog Trigger node',
	},
	{
		displayName: 'Correlation ID',
		name: 'correlationId',
		type: 'string',
		default: '',
		description:
			'Optional ID of your own, added as ?ref=…; the trigger outputs it as correlationId',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['webhook'], operation: ['getTriggerUrl'] } },
	properties,
);

/**
 * Read-only, no request: the trigger URL with its secret, for systems outside n8n that create
 * Documentolog documents themselves and must pass it as sSetWebhookUrl. Treat the result as a
 * secret: whoever has it can start the trigger's workflow.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	let url = requireHttpUrl(
		this,
		itemIndex,
		'Trigger URL',
		this.getNodeParameter('triggerUrl', itemIndex),
	);
	const webhookId = triggerWebhookId(url);
	if (!webhookId) {
		throw invalidField(
			this,
			itemIndex,
			'Trigger URL',
			'is not a Documentolog Trigger URL (…/WEBHOOK_ID/webhook)',
		);
	}
	const correlationId = (this.getNodeParameter('correlationId', itemIndex, '') as string).trim();
	if (correlationId) {
		if (!CORRELATION_ID.test(correlationId)) {
			throw invalidField(this, itemIndex, 'Correlation ID', CORRELATION_ID_RULE);
		}
		url = withQueryParameter(url, CORRELATION_PARAMETER, correlationId);
	}
	const key = signingKeyOf(await credentialData.call(this));
	url = withQueryParameter(url, SECRET_PARAMETER, deriveWebhookSecret(key, webhookId));
	return { json: { webhookUrl: url, webhookId }, pairedItem: { item: itemIndex } };
}
