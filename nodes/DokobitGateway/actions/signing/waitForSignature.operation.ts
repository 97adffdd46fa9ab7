import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { statusOutput } from '../../helpers/output';
import {
	assertSingleItem,
	computeWaitTill,
	isTerminal,
	reserveWait,
	waitForTerminal,
	waitProperties,
} from '../../helpers/wait';
import { dokobitDownloadSigned, fetchSigningStatus } from '../../transport';
import { readToken, signingTokenProperty } from '../common';

const properties: INodeProperties[] = [
	{
		displayName:
			'Create the signing earlier in this workflow with Postback URL set to {{ $execution.resumeUrl }}; this node then waits for it. Use this when you need the signing links (to e-mail or embed) before waiting.',
		name: 'waitNotice',
		type: 'notice',
		default: '',
	},
	{
		...signingTokenProperty,
		placeholder: "e.g. {{ $('Create Signing').first().json.token }}",
	},
	...waitProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['signing'], operation: ['waitForSignature'] } },
	properties,
);

/** Waits for a signing created earlier in this execution; returns at once if it is already done. */
export async function executeAndWait(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	assertSingleItem(this);
	const token = readToken(this, 0, 'signingToken', 'Signing Token');
	const waitTill = computeWaitTill(this, 0);
	const status = await fetchSigningStatus.call(this, token, 0);
	if (isTerminal(status)) {
		const item: INodeExecutionData = {
			json: { outcome: status.status, ...statusOutput(token, status) },
			pairedItem: { item: 0 },
		};
		const options = this.getNodeParameter('waitOptions', 0, {}) as {
			downloadSignedFile?: boolean;
			binaryPropertyName?: string;
		};
		if (options.downloadSignedFile !== false && status.status !== 'failed') {
			item.binary = {
				[options.binaryPropertyName || 'data']: await dokobitDownloadSigned.call(this, token, {
					itemIndex: 0,
				}),
			};
		}
		return [[item]];
	}
	reserveWait(this);
	return await waitForTerminal.call(this, { token, status: status.status }, waitTill);
}
