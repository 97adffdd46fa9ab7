// The Auto limiter on its own, driven by a simulated vendor with a virtual clock: the decisions
// (grow, hold, cut, ceiling, caps) are checked, never how long anything takes.
import {
	AUTO_START,
	AdaptiveLimit,
	DEFAULT_CONCURRENCY_CAPS,
	type ConcurrencyCaps,
	type RequestKind,
} from '../../../nodes/shared/concurrency';

interface VendorModel {
	/** Requests the vendor serves at once; one more is answered 429 at once. */
	maxInFlight?: number;
	/** Round trip of one request (ms) given how many are in flight at the vendor. */
	rttMs: (inFlight: number) => number;
}

/**
 * Runs `items` requests through the limiter the way runPerItem does (start while fewer than the
 * limit are in flight), in virtual time. 429s are not retried here (the transport would, after
 * Retry-After); they are counted.
 */
function simulate(
	limiter: AdaptiveLimit,
	vendor: VendorModel,
	items: number,
	kind: RequestKind = 'reads',
	caps: Partial<ConcurrencyCaps> = {},
) {
	let now = 0;
	let next = 0;
	let refused = 0;
	let maxInFlight = 0;
	const limits: number[] = [];
	const inFlight: { endsAt: number; ticket: ReturnType<AdaptiveLimit['start']>; ok: boolean }[] =
		[];
	while (next < items || inFlight.length) {
		while (next < items && inFlight.length < limiter.limit) {
			next++;
			const ticket = limiter.start(kind, caps, now);
			// The vendor counts what it has not answered yet; it refuses at once (no network delay).
			const served = inFlight.filter((request) => request.ok && request.endsAt > now).length;
			const ok = vendor.maxInFlight === undefined || served < vendor.maxInFlight;
			inFlight.push({ endsAt: now + (ok ? vendor.rttMs(served + 1) : 0.001), ticket, ok });
			maxInFlight = Math.max(maxInFlight, inFlight.length);
		}
		inFlight.sort((a, b) => a.endsAt - b.endsAt);
		const done = inFlight.shift()!;
		now = done.endsAt;
		if (!done.ok) refused++;
		limiter.finish(done.ticket, done.ok ? 'ok' : 'overloaded', now);
		limits.push(limiter.limit);
	}
	return { refused, maxInFlight, limits, final: limiter.limit };
}

const flat = (ms: number) => () => ms;

