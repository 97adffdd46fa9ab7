// Dokobit Documents Gateway emulator, strict like the real service (docs/vendor-apis.md › Dokobit
// Documents Gateway). Split like the product: dokobit/validation.mjs (what the Gateway accepts),
// dokobit/state.mjs (what it holds and how a signing moves on), dokobit/routes.mjs (its endpoints,
// signer pages and control API).
import { dokobitRoutes } from './dokobit/routes.mjs';
import { createState, dokobitViews } from './dokobit/state.mjs';
import { DAY, validators } from './dokobit/validation.mjs';
import { startEmulator } from './frame.mjs';

export function dokobitEmulator(options = {}) {
	const settings = {
		retentionMs: options.retentionMs ?? 30 * DAY,
		pendingPolls: options.pendingPolls ?? 2,
	};
	return (ctx) => {
		const store = createState(ctx, options, settings);
		return {
			routes: dokobitRoutes(ctx, store, validators(ctx), options, settings),
			// The API keys accepted; the frame's `POST /__keys` rotates them.
			keys: store.tokens,
			...dokobitViews(store),
			notFoundBody: { status: 'error', message: 'Requested URL was not found.' },
			reset: store.reset,
		};
	};
}

export async function startDokobit(options = {}) {
	return await startEmulator({
		name: 'dokobit',
		port: options.port,
		timeScale: options.timeScale ?? 1,
		strict: options.strict ?? true,
		setup: dokobitEmulator(options),
	});
}
