/**
 * Send and Wait for Signature (the execution waits in n8n's waiting state, resumed through
 * `$execution.resumeUrl`): the execute side that pauses the execution, and the resume webhook that
 * ends the wait.
 *
 * How a callback is trusted. Documentolog neither signs its webhooks nor has a status endpoint to
 * re-check an event against (docs/vendor-apis.md › Documentolog › Webhooks), so:
 * 1. The resume URL carries the package's proof (shared/resume.ts), keyed by the credential's
 *    signing key: a call without it gets 401, on every n8n version. Where n8n signs resume URLs
 *    (2.14 on) it has also checked its own `signature` before this node runs.
 * 2. The document is created with the resume URL plus a random correlation id (`?ref=…`, the create
 *    answer has no doc_id to match on). The id is kept in the execution's custom data, which n8n
 *    saves with the waiting execution and hands to whichever process takes the resume call (queue
 *    mode); events that carry any other id are answered 200 and ignored.
 * What remains: whoever holds the full resume URL can end the wait. The URL is therefore kept out
 * of the node's output; it is known to n8n and to Documentolog only.
 */
import { randomUUID } from 'crypto';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { dedupeKey } from '../../shared/events';
import {
	RESUME_URL_SECRETS,
	executionCustomData,
	readCustomData,
	reserveCustomData,
	vendorResumeProof,
} from '../../shared/resume';
import {
	endAtLimitWith,
	limitWaitTimeProperty,
	showSigningLinks,
	requireSingleItem,
} from '../../shared/wait';
import {
	acknowledge,
	auditedRequest,
	badRequest,
	readJsonObjectBody,
	refuseBody,
	safeEqual,
	tryLater,
	unauthorized,
} from '../../shared/webhook';
import {
	FILE_KIND_OPTIONS,
	type DownloadKind,
	downloadKindOf,
} from '../actions/document/downloadFiles.operation';
import { binaryFieldName, emitVerified } from '../../shared/callback';
import { downloadEventFiles } from './eventFiles';
import { credentialData } from '../transport';
import { parseDelivery, toEsignEvent } from './delivery';
import { CORRELATION_PARAMETER, signingKeyOf } from './secret';
import type { WebhookEvent } from './types';

/** Key in the execution's custom data that holds the correlation id this execution waits for. */
export const WAITING_FOR = 'esignDocumentologRef';

/** The events that end the wait, and what the node reports for each. */
export const TERMINAL_EVENTS = {
	document_completed: { outcome: 'completed', event: 'document.completed' },
	// A rejection ends the flow for the initiator: the derived document.declined
	// (docs/vendor-apis.md › Normalized event).
	signer_declined: { outcome: 'declined', event: 'document.declined' },
} as const satisfies Partial<Record<WebhookEvent, { outcome: string; event: string }>>;

export function isTerminalEvent(event: WebhookEvent): event is keyof typeof TERMINAL_EVENTS {
	return event in TERMINAL_EVENTS;
}

export interface WaitOptions {
	downloadFiles?: boolean;
	fileKind?: DownloadKind;
	binaryPropertyName?: string;
}

export const waitOptionsProperty: INodeProperties = {
	displayName: 'Wait Options',
	name: 'waitOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Download Files',
			name: 'downloadFiles',
			type: 'boolean',
			default: true,
			description:
				'Whether to attach the completed document’s files as binary when it completes. The links are only followed to the credential’s own host.',
		},
		{
			displayName: 'Files',
			name: 'fileKind',
			type: 'options',
			default: 'signed',
			description: 'Which files of the completion to download',
			options: FILE_KIND_OPTIONS,
		},
		{
			displayName: 'Put Output Files in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			hint: 'One file goes to this field; several go to FIELD_0, FIELD_1, …',
		},
	],
};

export const waitProperties: INodeProperties[] = [waitOptionsProperty, limitWaitTimeProperty];

/** A fresh correlation id for one wait (matches the Create operation's `?ref=` format). */
export function newCorrelationId(): string {
	return `wait-${randomUUID()}`;
}

/** The resume proof (shared/resume.ts), keyed like the trigger secret (secret.ts). */
export const documentologResumeProof = vendorResumeProof(
	'documentolog',
	'documentologApi',
	signingKeyOf,
);

/**
 * Claims the custom-data key, then returns this execution's resume URL with the correlation id
 * and the package's proof: everything that can fail is done before the create.
 */
export async function prepareWait(ctx: IExecuteFunctions, correlationId: string): Promise<string> {
	reserveCustomData(ctx, [WAITING_FOR]);
	return documentologResumeProof.resumeUrl(ctx, { [CORRELATION_PARAMETER]: correlationId });
}

export function assertSingleItem(ctx: IExecuteFunctions): void {
	requireSingleItem(ctx, 'document', 'Use Create Signing Session with the Documentolog Trigger');
}

/**
 * Refuses a document nobody has to sign: with no sender signature methods and no recipient who
 * must sign, Documentolog may complete it at once, while this execution is still saving its wait
 * (the callback would then get 409 from n8n and be lost, as Documentolog's retries are unknown).
 */
