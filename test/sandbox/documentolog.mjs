// Documentolog emulator, strict like we expect the real service to be (docs/vendor-apis.md ›
// Documentolog). Everything the vendor does not document is marked "inferred" (our assumption) or
// "undocumented" and is configurable, at start (`startDocumentolog(options)`) or at run time
// (`POST /__config`).
// Split like the product: documentolog/validation.mjs (what the service accepts),
// documentolog/state.mjs (what it holds and how a document moves on), documentolog/routes.mjs (its
// endpoints, the embedded signing page and the control API).
import { documentologRoutes } from './documentolog/routes.mjs';
import { createState, documentologViews } from './documentolog/state.mjs';
import { validators } from './documentolog/validation.mjs';
import { startEmulator } from './frame.mjs';

export function documentologEmulator(options = {}) {
	return (ctx) => {
		const store = createState(ctx, options);
		return {
			routes: documentologRoutes(ctx, store, validators(ctx, store)),
			// The API keys accepted; the frame's `POST /__keys` rotates them.
			keys: store.keys,
			...documentologViews(store),
			notFoundBody: { status: 0, message: 'Not found' },
			onClock: store.onClock,
			reset: store.reset,
		};
	};
}

export async function startDocumentolog(options = {}) {
	return await startEmulator({
		name: 'documentolog',
		port: options.port,
		timeScale: options.timeScale ?? 1,
		strict: options.strict ?? true,
		setup: documentologEmulator(options),
	});
}
