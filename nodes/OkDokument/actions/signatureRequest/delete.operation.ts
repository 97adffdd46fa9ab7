import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { vendorMessageOutput } from '../../helpers/output';
import { okDokumentApiRequest } from '../../transport';
import { signatureRequestIdProperty, readSignatureRequestId } from '../common';

const properties: INodeProperties[] = [signatureRequestIdProperty];

export const description = updateDisplayOptions(
	{ show: { resource: ['signatureRequest'], operation: ['delete'] } },
	properties,
);

/**
 * `DELETE /JSON/signatureRequest/{id}`: withdraws a signature request; its link stops working. The
 * document stays.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const signatureRequestId = readSignatureRequestId(this, itemIndex);
	const response = await okDokumentApiRequest.call(
		this,
		'DELETE',
		`/JSON/signatureRequest/${encodeURIComponent(signatureRequestId)}`,
		{ itemIndex },
	);
	return {
		json: {
			signatureRequestId,
			deleted: true,
			...vendorMessageOutput(response),
		},
		pairedItem: { item: itemIndex },
	};
}
