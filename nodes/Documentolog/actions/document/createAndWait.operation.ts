import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { computeWaitTill } from '../../../shared/wait';
import {
	assertSingleItem,
	assertSomeoneSigns,
	newCorrelationId,
	prepareWait,
	waitForOutcome,
	waitProperties,
} from '../../helpers/wait';
import {
	checkIdentifierStructureOption,
	documentFields,
	embedOptions,
	optionsField,
} from './createSigningSession/fields';
import { createSession } from './createSigningSession.operation';

// Create Signing Session's fields without its Webhook URL and the options that shape it: the
// events go to this execution's resume URL.
const properties: INodeProperties[] = [
	...documentFields,
	optionsField([checkIdentifierStructureOption, ...embedOptions]),
	{
		displayName:
			'The execution waits until Documentolog reports the document completed or declined. When you run the workflow in the editor, the waiting node shows the sender’s embed URL; saved waiting executions hide it (n8n’s editor hides a waiting node’s output). To show the iframe on a web page, use Create Signing Session → Respond to Webhook instead, and the Documentolog Trigger for the result.',
		name: 'waitNotice',
		type: 'notice',
		default: '',
	},
	...waitProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['createAndWait'] } },
	properties,
);

/**
 * Creates the document with this execution's resume URL (plus a random correlation id and the
 * package's proof) as `sSetWebhookUrl`, then waits. Everything is validated before the create: a
 * bad wait limit or a document nobody signs creates nothing.
 */
export async function executeAndWait(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	assertSingleItem(this);
	const waitTill = computeWaitTill(this, 0);
	assertSomeoneSigns(this, 0);
	const correlationId = newCorrelationId();
	const resumeUrl = await prepareWait(this, correlationId);
	const session = await createSession.call(this, 0, { webhookUrl: resumeUrl, correlationId });
	return await waitForOutcome.call(this, session, correlationId, waitTill);
}
