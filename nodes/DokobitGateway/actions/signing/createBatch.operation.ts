import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { legallyBindingNotice } from '../../../shared/notices';
import { field, invalidField } from '../../../shared/validation';
import { hasToken } from '../../helpers/types';
import { TOKEN } from '../../helpers/validation';
import { credentialBaseUrl, dokobitApiRequest } from '../../transport';

/** Documented maximum per batch (SDK docs; one client reports ≤ 10 recommended). */
export const MAX_BATCH = 20;

const properties: INodeProperties[] = [
	legallyBindingNotice(
		'The signer signs every signing of the batch in one action, and each signature is legally binding.',
	),
	{
		displayName: 'Signings',
		name: 'signings',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Signing',
		options: [
			{
				displayName: 'Signing',
				name: 'signing',
				values: [
					{
						displayName: 'Signing Token',
						name: 'token',
						type: 'string',
						typeOptions: { password: true },
						default: '',
						required: true,
					},
					{
						displayName: 'Signer Token',
						name: 'signer_token',
						type: 'string',
						typeOptions: { password: true },
						default: '',
						description:
							'The signer’s access token from Create Signing; empty lets the Gateway ask',
					},
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['signing'], operation: ['createBatch'] } },
	properties,
);

/** The signings of the batch, each token checked, within the Gateway's limit. */
function readSignings(ctx: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const collection = ctx.getNodeParameter('signings', itemIndex, {}) as {
		signing?: IDataObject[];
	};
	const signings = (collection.signing ?? []).map((entry, position) => {
		const token = String(entry.token ?? '').trim();
		if (!TOKEN.test(token)) {
			throw invalidField(
				ctx,
				itemIndex,
				field(properties, `signings.signing[${position}].token`),
				'is missing or not a Dokobit token',
			);
		}
		const signerToken = String(entry.signer_token ?? '').trim();
		if (signerToken && !TOKEN.test(signerToken)) {
			throw invalidField(
				ctx,
				itemIndex,
				field(properties, `signings.signing[${position}].signer_token`),
				'is not a Dokobit token',
			);
		}
		return signerToken ? { token, signer_token: signerToken } : { token };
	});
	if (signings.length === 0)
		throw invalidField(ctx, itemIndex, 'Signings', 'must contain at least one signing');
	if (signings.length > MAX_BATCH) {
		throw invalidField(
			ctx,
			itemIndex,
			'Signings',
			`holds ${signings.length}; the Gateway allows ${MAX_BATCH} per batch`,
		);
	}
	return signings;
}

/**
 * `POST /api/signing/createbatch.json`: one page where a smart-card signer signs many signings at
 * once (not Smart-ID).
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const signings = readSignings(this, itemIndex);
	// Only `signings` is accepted: the Gateway rejects any other key (e.g. postback_url).
	const result = await dokobitApiRequest.call(this, 'POST', '/api/signing/createbatch.json', {
		body: { signings },
		itemIndex,
	});
	if (!hasToken(result)) {
		throw new NodeOperationError(this.getNode(), 'Dokobit Gateway returned no batch token', {
			itemIndex,
		});
	}
	const baseUrl = await credentialBaseUrl.call(this);
	const batch = encodeURIComponent(result.token);
	return {
		json: {
			batchToken: result.token,
			status: result.status,
			signings: signings.map((signing) => signing.token),
			batchUrl: `${baseUrl}/signing/batch/${batch}`,
			sequenceUrl: `${baseUrl}/signing/sequence/${batch}`,
		},
		pairedItem: { item: itemIndex },
	};
}
