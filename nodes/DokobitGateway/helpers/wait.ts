import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { binaryFieldName, emitVerified } from '../../shared/callback';
import { describeFailure } from '../../shared/http';
import {
	executionCustomData,
	readCustomData,
	reserveCustomData,
	vendorResumeProof,
} from '../../shared/resume';
import {
	computeWaitTill,
	endAtLimitWith,
	limitWaitTimeProperty,
	showSigningLinks,
	requireSingleItem,
} from '../../shared/wait';
import {
	acknowledge,
	badRequest,
	headersForAudit,
	readJsonObjectBody,
	refuseBody,
	tryLater,
	unauthorized,
} from '../../shared/webhook';
import { dokobitDownloadSigned, fetchSigningStatus } from '../transport';
import { confirmsPostback, parsePostback, toEsignEvent } from './postback';
import type { PostbackAction, SigningStatus } from './types';

/** Key in the execution's custom data that holds the signing this execution waits for. */
export const WAITING_FOR = 'esignDokobitSigning';

/**
 * Signing states after which nothing more will happen (the Gateway has no decline:
 * docs/vendor-apis.md › Dokobit Documents Gateway › States).
 */
export const TERMINAL_STATES = ['completed', 'archived', 'failed'] as const;

const TERMINAL_EVENTS = {
	completed: 'document.completed',
	archived: 'document.archived',
	failed: 'document.failed',
} as const;

/**
 * The postbacks that report a terminal state (docs/vendor-apis.md › Dokobit Documents Gateway ›
 * Postbacks); signer_signed never does.
 */
const RESUMING_ACTIONS: readonly PostbackAction[] = [
	'signing_completed',
	'signing_archived',
	'signing_archive_failed',
];

export function isTerminal(status: SigningStatus): boolean {
	return (TERMINAL_STATES as readonly string[]).includes(status.status);
}

export const waitOptionsProperty: INodeProperties = {
	displayName: 'Wait Options',
	name: 'waitOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Download Signed File',
			name: 'downloadSignedFile',
			type: 'boolean',
			default: true,
			description: 'Whether to attach the signed file as binary when the signing completes',
		},
		{
			displayName: 'Put Signed File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			description: 'The name of the output binary field for the signed file',
		},
	],
};

export const waitProperties: INodeProperties[] = [waitOptionsProperty, limitWaitTimeProperty];

/** The resume proof (shared/resume.ts), keyed by the credential's access token. */
export const dokobitResumeProof = vendorResumeProof('dokobit', 'dokobitGatewayApi', (credentials) =>
	String(credentials.accessToken ?? ''),
);

/** Claims the custom-data key before anything is sent (shared/resume.ts). */
export function reserveWait(ctx: IExecuteFunctions): void {
	reserveCustomData(ctx, [WAITING_FOR]);
}

/**
 * Pauses the execution until the Gateway reports a terminal state. Nothing is kept in process
 * memory: the signing token goes to the execution's custom data, which the resume webhook reads
 * back from the saved execution (so it works when another process handles the callback).
 */
export async function waitForTerminal(
	this: IExecuteFunctions,
	waiting: IDataObject,
	waitTill: Date,
	signerNames: Record<string, string> = {},
): Promise<INodeExecutionData[][]> {
	// The key was reserved before anything was sent (reserveWait).
	executionCustomData(this).set(WAITING_FOR, String(waiting.token));
	const signers = Array.isArray(waiting.signers) ? (waiting.signers as IDataObject[]) : [];
	showSigningLinks(
		this,
		'Signing links (send each signer their own):',
		signers.map((signer) => ({
			label: signerNames[String(signer.id)] || `Signer ${String(signer.id)}`,
			url: String(signer.signingUrl),
		})),
	);
	endAtLimitWith(this, waitTill, waiting);
	await this.putExecutionToWait(waitTill);
	return [[{ json: { ...waiting, waitingFor: 'signing to complete' }, pairedItem: { item: 0 } }]];
}

/**
 * Signer id → "First Last", for the waiting hint: the id is often the personal code, which tells
 * the sender less than the name. Signers without a name are left out (the hint falls back to the id).
 */
export function signerNamesById(signers: IDataObject[]): Record<string, string> {
	const names: Record<string, string> = {};
	for (const signer of signers) {
		const name = [signer.name, signer.surname]
			.filter((part) => typeof part === 'string' && part.trim() !== '')
			.map((part) => String(part).trim())
			.join(' ');
		if (name && signer.id !== undefined) names[String(signer.id)] = name;
	}
	return names;
}

export function assertSingleItem(ctx: IExecuteFunctions): void {
	requireSingleItem(ctx, 'signing', 'Use Create with the Dokobit Gateway Trigger');
}

export { computeWaitTill };

/**
 * The token this execution waits for. Execution custom data is saved with the waiting execution
 * and read back when the resume call arrives, in whichever process takes it (queue mode).
 */
function expectedToken(ctx: IWebhookFunctions): string | undefined {
	return readCustomData(ctx, WAITING_FOR) || undefined;
}

/**
 * The resume endpoint. A call without the package's resume proof gets 401 (where n8n signs resume
 * URLs, it has checked its own signature too). Every postback is answered 2xx; the execution
 * resumes only on a terminal event whose re-fetched status (of *its own* signing) bears it out.
 * signer_signed keeps it waiting, even the last signer's.
 */
export async function resumeOnTerminal(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const receivedAt = new Date();
	if (!(await dokobitResumeProof.isCarriedBy(this))) return unauthorized(this);
	const body = readJsonObjectBody(this);
	if (!body.ok) return refuseBody(this, body);
	const parsed = parsePostback(body.body);
	if (!parsed.ok) return badRequest(this, parsed.problem);
	const postback = parsed.postback;
	const expected = expectedToken(this);
	if (!expected || postback.token !== expected) return acknowledge(this);
	// Only a terminal event resumes. When the last signer signs, the Gateway sends signer_signed
	// and signing_completed together: if both resumed, n8n would refuse the second (an error in its
	// log, a non-2xx the Gateway retries). signing_completed always follows (with retries).
	if (!RESUMING_ACTIONS.includes(postback.action)) return acknowledge(this);
	let status: SigningStatus;
	try {
		status = await fetchSigningStatus.call(this, postback.token);
	} catch (error) {
		// 404: unknown or deleted signing, retrying is pointless. Anything else: ask Dokobit to retry.
		if (describeFailure(error).status === 404) return acknowledge(this);
		return tryLater(this, 'Could not verify the postback');
	}
	if (!confirmsPostback(postback, status) || !isTerminal(status)) return acknowledge(this);
	const options = this.getNodeParameter('waitOptions', {}) as {
		downloadSignedFile?: boolean;
		binaryPropertyName?: string;
	};
	const event = toEsignEvent(
		postback,
		{ body: body.body, headers: headersForAudit(this.getHeaderData()), query: {} },
		receivedAt,
		status,
	);
	// The outcome comes from the verified status; the postback that carried it may be any event.
	const json = {
		outcome: status.status,
		...event,
		event: TERMINAL_EVENTS[status.status as keyof typeof TERMINAL_EVENTS],
	} as unknown as IDataObject;
	return await emitVerified(this, {
		item: { json },
		answer: 'now',
		files:
			options.downloadSignedFile !== false && status.status !== 'failed'
				? async () => ({
						[binaryFieldName(options.binaryPropertyName)]: await dokobitDownloadSigned.call(
							this,
							postback.token,
						),
					})
				: undefined,
		secrets: [await dokobitResumeProof.key(this)],
	});
}