describe('AdaptiveLimit (Request Concurrency: Auto)', () => {
	it('starts modestly', () => {
		expect(new AdaptiveLimit().limit).toBe(AUTO_START);
	});

	it('grows to the read cap while a fast vendor keeps its latency', () => {
		const limiter = new AdaptiveLimit();
		const run = simulate(limiter, { rttMs: flat(20) }, 1000);
		expect(run.final).toBe(DEFAULT_CONCURRENCY_CAPS.reads);
		expect(run.maxInFlight).toBe(DEFAULT_CONCURRENCY_CAPS.reads);
		expect(limiter.stats.latencyCuts).toBe(0);
	});

	it('stays within the cap of the vendor and kind: writes and files lower it for the run', () => {
		const writes = new AdaptiveLimit();
		expect(simulate(writes, { rttMs: flat(20) }, 1000, 'writes').maxInFlight).toBe(
			DEFAULT_CONCURRENCY_CAPS.writes,
		);
		const vendorCapped = new AdaptiveLimit();
		expect(simulate(vendorCapped, { rttMs: flat(20) }, 500, 'writes', { writes: 10 }).final).toBe(
			10,
		);
		const files = new AdaptiveLimit();
		expect(simulate(files, { rttMs: flat(20) }, 200, 'files').maxInFlight).toBe(
			DEFAULT_CONCURRENCY_CAPS.files,
		);
	});

	it('backs off when latency rises above its floor (requests queueing), and settles there', () => {
		// A vendor that serves 8 at once and queues the rest: each request beyond 8 adds 20 ms.
		const queueing = (inFlight: number) => 20 + Math.max(0, inFlight - 8) * 20;
		const limiter = new AdaptiveLimit();
		const run = simulate(limiter, { rttMs: queueing }, 2000);
		expect(limiter.stats.latencyCuts).toBeGreaterThan(0);
		// Above 9 in flight the mean round trip is over twice the 20 ms floor: the limit swings
		// around there (it grows for a window before that window's mean shows the queue), far below
		// the read cap of 64, and never starves the vendor's 8.
		const settled = run.limits.slice(-500);
		const average = settled.reduce((sum, limit) => sum + limit, 0) / settled.length;
		expect(Math.max(...settled)).toBeLessThanOrEqual(24);
		expect(average).toBeLessThanOrEqual(16);
		expect(Math.min(...settled)).toBeGreaterThanOrEqual(4);
	});

	it('does not mistake jitter for queueing: with ±50 % latency it still grows to the cap', () => {
		let seed = 7;
		const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
		const limiter = new AdaptiveLimit();
		const run = simulate(limiter, { rttMs: () => 200 * (1 + (2 * random() - 1) * 0.5) }, 3000);
		expect(run.final).toBeGreaterThanOrEqual(DEFAULT_CONCURRENCY_CAPS.reads - 8);
	});

	it('reads: a 429 halves the limit once per burst and the in-flight count becomes a ceiling', () => {
		const limiter = new AdaptiveLimit();
		const run = simulate(limiter, { maxInFlight: 10, rttMs: flat(20) }, 1000);
		// Slow start overshoots once; the ceiling then holds it at 10 with no further 429s for long.
		expect(run.refused).toBeGreaterThan(0);
		expect(run.refused).toBeLessThanOrEqual(10);
		expect(run.final).toBe(10);
		expect(run.limits.slice(-500).every((limit) => limit <= 10)).toBe(true);
	});

	it('reads probe above the ceiling again only after a long quiet stretch, less often after each failure', () => {
		const limiter = new AdaptiveLimit();
		const run = simulate(limiter, { maxInFlight: 10, rttMs: flat(20) }, 20_000);
		// 20,000 reads at the ceiling: probes after 1,000, 2,000, 4,000… answers at it, so a handful of 429s.
		expect(run.refused).toBeLessThanOrEqual(20);
		expect(limiter.stats.overloaded).toBe(run.refused);
	});

	it('creates grow by about one per round trip (no slow start) and never probe above a ceiling', () => {
		const limiter = new AdaptiveLimit();
		const run = simulate(limiter, { maxInFlight: 10, rttMs: flat(20) }, 5000, 'writes');
		// Additive growth overshoots by one request, once: one refused create in the whole run.
		expect(run.refused).toBe(1);
		expect(run.final).toBe(10);
		// And it took a while to get there: no doubling.
		expect(run.limits.slice(0, 8).every((limit) => limit <= AUTO_START + 1)).toBe(true);
	});

	it('the ceiling counts what the vendor had in flight, not answers still on their way to us', () => {
		const limiter = new AdaptiveLimit({}, 16);
		// 13 creates in flight; the vendor has answered 3 of them, but we have not read those yet
		// when the 14th goes out. It is refused: the vendor had 10, not 13.
		const early = Array.from({ length: 13 }, () => limiter.start('writes', {}, 0));
		const refused = limiter.start('writes', {}, 1);
		for (const ticket of early.slice(0, 3)) limiter.finish(ticket, 'ok', 20);
		limiter.finish(refused, 'overloaded', 21);
		for (const ticket of early.slice(3)) limiter.finish(ticket, 'ok', 30);
		for (let n = 0; n < 2000; n++) limiter.finish(limiter.start('writes', {}, n), 'ok', n + 20);
		expect(limiter.limit).toBe(10);
	});

	it('errors that say nothing about capacity neither grow nor cut the limit', () => {
		const limiter = new AdaptiveLimit();
		for (let n = 0; n < 50; n++) limiter.finish(limiter.start('reads', {}, n), 'other', n + 20);
		expect(limiter.limit).toBe(AUTO_START);
	});

	it('answers to requests sent before a cut do not cut again', () => {
		const limiter = new AdaptiveLimit({}, 16);
		const tickets = Array.from({ length: 16 }, () => limiter.start('reads', {}, 0));
		for (const ticket of tickets.slice(10)) limiter.finish(ticket, 'overloaded', 1);
		expect(limiter.limit).toBe(8);
		expect(limiter.stats.overloaded).toBe(6);
	});
});

