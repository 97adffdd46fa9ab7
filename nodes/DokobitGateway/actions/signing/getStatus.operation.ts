import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { ApiContext } from '../../../shared/http';
import { statusOutput } from '../../helpers/output';
import { type SigningStatus, isSigningStatus } from '../../helpers/types';
import { dokobitApiRequest } from '../../transport';
import { readToken, signingTokenProperty } from '../common';

const properties: INodeProperties[] = [signingTokenProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['signing'], operation: ['getStatus'] } },
	properties,
);

/**
 * `GET /api/signing/{token}/status.json`, shared with the trigger and send-and-wait, which re-check
 * every postback against it.
 */
export async function fetchSigningStatus(
	this: ApiContext,
	signingToken: string,
	itemIndex?: number,
): Promise<SigningStatus> {
	const status = await dokobitApiRequest.call(
		this,
		'GET',
		`/api/signing/${encodeURIComponent(signingToken)}/status.json`,
		{ itemIndex },
	);
	if (!isSigningStatus(status)) {
		throw new NodeOperationError(
			this.getNode(),
			'Dokobit Gateway returned an unreadable signing status',
			{
				itemIndex,
			},
		);
	}
	return status;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const token = readToken(this, itemIndex, 'signingToken', 'Signing Token');
	const status = await fetchSigningStatus.call(this, token, itemIndex);
	return { json: statusOutput(token, status), pairedItem: { item: itemIndex } };
}
