// A credential's own auth applied to a request the way n8n applies it, for the engine's credentials
// helper (engine.ts) and the hand-built request helper (credentialHttp.ts). Types only: the
// benchmarks transpile this file beside engine.ts (bench/lib/build.mjs).
import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
} from 'n8n-workflow';

/**
 * Applies a credential's `authenticate` the way n8n does: a function is called with the decrypted
 * credential and the request; a generic block's headers / qs are filled in from the credential.
 */
export async function applyCredentialAuth(
	type: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	if (typeof type.authenticate === 'function') return await type.authenticate(credentials, options);
	const auth = type.authenticate as IAuthenticateGeneric | undefined;
	if (!auth || auth.type !== 'generic') return options;
	const resolve = (template: unknown) =>
		String(template).replace(/^=\{\{\s*\$credentials\.(\w+)\s*\}\}$/, (_m, key: string) =>
			String(credentials[key] ?? ''),
		);
	const next = { ...options };
	for (const [key, value] of Object.entries(auth.properties.headers ?? {})) {
		next.headers = { ...(next.headers ?? {}), [key]: resolve(value) };
	}
	for (const [key, value] of Object.entries(auth.properties.qs ?? {})) {
		next.qs = { ...(next.qs ?? {}), [key]: resolve(value) };
	}
	return next;
}