describe('AdaptiveLimit: who waits out a refusal', () => {
	/** `count` reads in flight at once, as the runner starts them. */
	const sendReads = (limiter: AdaptiveLimit, count: number) =>
		Array.from({ length: count }, () => limiter.start('reads', {}, 0));

	it('a read refused while the vendor serves others of ours waits alone; the window shrinks, then grows back to what the vendor served', () => {
		const limiter = new AdaptiveLimit({}, 16);
		const tickets = sendReads(limiter, 16);
		// The vendor serves the first 10 and refuses the 6 beyond them at once.
		const waits = tickets.slice(10).map((ticket) => limiter.finish(ticket, 'overloaded', 1));
		expect(waits).toEqual(Array(6).fill('alone'));
		expect(limiter.limit).toBe(8);
		for (const ticket of tickets.slice(0, 10)) limiter.finish(ticket, 'ok', 20);
		for (let n = 0; n < 200; n++) limiter.finish(limiter.start('reads', {}, n), 'ok', n + 20);
		// Back up, and held at the 10 the vendor was serving when it refused.
		expect(limiter.limit).toBe(10);
	});

	it('a refusal with none of ours at the vendor (a rate or quota limit) makes the whole run wait', () => {
		const limiter = new AdaptiveLimit();
		const [only] = sendReads(limiter, 1);
		expect(limiter.finish(only, 'overloaded', 1)).toBe('wholeRun');
		// Answers that reached us before the refusal had left the vendor: they do not count.
		const fresh = new AdaptiveLimit();
		const [first, second] = sendReads(fresh, 2);
		fresh.finish(first, 'ok', 20);
		expect(fresh.finish(second, 'overloaded', 21)).toBe('wholeRun');
	});

	it('in a run that sends creates, every refusal makes the whole run wait', () => {
		const limiter = new AdaptiveLimit({}, 16);
		const tickets = Array.from({ length: 12 }, () => limiter.start('writes', {}, 0));
		expect(limiter.finish(tickets[11], 'overloaded', 1)).toBe('wholeRun');
		// Reads of the same run are no different once a create was sent.
		const read = limiter.start('reads', {}, 2);
		expect(limiter.finish(read, 'overloaded', 3)).toBe('wholeRun');
	});

	it('once as many reads wait alone as the window holds, the next refusal makes the whole run wait', () => {
		const limiter = new AdaptiveLimit({}, 16);
		const tickets = sendReads(limiter, 16);
		for (let n = 0; n < 16; n++) limiter.enter();
		// The first refusal halves the window to 8; each refused read steps out of it.
		for (const ticket of tickets.slice(8, 16)) {
			expect(limiter.finish(ticket, 'overloaded', 1)).toBe('alone');
			limiter.stepOut();
		}
		expect(limiter.limit).toBe(8);
		const refusedAgain = limiter.start('reads', {}, 2);
		expect(limiter.finish(refusedAgain, 'overloaded', 3)).toBe('wholeRun');
		expect(limiter.stats).toMatchObject({ waitedAlone: 8, pausedRun: 1, overloaded: 9 });
	});
});

describe('AdaptiveLimit: places in the window', () => {
	it('a read that steps out frees its place for a new item, and comes back before any new item', async () => {
		const limiter = new AdaptiveLimit({}, 2);
		let roomCalls = 0;
		limiter.onRoom(() => roomCalls++);
		limiter.enter();
		limiter.enter();
		expect(limiter.hasRoom()).toBe(false);
		limiter.stepOut();
		expect(roomCalls).toBe(1);
		expect(limiter.hasRoom()).toBe(true);
		limiter.enter();
		// Its wait is over while the window is full: it queues, and no new item may start.
		let back = false;
		const returning = limiter.stepBackIn().then(() => (back = true));
		await Promise.resolve();
		expect(back).toBe(false);
		expect(limiter.hasRoom()).toBe(false);
		// The next place that frees goes to it, not to the runner.
		limiter.leave();
		await returning;
		expect(back).toBe(true);
		expect(limiter.hasRoom()).toBe(false);
		limiter.leave();
		expect(limiter.hasRoom()).toBe(true);
	});

	it('a cancelled wait takes its place back at once, so the counts stay balanced', () => {
		const limiter = new AdaptiveLimit({}, 1);
		limiter.enter();
		limiter.stepOut();
		expect(limiter.hasRoom()).toBe(true);
		limiter.rejoinNow();
		expect(limiter.hasRoom()).toBe(false);
		limiter.leave();
		expect(limiter.hasRoom()).toBe(true);
	});
});
