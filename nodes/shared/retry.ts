import { type AdaptiveLimit } from './concurrency';
import { abortableSleep } from './sleep';

/**
 * When and how often a vendor's reads are tried again; part of its `VendorApi` (`retry`). Only
 * requests sent with `idempotent: true` are ever retried: a create is sent once, whatever the
 * policy says (a retried create is a second legally binding document).
 */
export interface RetryPolicy {
	/** Retries of a read after 429, 5xx or a network error. */
	maxRetries: number;
	/** Retries of a read that timed out. */
	maxTimeoutRetries: number;
	/** Delay before retry number `attempt` (0-based), given the answer's `Retry-After` header. */
	delayMs(attempt: number, retryAfter: unknown): number;
	/**
	 * Delay before poll number `attempt` (0-based) of something the vendor is still working on
	 * (a file it has not finished fetching): not a failure, so no `Retry-After` and no jitter.
	 */
	pollDelayMs(attempt: number): number;
}

export const MAX_RETRIES = 4;

/**
 * A read that timed out is tried once more, not `MAX_RETRIES` times: a server that hangs usually
 * keeps hanging, and four more full timeouts would stall the run for minutes.
 */
export const MAX_TIMEOUT_RETRIES = 1;

const MAX_BACKOFF_MS = 30_000;
const MAX_POLL_DELAY_MS = 5000;

/**
 * Delay before retry number `attempt` (0-based): the server's `Retry-After` (seconds or HTTP date)
 * when given, else exponential backoff with jitter. Capped so a hostile header cannot stall a run.
 */
export function retryDelayMs(
	attempt: number,
	retryAfter: unknown,
	now: number = Date.now(),
	random: () => number = Math.random,
): number {
	// RFC 9110: delay-seconds (digits only) or an HTTP-date; anything else gets normal backoff.
	const header = typeof retryAfter === 'string' ? retryAfter.trim() : '';
	const ms = /^\d+$/.test(header)
		? Number(header) * 1000
		: /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(header)
			? Date.parse(header) - now
			: Number.NaN;
	if (Number.isFinite(ms)) return Math.min(Math.max(0, ms), MAX_BACKOFF_MS);
	const base = 500 * 2 ** attempt;
	return Math.min(base + Math.floor(random() * base * 0.25), MAX_BACKOFF_MS);
}

/** Every vendor's policy unless its `VendorApi` overrides a part. */
const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: MAX_RETRIES,
	maxTimeoutRetries: MAX_TIMEOUT_RETRIES,
	delayMs: (attempt, retryAfter) => retryDelayMs(attempt, retryAfter),
	// 0.5 s, 1 s, 2 s … capped at 5 s.
	pollDelayMs: (attempt) => Math.min(500 * 2 ** attempt, MAX_POLL_DELAY_MS),
};

export function retryPolicyOf(api: { retry?: Partial<RetryPolicy> }): RetryPolicy {
	return api.retry ? { ...DEFAULT_RETRY_POLICY, ...api.retry } : DEFAULT_RETRY_POLICY;
}

/**
 * When the vendor answers 429, every request of the same node run (one context, however many
 * items are in flight) holds off until the rate-limit pause is over, not just the one that got
 * the 429. Without this, concurrent items would keep hitting the limit, and each retry would
 * earn more 429s.
 */
const rateLimitPauses = new WeakMap<object, number>();

export function pauseRequests(ctx: object, ms: number, now: number = Date.now()): void {
	const until = now + Math.max(0, ms);
	if ((rateLimitPauses.get(ctx) ?? 0) < until) rateLimitPauses.set(ctx, until);
}

/** Milliseconds left of the current rate-limit pause of this context (0 when none). */
export function pauseRemainingMs(ctx: object, now: number = Date.now()): number {
	return Math.max(0, (rateLimitPauses.get(ctx) ?? 0) - now);
}

export async function waitOutPause(ctx: object, signal: AbortSignal | undefined): Promise<void> {
	for (let wait = pauseRemainingMs(ctx); wait > 0; wait = pauseRemainingMs(ctx)) {
		await abortableSleep(wait, signal);
	}
}

/**
 * A read refused for the number in flight waits out its Retry-After outside Auto's window, so the
 * other items keep the vendor busy meanwhile, then takes the next free place before new items.
 */
export async function waitOutsideWindow(
	limiter: AdaptiveLimit,
	ms: number,
	signal: AbortSignal | undefined,
): Promise<void> {
	limiter.stepOut();
	let waited = false;
	try {
		await abortableSleep(ms, signal);
		waited = true;
	} finally {
		// Cancelled: no queueing for a place, the item ends now and the runner lets go of it.
		if (!waited) limiter.rejoinNow();
	}
	await limiter.stepBackIn();
}
