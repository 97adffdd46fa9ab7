/**
 * "Request Concurrency: Auto": how many items a node run keeps in flight, adjusted from what the
 * vendor's answers say. The ideas come from adaptive concurrency limiters (TCP congestion control,
 * Netflix concurrency-limits' AIMD and Gradient, Envoy's adaptive concurrency filter); the code is
 * our own and small:
 *
 * - It starts at `AUTO_START` and, while no answer has been slow or refused, grows by one per
 *   answer (doubling per round trip, like TCP's slow start), for reads only.
 * - After that, reads grow by about √limit per round trip while the latency stays near its floor,
 *   else by about one. As soon as the run sends a create: about one per round trip, no slow start.
 * - Latency: the answers are grouped in windows of about one round trip each; the lowest window
 *   mean is the vendor's floor. A window whose mean is more than `LATENCY_TOLERANCE` × the floor
 *   means requests are queueing somewhere (at the vendor or in n8n's own event loop): the limit
 *   shrinks, the more the further above (between `LATENCY_DECREASE` and `LATENCY_DECREASE_MIN`).
 *   Jitter alone moves window means far less than that. One such answer also ends slow start.
 * - 429 or 503: the limit halves (once per burst: answers to requests sent before the last cut do
 *   not cut again), and what the vendor had in flight when it refused becomes a ceiling (see
 *   `overloaded`). Reads probe one above it again only after a long quiet stretch (the stretch
 *   doubles after each failed probe); creates never do, because a create that gets 429 is an
 *   error item, not a retry.
 * - Who waits out `Retry-After`: in a run of reads only, a refusal that the number of our requests
 *   at the vendor explains (a limit on requests in flight) holds back only the refused read. It
 *   steps out of the window while it waits (`stepOut`), so the others keep the vendor busy within
 *   the lowered limit, and comes back ahead of items not yet started (`stepBackIn`). Any other
 *   refusal (a create's, a run that sends creates, one with none of ours at the vendor: a rate or
 *   quota limit, or too many already waiting) pauses the whole run, as with a fixed number
 *   (`pauseRequests` in the transport).
 * - It never exceeds the cap of the vendor and request kind (`ConcurrencyCaps`).
 */

import { ItemWindow } from './itemWindow';

/** Upper bounds of Auto, per kind of request; a vendor may set its own (`VendorApi.concurrencyCaps`). */
export interface ConcurrencyCaps {
	/** Idempotent requests (status, lists, counters, downloads of small answers). */
	reads: number;
	/** Anything that is not idempotent (creates, signer changes, deletes…): never retried. */
	writes: number;
	/** Requests whose body or answer is a file (uploads, streamed downloads): memory per item. */
	files: number;
}

export const DEFAULT_CONCURRENCY_CAPS: ConcurrencyCaps = { reads: 64, writes: 16, files: 5 };

/** Items in flight before the first answer. */
export const AUTO_START = 4;
/** A window mean above this multiple of the floor (plus `LATENCY_SLACK_MS`) counts as rising. */
const LATENCY_TOLERANCE = 2;
/** Absolute slack so a floor of a few milliseconds (a local server) does not make noise count. */
const LATENCY_SLACK_MS = 5;
/** A window mean below this multiple of the floor (plus the slack) lets reads grow faster. */
const NEAR_FLOOR = 1.5;
/** A latency cut keeps at least this share of the limit (and at most `LATENCY_DECREASE`). */
const LATENCY_DECREASE_MIN = 0.5;
const LATENCY_DECREASE = 0.9;
const OVERLOAD_DECREASE = 0.5;
/** Successful answers at the ceiling before a read run probes one above it (doubles per failure). */
const PROBE_AFTER_ANSWERS = 1000;

export type RequestKind = keyof ConcurrencyCaps;

/** How one request ended, as far as the limiter cares. */
export type Outcome = 'ok' | 'overloaded' | 'other';

/**
 * Who waits out a refusal's `Retry-After`: the refused request alone (the others go on within the
 * lowered limit), or every request of the run.
 */
export type RefusalWait = 'alone' | 'wholeRun';

/** One request in flight, handed back to `AdaptiveLimit.finish`. */
export interface RequestTicket {
	readonly startedAt: number;
	/** Requests of the run in flight when this one was sent, itself included. */
	readonly inFlight: number;
	/** Answers the run had received when this one was sent. */
	readonly answeredBefore: number;
	readonly epoch: number;
}

