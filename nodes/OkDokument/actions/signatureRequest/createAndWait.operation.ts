import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import {
	assertSingleItem,
	capAtExpiry,
	computeWaitTill,
	okDokumentResumeProof,
	reserveWaitKeys,
	signerLabel,
	waitForOutcome,
	waitProperties,
} from '../../helpers/wait';
import { readRules } from '../../helpers/rules';
import { createSignatureRequest, fields as createFields } from './create.operation';

/** Create's fields without Callback URL: this operation sends the execution's own resume URL. */
function withoutCallbackUrl(properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) =>
		property.name === 'options'
			? {
					...property,
					options: property.options?.filter(
						(option) => !('name' in option && option.name === 'callbackUrl'),
					),
				}
			: property,
	);
}

export const description = updateDisplayOptions(
	{ show: { resource: ['signatureRequest'], operation: ['createAndWait'] } },
	[...withoutCallbackUrl(createFields), ...waitProperties],
);

/**
 * Creates the signature request with this execution's resume URL (with the package's proof) as
 * `sendInfoURL`, then waits. The output before the wait holds the signing URL (also shown as a
 * note, see showSigningLinks). With an explicit Expires At the wait ends shortly after the link expires:
 * OKdokument sends no callback then.
 */
export async function executeAndWait(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	assertSingleItem(this);
	const waitTill = computeWaitTill(this, 0);
	reserveWaitKeys(this);
	const signer = signerLabel(readRules(this, 0));
	const callbackUrl = okDokumentResumeProof.resumeUrl(this);
	const created = await createSignatureRequest.call(this, 0, { sendInfoURL: callbackUrl });
	delete created.json.callbackUrl; // the resume URL is a capability; keep it out of the data
	return await waitForOutcome.call(
		this,
		created.json,
		capAtExpiry(waitTill, created.json.expiresAt),
		signer,
	);
}
