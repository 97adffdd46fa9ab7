/**
 * One path for every vendor trigger's webhook call: method → URL secret → JSON body → parse →
 * event filter → repeat? → re-read the vendor's state → repeat? → emit (shared/callback.ts). Each
 * vendor supplies a small `VendorTrigger` with what differs; the order, the answers and the
 * dedupe rules are written once here.
 *
 * Answers: 405 not POST, 401 wrong or missing secret, 400/413 not an event, 200 and nothing starts
 * for events that are filtered out, repeated, unknown or contradicted by the vendor, 503 when the
 * vendor's state could not be read (vendors that retry come back).
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { type VerifiedCallback, emitVerified } from './callback';
import {
	type UrlSecretCheck,
	acknowledge,
	auditedRequest,
	badRequest,
	hasSeen,
	readSecuredEvent,
	refuseUnlessPost,
	rememberOnce,
	syncRemembered,
	tryLater,
	webhookDedupe,
} from './webhook';

export type Verification<Verified> =
	| { ok: true; verified: Verified }
	/** 200 and no execution: the vendor's state does not bear the event out. */
	| { ok: false; answer: 'drop'; reason: string }
	/** 503: the state could not be read now. */
	| { ok: false; answer: 'retry'; reason: string };

/** The request as it may appear in output (`raw`). */
export type AuditedRequest = ReturnType<typeof auditedRequest>;

export interface VendorTrigger<Event, Verified> {
	/** Names the vendor in log lines. */
	vendor: string;
	/** The URL secret this trigger accepts (a value, '' for none, or a check). */
	secret: UrlSecretCheck;
	/** The query parameter that carries it; it never reaches the output. */
	secretParameter: string;
	parse(body: Record<string, unknown>): { ok: true; event: Event } | { ok: false; problem: string };
	/** Why the event is not wanted as it arrives (the node's event filter), or undefined. */
	unwanted(event: Event): string | undefined;
	/** Keys that show a repeat before the vendor is asked, so a repeat costs no request. */
	keysBefore(event: Event, query: IDataObject): string[];
	/** Re-reads the vendor's state for the event. */
	verify(event: Event): Promise<Verification<Verified>>;
	/** The event's keys once verified; it starts an execution only when none was seen. */
	keysAfter(event: Event, verified: Verified, query: IDataObject): string[];
	/** The item to emit, its files and the secrets to scrub. */
	emit(
		event: Event,
		verified: Verified,
		raw: AuditedRequest,
		receivedAt: Date,
	): Promise<Omit<VerifiedCallback, 'answer'>>;
	/** After the secret matched on a live call (not a test run). */
	onAuthentic?(): void;
	/** Last, before n8n saves static data: write back what this process knows. */
	finish?(): void;
}

/** A trigger, or the answer already written when it cannot even be set up (e.g. no credential). */
export type TriggerSetup<Event, Verified> = VendorTrigger<Event, Verified> | IWebhookResponseData;

function isTrigger<E, V>(setup: TriggerSetup<E, V>): setup is VendorTrigger<E, V> {
	return typeof (setup as VendorTrigger<E, V>).parse === 'function';
}

export async function handleTriggerCall<Event, Verified>(
	ctx: IWebhookFunctions,
	setUp: () => Promise<TriggerSetup<Event, Verified>>,
): Promise<IWebhookResponseData> {
	const receivedAt = new Date();
	const refused = refuseUnlessPost(ctx);
	if (refused) return refused;
	const trigger = await setUp();
	if (!isTrigger(trigger)) return trigger;

	const read = readSecuredEvent(ctx, trigger.secret, trigger.secretParameter);
	if (!read.ok) return read.response;
	// Test runs (webhook-test URLs) save no static data: they remember nothing.
	const live = ctx.getMode() !== 'manual';
	if (live) trigger.onAuthentic?.();
	const parsed = trigger.parse(read.body);
	if (!parsed.ok) return badRequest(ctx, parsed.problem);
	const event = parsed.event;
	const unwanted = trigger.unwanted(event);
	if (unwanted) {
		ctx.logger.debug(`${trigger.vendor} event not wanted: ${unwanted}`);
		return acknowledge(ctx);
	}

	const staticData = ctx.getWorkflowStaticData('node');
	const dedupe = webhookDedupe(ctx);
	const seen = (keys: string[]) => live && keys.some((key) => hasSeen(staticData, key, dedupe));
	if (seen(trigger.keysBefore(event, read.query))) {
		ctx.logger.debug(`${trigger.vendor} event already processed`);
		return acknowledge(ctx);
	}

	const verification = await trigger.verify(event);
	if (!verification.ok) {
		ctx.logger.warn(`${trigger.vendor} event dropped: ${verification.reason}`);
		return verification.answer === 'retry'
			? tryLater(ctx, 'Could not verify the event; try again later')
			: acknowledge(ctx);
	}
	const keys = trigger.keysAfter(event, verification.verified, read.query);
	if (seen(keys)) return acknowledge(ctx);
	// The first key decides: a concurrent copy in this process that got there first wins.
	if (live && keys.length > 0) {
		if (!rememberOnce(staticData, keys[0], dedupe)) return acknowledge(ctx);
		for (const key of keys.slice(1)) rememberOnce(staticData, key, dedupe);
	}

	const raw = auditedRequest(ctx, read.body, read.query, [trigger.secretParameter]);
	const emission = await trigger.emit(event, verification.verified, raw, receivedAt);
	// Without files n8n answers once the execution is queued, so an overloaded instance answers an
	// error and a vendor that retries does; with files the answer goes first (shared/callback.ts).
	const emitted = await emitVerified(ctx, { ...emission, answer: 'whenQueued' });
	if (live) {
		syncRemembered(staticData, dedupe);
		trigger.finish?.();
	}
	return emitted;
}