export function assertSomeoneSigns(ctx: IExecuteFunctions, itemIndex: number): void {
	const senderMethods = ctx.getNodeParameter('senderSignatureMethods', itemIndex, []) as unknown;
	const senderSigns = Array.isArray(senderMethods) && senderMethods.length > 0;
	const recipientsSign =
		(ctx.getNodeParameter('sendToRecipient', itemIndex, true) as boolean) &&
		(ctx.getNodeParameter('recipientSignatureRequired', itemIndex, true) as boolean);
	if (!senderSigns && !recipientsSign) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Send and wait needs someone to sign: set Sender Signature Methods, or send to recipients who must sign',
			{
				itemIndex,
				description:
					'With nothing to sign the document may complete before the wait begins. Use Create Signing Session for view-only documents.',
			},
		);
	}
}

/**
 * Pauses the execution. The correlation id goes to the execution's custom data (saved with the
 * waiting execution; nothing is kept in process memory). The output returned here holds the
 * embed URL and iframe snippet for the sender; the editor shows the URL as a note
 * (showSigningLinks), since it hides a waiting node's output.
 */
export async function waitForOutcome(
	this: IExecuteFunctions,
	session: IDataObject,
	correlationId: string,
	waitTill: Date,
): Promise<INodeExecutionData[][]> {
	// The key was reserved before anything was sent (prepareWait).
	executionCustomData(this).set(WAITING_FOR, correlationId);
	if (typeof session.embedUrl === 'string') {
		showSigningLinks(this, 'Signing page (open it, or show it in an iframe):', [
			{ label: 'Sender', url: session.embedUrl },
		]);
	}
	endAtLimitWith(this, waitTill, session);
	await this.putExecutionToWait(waitTill);
	return [
		[
			{
				json: { ...session, waitingFor: 'document to be completed or declined' },
				pairedItem: { item: 0 },
			},
		],
	];
}

/** The correlation id this execution waits for (from the saved execution's custom data). */
function expectedCorrelation(ctx: IWebhookFunctions): string | undefined {
	return readCustomData(ctx, WAITING_FOR) || undefined;
}

/** True when the call's `?ref=` is exactly the one this execution waits for (constant time). */
export function correlationMatches(expected: string | undefined, query: unknown): boolean {
	if (!expected) return false;
	const given = (query as IDataObject | undefined)?.[CORRELATION_PARAMETER];
	return typeof given === 'string' && safeEqual(given, expected);
}

function readWaitOptions(ctx: IWebhookFunctions): Required<WaitOptions> {
	const options = ctx.getNodeParameter('waitOptions', {}) as WaitOptions;
	return {
		downloadFiles: options.downloadFiles !== false,
		fileKind: downloadKindOf(options.fileKind),
		binaryPropertyName: binaryFieldName(options.binaryPropertyName),
	};
}

/**
 * The resume endpoint. A call without the package's resume proof gets 401. Every event for this
 * document is answered 200; document_sent and signer_signed keep the execution waiting, and
 * document_completed or signer_declined end the wait with the normalized event and an `outcome`.
 * The answer goes out before the downloads, and a failed download is reported in the output
 * (`downloadError`) rather than lost: Documentolog's retries are undocumented (shared/callback.ts).
 */
export async function resumeOnOutcome(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const receivedAt = new Date();
	let credentials: IDataObject;
	try {
		credentials = await credentialData.call(this);
	} catch (error) {
		this.logger.error('Documentolog send and wait has no usable credential', {
			error: (error as Error).message,
		});
		return tryLater(this, 'The node is not configured');
	}
	if (!(await documentologResumeProof.isCarriedBy(this))) return unauthorized(this);
	const read = readJsonObjectBody(this);
	if (!read.ok) return refuseBody(this, read);
	const parsed = parseDelivery(read.body);
	if (!parsed.ok) return badRequest(this, parsed.problem);
	const delivery = parsed.delivery;
	const query = this.getQueryData() as IDataObject;
	const expected = expectedCorrelation(this);
	if (!correlationMatches(expected, query)) {
		this.logger.debug('Documentolog event for another document; still waiting');
		return acknowledge(this);
	}
	if (!isTerminalEvent(delivery.event)) return acknowledge(this);

	const terminal = TERMINAL_EVENTS[delivery.event];
	const raw = auditedRequest(this, read.body, query, RESUME_URL_SECRETS);
	const event = toEsignEvent(delivery, raw, receivedAt, expected);
	const json: IDataObject = {
		outcome: terminal.outcome,
		...(event as unknown as IDataObject),
		event: terminal.event,
	};
	if (delivery.event === 'signer_declined') {
		json.derived = true;
		json.dedupeKey = dedupeKey('documentolog', event.documentId, terminal.event);
	}
	const options = readWaitOptions(this);
	return await emitVerified(this, {
		item: { json },
		answer: 'now',
		files:
			options.downloadFiles && delivery.event === 'document_completed'
				? async () =>
						await downloadEventFiles.call(this, event, options.fileKind, options.binaryPropertyName)
				: undefined,
		secrets: [
			...RESUME_URL_SECRETS.map((name) => (typeof query[name] === 'string' ? query[name] : '')),
			String(credentials.apiKey ?? ''),
			String(credentials.webhookSigningSecret ?? ''),
		],
	});
}
