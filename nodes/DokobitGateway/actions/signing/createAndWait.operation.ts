import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import {
	assertSingleItem,
	computeWaitTill,
	dokobitResumeProof,
	reserveWait,
	signerNamesById,
	waitForTerminal,
	waitProperties,
} from '../../helpers/wait';
import { readSigners } from '../../helpers/readSigners';
import { optionsField, signingFields, signingOptions } from './create/fields';
import { createSigning } from './create.operation';

// Create's fields without its Postback URL (the events go to this execution's resume URL), then
// the wait's own.
export const description = updateDisplayOptions(
	{ show: { resource: ['signing'], operation: ['createAndWait'] } },
	[...signingFields, optionsField(signingOptions), ...waitProperties],
);

/**
 * Creates the signing with this execution's resume URL (with the package's proof) as
 * `postback_url`, then waits. The output before the wait holds the signer URLs (also shown as a
 * note, see showSigningLinks). Everything that can fail is checked before the create.
 */
export async function executeAndWait(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	assertSingleItem(this);
	const waitTill = computeWaitTill(this, 0);
	reserveWait(this);
	const names = signerNamesById(readSigners(this, 0, { required: false }));
	const postbackUrl = dokobitResumeProof.resumeUrl(this);
	const created = await createSigning.call(this, 0, { postback_url: postbackUrl });
	delete created.postbackUrl; // the resume URL is a capability; keep it out of the data
	return await waitForTerminal.call(this, created, waitTill, names);
}
