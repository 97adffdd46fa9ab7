import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { maskResumeSecrets } from '../../../shared/resume';
import { field, invalidField, requireHttpUrl } from '../../../shared/validation';
import { vendorMessageOutput } from '../../helpers/output';
import { okDokumentResumeProof } from '../../helpers/wait';
import { okDokumentApiRequest } from '../../transport';
import { signatureRequestIdProperty, readSignatureRequestId } from '../common';

const properties: INodeProperties[] = [
	signatureRequestIdProperty,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Callback URL',
				name: 'callbackUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. the Production URL of an OKdokument Trigger',
				description: 'Where OKdokument POSTs the outcome when the signer submits or cancels',
			},
			{
				displayName: 'Result URL',
				name: 'resultUrl',
				type: 'string',
				default: '',
				description: 'Where the signer’s browser goes after submitting or closing',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['signatureRequest'], operation: ['update'] } },
	properties,
);

/** A field of Update Fields, named as the panel shows it. */
const updateField = (name: string) => field(properties, `updateFields.${name}`);

/** `PATCH /JSON/signatureRequest`: the callback and result URLs of a pending request. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const signatureRequestId = readSignatureRequestId(this, itemIndex);
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as {
		callbackUrl?: string;
		resultUrl?: string;
	};
	const body: IDataObject = { signatureRequestId };
	if (fields.callbackUrl?.trim()) {
		// The wiki's table spells it sendInfoUrl, its example sendInfoURL (as create does); the example
		// wins.
		body.sendInfoURL = okDokumentResumeProof.addTo(
			this,
			requireHttpUrl(this, itemIndex, updateField('callbackUrl'), fields.callbackUrl),
		);
	}
	if (fields.resultUrl?.trim()) {
		body.resulturl = requireHttpUrl(this, itemIndex, updateField('resultUrl'), fields.resultUrl);
	}
	if (!body.sendInfoURL && !body.resulturl) {
		throw invalidField(this, itemIndex, 'Update Fields', 'must set a Callback URL or a Result URL');
	}
	const response = await okDokumentApiRequest.call(this, 'PATCH', '/JSON/signatureRequest', {
		body,
		itemIndex,
	});
	return {
		json: {
			signatureRequestId,
			updated: true,
			...(body.sendInfoURL ? { callbackUrl: maskResumeSecrets(String(body.sendInfoURL)) } : {}),
			...(body.resulturl ? { resultUrl: body.resulturl } : {}),
			...vendorMessageOutput(response),
		},
		pairedItem: { item: itemIndex },
	};
}
