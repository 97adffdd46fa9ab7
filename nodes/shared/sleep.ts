/**
 * Waits `ms`, ending at once when the execution is cancelled. n8n-workflow's own `sleep` honours a
 * signal only from 2.34; before that a cancelled execution sat out every backoff, `Retry-After`
 * pause and upload poll to the end, so the package keeps its own.
 *
 * Rejects when `signal` aborts (before or during the wait), so no request follows a cancel.
 */
export async function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw cancelled(signal);
	await new Promise<void>((resolve, reject) => {
		const onAbort = () => {
			clearTimeout(timer);
			reject(cancelled(signal));
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

function cancelled(signal: AbortSignal | undefined): Error {
	const reason: unknown = signal?.reason;
	return reason instanceof Error ? reason : new Error('The execution was cancelled');
}
