import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { legallyBindingNotice } from '../../../shared/notices';
import { field, invalidField, requireOneOf, requireText } from '../../../shared/validation';
import { SIGNING_PURPOSES, signingPurposeOptions } from '../../helpers/types';
import { dokobitApiRequest } from '../../transport';
import { readToken, signingTokenProperty } from '../common';

const properties: INodeProperties[] = [
	legallyBindingNotice(
		'This applies your organisation’s e-seal to the document at once: legally binding, and it cannot be undone.',
	),
	signingTokenProperty,
	{
		displayName: 'Seal Name',
		name: 'sealName',
		type: 'string',
		default: '',
		required: true,
		description: 'Name of the organisation e-seal as configured with Dokobit',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Signing Purpose',
				name: 'signingPurpose',
				type: 'options',
				default: 'signature',
				options: signingPurposeOptions,
			},
			{
				displayName: 'Visible Seal (PDF)',
				name: 'annotation',
				type: 'fixedCollection',
				default: {},
				options: [
					{
						displayName: 'Placement',
						name: 'placement',
						values: [
							{
								displayName: 'Height',
								name: 'height',
								type: 'number',
								default: 50,
							},
							{
								displayName: 'Left',
								name: 'left',
								type: 'number',
								default: 0,
							},
							{
								displayName: 'Page',
								name: 'page',
								type: 'number',
								default: 1,
								typeOptions: { minValue: 1, numberPrecision: 0 },
							},
							{
								displayName: 'Text',
								name: 'text',
								type: 'string',
								default: '',
							},
							{
								displayName: 'Top',
								name: 'top',
								type: 'number',
								default: 0,
							},
							{
								displayName: 'Width',
								name: 'width',
								type: 'number',
								default: 200,
							},
						],
					},
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['signing'], operation: ['seal'] } },
	properties,
);

/**
 * `POST /api/signing/{token}/seal.json`: applies the organisation's e-seal, optionally as a visible
 * annotation on a PDF page.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const token = readToken(this, itemIndex, 'signingToken', 'Signing Token');
	const name = requireText(
		this,
		itemIndex,
		'Seal Name',
		this.getNodeParameter('sealName', itemIndex),
	);
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		signingPurpose?: string;
		annotation?: { placement?: IDataObject };
	};
	const body: IDataObject = { name };
	if (options.signingPurpose) {
		body.signing_purpose = requireOneOf(
			this,
			itemIndex,
			field(properties, 'options.signingPurpose'),
			options.signingPurpose,
			SIGNING_PURPOSES,
		);
	}
	const placement = options.annotation?.placement;
	if (placement) {
		for (const key of ['page', 'top', 'left', 'width', 'height']) {
			if (typeof placement[key] !== 'number' || !Number.isFinite(placement[key])) {
				throw invalidField(
					this,
					itemIndex,
					field(properties, `options.annotation.placement.${key}`),
					'must be a number',
				);
			}
		}
		const annotation: IDataObject = {
			page: placement.page,
			top: placement.top,
			left: placement.left,
			width: placement.width,
			height: placement.height,
		};
		if (placement.text) annotation.text = placement.text;
		body.pdf = { annotation };
	}
	const result = await dokobitApiRequest.call(
		this,
		'POST',
		`/api/signing/${encodeURIComponent(token)}/seal.json`,
		{ body, itemIndex },
	);
	return { json: { signingToken: token, ...result }, pairedItem: { item: itemIndex } };
}
