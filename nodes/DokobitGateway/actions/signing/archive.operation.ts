import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { requireHttpUrl } from '../../../shared/validation';
import { dokobitApiRequest } from '../../transport';
import { readToken, signingTokenProperty } from '../common';

const properties: INodeProperties[] = [
	signingTokenProperty,
	{
		displayName: 'Postback URL',
		name: 'postbackUrl',
		type: 'string',
		default: '',
		description:
			'Where to report signing_archived / signing_archive_failed. Empty keeps the one given at create.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['signing'], operation: ['archive'] } },
	properties,
);

/**
 * `POST /api/signing/{token}/archive.json`: asks for long-term validation; the result arrives later
 * as a postback.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const token = readToken(this, itemIndex, 'signingToken', 'Signing Token');
	const postbackUrl = this.getNodeParameter('postbackUrl', itemIndex, '') as string;
	const body: IDataObject = {};
	if (postbackUrl) body.postback_url = requireHttpUrl(this, itemIndex, 'Postback URL', postbackUrl);
	const result = await dokobitApiRequest.call(
		this,
		'POST',
		`/api/signing/${encodeURIComponent(token)}/archive.json`,
		{ body, itemIndex },
	);
	return { json: { token, ...result }, pairedItem: { item: itemIndex } };
}