export class AdaptiveLimit {
	private limitValue: number;
	private cap: number;
	private readonly caps: ConcurrencyCaps;
	private slowStart = true;
	/** A create was sent in this run: additive growth only, never above a learned ceiling. */
	private cautious = false;
	private ceiling = Number.POSITIVE_INFINITY;
	private answersAtCeiling = 0;
	private probeAfter = PROBE_AFTER_ANSWERS;
	private probing = false;
	private probedSinceOverload = false;
	private floorMs = Number.POSITIVE_INFINITY;
	private windowSum = 0;
	private windowCount = 0;
	/** Answers that close the current window: the limit when it opened (about one round trip). */
	private windowSize = 0;
	private lastWindowMs = Number.POSITIVE_INFINITY;
	/** Bumped at every cut; answers to requests sent before it do not cut again. */
	private epoch = 0;
	private requestsInFlight = 0;
	private answered = 0;
	/** The runner's items: who holds a place, who waits outside, who comes back first. */
	private readonly items = new ItemWindow(() => this.limit);
	/** What happened, for tests and benchmarks. */
	readonly stats = { overloaded: 0, latencyCuts: 0, maxLimit: 0, waitedAlone: 0, pausedRun: 0 };

	constructor(caps: Partial<ConcurrencyCaps> = {}, start = AUTO_START) {
		this.caps = { ...DEFAULT_CONCURRENCY_CAPS, ...caps };
		this.cap = this.caps.reads;
		this.limitValue = Math.min(start, this.cap);
		this.stats.maxLimit = this.limit;
	}

	/** Items that may be in flight now (at least 1). */
	get limit(): number {
		return Math.max(1, Math.floor(this.limitValue));
	}

	/** Lowest round-trip window mean seen so far (ms), undefined before the first window. */
	get floor(): number | undefined {
		return Number.isFinite(this.floorMs) ? this.floorMs : undefined;
	}

	/** A request is about to be sent. Its kind lowers the cap for the rest of the run. */
	start(
		kind: RequestKind,
		caps: Partial<ConcurrencyCaps> = {},
		now: number = Date.now(),
	): RequestTicket {
		const kindCap = Math.max(1, Math.floor(caps[kind] ?? this.caps[kind]));
		if (kind !== 'reads') this.cautious = true;
		if (kindCap < this.cap) {
			this.cap = kindCap;
			this.limitValue = Math.min(this.limitValue, kindCap);
		}
		this.requestsInFlight++;
		return {
			startedAt: now,
			inFlight: this.requestsInFlight,
			answeredBefore: this.answered,
			epoch: this.epoch,
		};
	}

	/**
	 * The answer (or failure) of a request started with `start`. For a refusal ('overloaded'), says
	 * who should wait out its Retry-After.
	 */
	finish(
		ticket: RequestTicket,
		outcome: Outcome,
		now: number = Date.now(),
	): RefusalWait | undefined {
		this.requestsInFlight = Math.max(0, this.requestsInFlight - 1);
		this.answered++;
		if (outcome === 'overloaded') return this.overloaded(ticket);
		// Errors that say nothing about capacity (404, 400, a network failure) neither grow nor cut.
		if (outcome !== 'ok') return undefined;
		this.grow();
		this.sample(Math.max(0, now - ticket.startedAt), ticket);
		return undefined;
	}

	/** For the runner: may another item start? (See `ItemWindow.hasRoom`.) */
	hasRoom(): boolean {
		return this.items.hasRoom();
	}

	/** The runner started an item. */
	enter(): void {
		this.items.enter();
	}

	/** The runner's item is done: its place goes to a returning item first, else to the runner. */
	leave(): void {
		this.items.leave();
	}

	/** Called whenever a place may have become free for a new item. */
	onRoom(listener: (() => void) | undefined): void {
		this.items.onRoom(listener);
	}

	/** A refused read leaves its place while it waits out its Retry-After (see `finish`). */
	stepOut(): void {
		this.stats.waitedAlone++;
		this.items.stepOut();
	}

	/** Its wait is over: resolves once it has a place again, ahead of items not yet started. */
	stepBackIn(): Promise<void> {
		return this.items.stepBackIn();
	}

	/** Its wait was cancelled: it takes its place back at once, so the runner's count stays right. */
	rejoinNow(): void {
		this.items.rejoinNow();
	}

