// OKdokument emulator, strict like the real service (docs/vendor-apis.md › OKdokument). Where the
// API is undocumented the choice is marked "inferred" and can be changed through the options of
// okDokumentEmulator. Split like the product: okdokument/validation.mjs (what the service
// accepts), okdokument/state.mjs (what it holds and how that changes), okdokument/routes.mjs (its
// endpoints, signer pages and control API).
import { startEmulator } from './frame.mjs';
import { okDokumentRoutes, okDokumentViews } from './okdokument/routes.mjs';
import { createState } from './okdokument/state.mjs';
import { DAY, validators } from './okdokument/validation.mjs';

/** The API key the sandbox accepts. */
export const OKDOKUMENT_API_KEY = 'example-okdokument-key';
/** A key that authenticates but lacks permissions: every /JSON call answers 403. */
export const OKDOKUMENT_RESTRICTED_KEY = 'example-okdokument-restricted-key';

export function okDokumentEmulator(options = {}) {
	/** What every instance is built with (state.mjs createState). */
	const settings = {
		keys: new Set(options.apiKeys ?? [OKDOKUMENT_API_KEY]),
		restricted: new Set(options.restrictedKeys ?? [OKDOKUMENT_RESTRICTED_KEY]),
		signedRetentionMs: options.signedRetentionMs ?? 10 * DAY,
		// Inferred: wiki 30 days; the connector README says 60.
		unsignedRetentionMs: options.unsignedRetentionMs ?? 30 * DAY,
		tagsDelayMs: options.tagsDelayMs ?? 2000,
		// No retry is documented; failure only turns the document into `errorsendinfo`.
		sendInfoRetriesMs: options.sendInfoRetriesMs ?? [],
		sendInfoTimeoutMs: options.sendInfoTimeoutMs ?? 10_000,
		sendInfoCopies: options.sendInfoCopies ?? 1,
		initialRequests: options.availableSignatureRequests ?? 1000,
	};

	return (ctx) => {
		const store = createState(ctx, settings);
		return {
			routes: okDokumentRoutes(ctx, store, validators(ctx, store)),
			// The API keys accepted; the frame's `POST /__keys` rotates them.
			keys: settings.keys,
			...okDokumentViews(store),
			notFoundBody: { message: 'err.not.found', value: '' },
			onClock: store.expireByRetention,
			reset: store.reset,
		};
	};
}

export async function startOkDokument(options = {}) {
	return await startEmulator({
		name: 'okdokument',
		port: options.port,
		timeScale: options.timeScale ?? 1,
		strict: options.strict ?? true,
		setup: okDokumentEmulator(options),
	});
}
