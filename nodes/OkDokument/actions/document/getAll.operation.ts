import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { requireOneOf } from '../../../shared/validation';
import { documentOutput } from '../../helpers/output';
import { LIST_STATES, listDocuments } from '../../helpers/list';

const properties: INodeProperties[] = [
	{
		displayName: 'State',
		name: 'state',
		type: 'options',
		default: '*',
		description: 'Only documents in this state',
		options: [
			{ name: 'All', value: '*' },
			{
				name: 'Callback Failed',
				value: 'errorsendinfo',
				description: 'Signed or canceled, but the callback to the Callback URL failed',
			},
			{ name: 'Canceled', value: 'canceled', description: 'The signer pressed Cancel' },
			{ name: 'Scanning Tags', value: 'tags' },
			{ name: 'Signed', value: 'signed' },
			{ name: 'Stamping', value: 'tostamp' },
			{ name: 'To Sign', value: 'tosign' },
		],
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['getAll'] } },
	properties,
);

/** `GET /JSON/list/flat`: the account's documents in one state (or all), one item each. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const state = requireOneOf(
		this,
		itemIndex,
		'State',
		this.getNodeParameter('state', itemIndex),
		LIST_STATES,
	);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const documents = await listDocuments.call(this, state, itemIndex);
	const limit = returnAll
		? documents.length
		: Math.max(1, Math.floor(Number(this.getNodeParameter('limit', itemIndex, 50))));
	return documents
		.slice(0, limit)
		.map((document) => ({ json: documentOutput(document), pairedItem: { item: itemIndex } }));
}