	private grow(): void {
		const atCeiling = this.limitValue >= this.ceiling;
		if (atCeiling && !this.probing) {
			// Creates stay below what the vendor accepted; reads try one more after a quiet stretch.
			if (this.cautious || ++this.answersAtCeiling < this.probeAfter) return;
			this.probing = true;
			this.probedSinceOverload = true;
			this.answersAtCeiling = 0;
			this.ceiling = Math.floor(this.ceiling) + 1;
		}
		// Per answer. Slow start: +1 (doubles per round trip). Then reads: about √limit per round
		// trip while the last window stayed near the floor, so a cut (perhaps only a CPU stall in
		// n8n) is made up within a few round trips even at 200 ms each; else, and for creates, about
		// +1 per round trip, so an overshoot refuses one create or queues one request.
		const limit = Math.max(1, this.limitValue);
		const nearFloor = this.lastWindowMs <= this.floorMs * NEAR_FLOOR + LATENCY_SLACK_MS;
		const step = this.cautious
			? 1 / limit
			: this.slowStart
				? 1
				: (nearFloor ? Math.sqrt(limit) : 1) / limit;
		this.setLimit(Math.min(this.limitValue + step, this.ceiling));
		if (this.probing && this.limitValue >= this.ceiling) this.probing = false;
	}

	private sample(rttMs: number, ticket: RequestTicket): void {
		// Slow start ends at the first answer well above the floor, before a whole window of them.
		if (this.slowStart && rttMs > this.threshold()) this.slowStart = false;
		if (this.windowCount === 0) this.windowSize = this.limit;
		this.windowSum += rttMs;
		this.windowCount++;
		if (this.windowCount < this.windowSize) return;
		const mean = this.windowSum / this.windowCount;
		this.lastWindowMs = mean;
		this.windowSum = 0;
		this.windowCount = 0;
		if (mean < this.floorMs) this.floorMs = mean;
		if (mean > this.threshold() && ticket.epoch === this.epoch) {
			this.stats.latencyCuts++;
			// The further above the floor, the deeper the cut (as in a gradient limiter).
			const factor = Math.min(
				LATENCY_DECREASE,
				Math.max(LATENCY_DECREASE_MIN, this.threshold() / mean),
			);
			this.cut(factor);
		}
	}

	private threshold(): number {
		return this.floorMs * LATENCY_TOLERANCE + LATENCY_SLACK_MS;
	}

	private overloaded(ticket: RequestTicket): RefusalWait {
		this.stats.overloaded++;
		// What the vendor had in flight when it refused this one: ours when it was sent, minus
		// itself, minus the answers that reached us before the refusal did. Those left the vendor
		// before this request arrived there (an answer back by the time the refusal is back left the
		// vendor by the time the request got there), yet our count still held them: it lags the
		// vendor's by the answers on their way and waiting for our CPU. Refused again at or below
		// the ceiling means it was still too high: one lower.
		const answeredMeanwhile = this.answered - 1 - ticket.answeredBefore;
		const atVendor = ticket.inFlight - 1 - answeredMeanwhile;
		const accepted = Math.max(1, atVendor);
		if (accepted < this.ceiling) this.ceiling = accepted;
		else if (ticket.inFlight - 1 <= this.ceiling) this.ceiling = Math.max(1, this.ceiling - 1);
		if (this.probedSinceOverload) {
			this.probedSinceOverload = false;
			this.probeAfter *= 2;
		}
		this.probing = false;
		this.answersAtCeiling = 0;
		if (ticket.epoch === this.epoch) this.cut(OVERLOAD_DECREASE);
		// A refusal while the vendor was serving others of ours is a limit on requests in flight:
		// the lowered limit keeps below it, so only the refused read has to wait. With none of ours
		// there it is a rate or quota (sending fewer at once would not help), and a create must not
		// be sent into a limit: the whole run waits. So it does when more are already waiting than
		// the window holds, which bounds the refusals one burst can earn.
		const alone = !this.cautious && atVendor >= 1 && this.items.waitingAlone < this.limit;
		if (!alone) this.stats.pausedRun++;
		return alone ? 'alone' : 'wholeRun';
	}

	private cut(factor: number): void {
		this.slowStart = false;
		this.epoch++;
		this.windowSum = 0;
		this.windowCount = 0;
		this.setLimit(Math.max(1, this.limitValue * factor));
	}

	private setLimit(value: number): void {
		this.limitValue = Math.min(value, this.cap);
		this.stats.maxLimit = Math.max(this.stats.maxLimit, this.limit);
	}
}

/** The Auto limiter of a node run (one execute context), if the run uses Auto. */
const limiters = new WeakMap<object, AdaptiveLimit>();

export function setAdaptiveLimit(ctx: object, limiter: AdaptiveLimit | undefined): void {
	if (limiter) limiters.set(ctx, limiter);
	else limiters.delete(ctx);
}

export function adaptiveLimitOf(ctx: object): AdaptiveLimit | undefined {
	return limiters.get(ctx);
}
