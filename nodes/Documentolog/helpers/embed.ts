/**
 * The embedded signing page (docs/vendor-apis.md › Documentolog › Embedded signing page): its URL,
 * a ready `<iframe>`, and a listener for the events the page posts to its parent window.
 */
import { escapeHtml } from '../../shared/html';
import { isObject } from '../../shared/validation';

/** `{base}/external/sign/embedded?sParams=<access_token>`, as documented. */
export function embedUrl(baseUrl: string, accessToken: string): string {
	return `${baseUrl}/external/sign/embedded?sParams=${encodeURIComponent(accessToken)}`;
}

/** The vendor's documented sample is 400×600 px. */
export function iframeHtml(url: string, width = 400, height = 600): string {
	return `<iframe src="${escapeHtml(url)}" width="${width}" height="${height}" style="border:0" title="Documentolog signing" allow="clipboard-write"></iframe>`;
}

/**
 * A small script for the page that hosts the iframe. It accepts only messages from the vendor's
 * origin that carry `isDocumentolog: true` and one of the documented types (sign, user-close,
 * already-signed), and re-dispatches each as a `documentolog` DOM event on `window`, with the
 * message as `event.detail`: `window.addEventListener('documentolog', (e) => …e.detail.type…)`. The
 * vendor's target origin is undocumented, so the origin check here is what keeps other frames from
 * faking a signature (inferred).
 */
export function listenerScript(origin: string): string {
	const allowed = JSON.stringify(origin);
	return [
		'<script>',
		'(function () {',
		`  var origin = ${allowed.replace(/</g, '\\u003c')};`,
		"  var types = ['sign', 'user-close', 'already-signed'];",
		"  window.addEventListener('message', function (event) {",
		'    if (event.origin !== origin) return;',
		'    var data = event.data;',
		"    if (!data || typeof data !== 'object' || data.isDocumentolog !== true) return;",
		'    if (types.indexOf(data.type) === -1) return;',
		"    window.dispatchEvent(new CustomEvent('documentolog', { detail: data }));",
		'  });',
		'})();',
		'</script>',
	].join('\n');
}

/** The origin of a base URL (what `event.origin` is for messages from the embedded page). */
export function originOf(baseUrl: string): string {
	return new URL(baseUrl).origin;
}

/**
 * The token's `exp` claim as ISO time, when the token is a JWT that has one. The TTL is not
 * documented; the vendor's sample header decodes to HS256. Nothing is verified here.
 */
export function tokenExpiry(token: string): string | undefined {
	const parts = token.split('.');
	if (parts.length !== 3) return undefined;
	try {
		const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
		if (!isObject(payload) || typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) {
			return undefined;
		}
		return new Date(payload.exp * 1000).toISOString();
	} catch {
		return undefined;
	}
}
