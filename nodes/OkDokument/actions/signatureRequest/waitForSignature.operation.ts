import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import {
	assertSingleItem,
	computeWaitTill,
	immediateOutcome,
	isTerminalState,
	reserveWaitKeys,
	waitForOutcome,
	waitProperties,
} from '../../helpers/wait';
import { fetchDocumentMetadata } from '../../transport';
import { documentIdProperty, readDocumentId } from '../common';

const properties: INodeProperties[] = [
	{
		displayName:
			'Create the signature request earlier in this workflow with the Callback URL option set to {{ $execution.resumeUrl }}; this node then waits for it. Use this when you need the signing URL (to e-mail or embed) before waiting.',
		name: 'waitNotice',
		type: 'notice',
		default: '',
	},
	{
		...documentIdProperty,
		placeholder: "e.g. {{ $('Create Signature Request').first().json.documentId }}",
		description: 'The documentId returned by Create',
	},
	...waitProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['signatureRequest'], operation: ['waitForSignature'] } },
	properties,
);

/**
 * Waits for a signature request created earlier in this execution; returns at once when the
 * document is already signed or canceled, or in "errorsendinfo" (the callback came before this
 * node was waiting and OKdokument will not send it again).
 */
export async function executeAndWait(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	assertSingleItem(this);
	const documentId = readDocumentId(this, 0);
	const waitTill = computeWaitTill(this, 0);
	const metadata = await fetchDocumentMetadata.call(this, documentId, 0);
	const state = metadata.state;
	if (isTerminalState(state)) {
		return [[await immediateOutcome.call(this, { ...metadata, state })]];
	}
	reserveWaitKeys(this);
	return await waitForOutcome.call(this, { documentId, state }, waitTill);
}
