import { sleep } from 'n8n-workflow';

/** From n8n-workflow 2.34 `sleep` also takes the signal (and clears its timer); before, it ignores it. */
const n8nSleep = sleep as (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Waits `ms`, ending at once when the execution is cancelled. n8n-workflow's own `sleep` honours a
 * signal only from 2.34; before that a cancelled execution sat out every backoff, `Retry-After`
 * pause and upload poll to the end, so the package races it against the signal itself. (Node's
 * timers are off limits to community nodes; the timer underneath is n8n-workflow's.)
 *
 * Rejects when `signal` aborts (before or during the wait), so no request follows a cancel.
 */
export async function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw cancelled(signal);
	await new Promise<void>((resolve, reject) => {
		const onAbort = () => reject(cancelled(signal));
		signal?.addEventListener('abort', onAbort, { once: true });
		n8nSleep(ms, signal).then(
			() => {
				signal?.removeEventListener('abort', onAbort);
				resolve();
			},
			(error: unknown) => {
				signal?.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}

function cancelled(signal: AbortSignal | undefined): Error {
	const reason: unknown = signal?.reason;
	return reason instanceof Error ? reason : new Error('The execution was cancelled');
}
