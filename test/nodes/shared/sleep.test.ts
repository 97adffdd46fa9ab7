import { abortableSleep } from '../../../nodes/shared/sleep';

describe('abortableSleep', () => {
	it('resolves after the time when nothing aborts', async () => {
		const controller = new AbortController();
		await expect(abortableSleep(5, controller.signal)).resolves.toBeUndefined();
		await expect(abortableSleep(5)).resolves.toBeUndefined();
	});

	it('rejects at once when the signal aborted before the wait', async () => {
		const controller = new AbortController();
		controller.abort();
		await expect(abortableSleep(60_000, controller.signal)).rejects.toThrow(/aborted|cancelled/);
	});

	// A 60 s wait that ends within the test's default timeout only if the abort ends it.
	it('rejects as soon as the signal aborts during a long wait, with the abort reason', async () => {
		const controller = new AbortController();
		const waiting = abortableSleep(60_000, controller.signal);
		controller.abort(new Error('Execution stopped'));
		await expect(waiting).rejects.toThrow('Execution stopped');
	});

	it('rejects with its own message when the reason is not an error', async () => {
		const controller = new AbortController();
		const waiting = abortableSleep(60_000, controller.signal);
		controller.abort('stop');
		await expect(waiting).rejects.toThrow('The execution was cancelled');
	});
});
