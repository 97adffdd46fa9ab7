import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { describeFailure } from '../../shared/http';
import type {
	AuditedRequest,
	TriggerSetup,
	VendorTrigger,
	Verification,
} from '../../shared/trigger';
import { credentialBaseUrl, fetchDocumentMetadata } from '../transport';
import {
	type ParsedCallback,
	callbackDedupeKey,
	confirmedOutcome,
	parseCallback,
	roundDedupeKey,
	toEsignEvent,
} from './callback';
import { signedFileBinary } from './signedFile';
import type { DocumentMetadata, OutcomeState } from './types';

/** Query parameter that carries the optional URL secret. */
export const SECRET_PARAMETER = 'secret';

interface TriggerOptions {
	downloadSignedFile?: boolean;
	binaryPropertyName?: string;
	rawPayloadOnly?: boolean;
}

interface ConfirmedCallback {
	outcome: OutcomeState;
	/** The document as re-read (absent without verification). */
	metadata?: DocumentMetadata;
}

/** The trigger's parameters, read once per call. */
interface TriggerSettings {
	secret: string;
	events: string[];
	verifies: boolean;
	options: TriggerOptions;
}

function readSettings(ctx: IWebhookFunctions): TriggerSettings {
	return {
		secret: String(ctx.getNodeParameter('secret', '') ?? '').trim(),
		events: ctx.getNodeParameter('events', []) as string[],
		verifies: ctx.getNodeParameter('verification', 'refetchMetadata') !== 'none',
		options: ctx.getNodeParameter('options', {}) as TriggerOptions,
	};
}

type OkDokumentTrigger = VendorTrigger<ParsedCallback, ConfirmedCallback>;

/**
 * The OKdokument Trigger's part of the shared trigger path (shared/trigger.ts). OKdokument sends
 * its one callback without any authentication, so by default the document's state is re-read
 * and must bear the callback out. It never retries: a callback that cannot be checked now is
 * answered 503, which at least leaves the document in `errorsendinfo` for the Polling Trigger.
 */
export async function okDokumentTrigger(
	ctx: IWebhookFunctions,
): Promise<TriggerSetup<ParsedCallback, ConfirmedCallback>> {
	const settings = readSettings(ctx);
	const { events } = settings;
	return {
		vendor: 'OKdokument',
		secret: settings.secret,
		secretParameter: SECRET_PARAMETER,
		parse: (body) => parseTriggerCallback(body, settings.verifies),
		unwanted: (callback) =>
			callback.state === undefined || events.includes(callback.state)
				? undefined
				: `${callback.state} is filtered out`,
		keysBefore: (callback) =>
			callback.state === undefined ? [] : [callbackDedupeKey(callback, callback.state)],
		verify: async (callback) => await verifyCallback(ctx, callback, settings),
		// One execution per document, outcome and round: the round is named by the callback's
		// signatureRequestId and, when verified, by the document's modification time.
		keysAfter: (callback, { outcome, metadata }) => {
			const round = roundDedupeKey(callback, outcome, metadata);
			return [callbackDedupeKey(callback, outcome), ...(round === undefined ? [] : [round])];
		},
		emit: async (callback, confirmed, raw, receivedAt) =>
			await emitCallback(ctx, settings, callback, confirmed, raw, receivedAt),
	};
}

/** The callback body, parsed; without verification it must name its state. */
function parseTriggerCallback(
	body: Record<string, unknown>,
	verifies: boolean,
): ReturnType<OkDokumentTrigger['parse']> {
	const parsed = parseCallback(body);
	if (!parsed.ok) return parsed;
	// Without verification the callback's own state is all there is.
	if (!verifies && parsed.callback.state === undefined) {
		return { ok: false, problem: 'Missing state' };
	}
	return { ok: true, event: parsed.callback };
}

/** The callback borne out by the document's metadata (unless verification is off). */
async function verifyCallback(
	ctx: IWebhookFunctions,
	callback: ParsedCallback,
	{ verifies, events }: TriggerSettings,
): Promise<Verification<ConfirmedCallback>> {
	if (!verifies) return { ok: true, verified: { outcome: callback.state as OutcomeState } };
	let metadata: DocumentMetadata;
	try {
		// One attempt, bounded: OKdokument is waiting for this answer.
		metadata = await fetchDocumentMetadata.call(ctx, callback.id, undefined, { retry: false });
	} catch (error) {
		if (describeFailure(error).status === 404) {
			return { ok: false, answer: 'drop', reason: 'unknown document' };
		}
		return { ok: false, answer: 'retry', reason: (error as Error).message };
	}
	const outcome = confirmedOutcome(callback, metadata);
	if (outcome === undefined) {
		return { ok: false, answer: 'drop', reason: `contradicts the state ${metadata.state}` };
	}
	if (!events.includes(outcome)) {
		return { ok: false, answer: 'drop', reason: `${outcome} is filtered out` };
	}
	return { ok: true, verified: { outcome, metadata } };
}

/** The item (the normalized event, or the raw request), the signed PDF on request, the secrets. */
async function emitCallback(
	ctx: IWebhookFunctions,
	{ secret, options }: TriggerSettings,
	callback: ParsedCallback,
	{ outcome, metadata }: ConfirmedCallback,
	raw: AuditedRequest,
	receivedAt: Date,
): ReturnType<OkDokumentTrigger['emit']> {
	const credentials = await ctx.getCredentials<IDataObject>('okDokumentApi');
	const event = toEsignEvent(
		callback,
		outcome,
		raw,
		receivedAt,
		await credentialBaseUrl.call(ctx),
		metadata,
	);
	const json = (options.rawPayloadOnly ? raw : event) as unknown as IDataObject;
	const files = async () =>
		await signedFileBinary.call(ctx, callback.id, event, {
			storedName: metadata?.filename,
			binaryPropertyName: options.binaryPropertyName,
		});
	return {
		item: { json },
		files: options.downloadSignedFile === true && outcome === 'signed' ? files : undefined,
		secrets: [secret, String(credentials.apiKey ?? '')],
	};
}
