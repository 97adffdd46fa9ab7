import { abortableSleep } from '../../../nodes/shared/sleep';

// n8n-workflow's `sleep` as before 2.34: it takes no signal, so only the package's own race can
// end the wait early.
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return { ...actual, sleep: async (ms: number) => await actual.sleep(ms) };
});

/** Longer than any of these tests may take: a wait that ran its course would fail them. */
const LONG = 3_000;

describe('abortableSleep', () => {
	it('resolves after the time when nothing aborts', async () => {
		const controller = new AbortController();
		await expect(abortableSleep(5, controller.signal)).resolves.toBeUndefined();
		await expect(abortableSleep(5)).resolves.toBeUndefined();
	});

	it('rejects at once when the signal aborted before the wait', async () => {
		const controller = new AbortController();
		controller.abort();
		await expect(abortableSleep(LONG, controller.signal)).rejects.toThrow(/aborted|cancelled/);
	});

	it('rejects as soon as the signal aborts during the wait, with the abort reason', async () => {
		const controller = new AbortController();
		const waiting = abortableSleep(LONG, controller.signal);
		const outcome = Promise.race([
			waiting.then(
				() => 'waited to the end',
				(error: Error) => error.message,
			),
			jest
				.requireActual('n8n-workflow')
				.sleep(LONG / 2)
				.then(() => 'still waiting'),
		]);
		controller.abort(new Error('Execution stopped'));
		expect(await outcome).toBe('Execution stopped');
	});

	it('rejects with its own message when the reason is not an error', async () => {
		const controller = new AbortController();
		const waiting = abortableSleep(LONG, controller.signal);
		controller.abort('stop');
		await expect(waiting).rejects.toThrow('The execution was cancelled');
	});
});
