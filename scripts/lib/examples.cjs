// The example workflows (examples/*.json) are written for `./dev start` on its default ports, so
// that a hand import into such an n8n works as it is. `./dev start` on other ports imports them
// pointed at the ports it really uses, and points those it imported before at the new ones.
// CommonJS so that jest can load it.
'use strict';

const { DEFAULT_SANDBOX_BASE_PORT, sandboxPorts } = require('../../test/sandbox/ports.cjs');
const { DEFAULT_N8N_PORT } = require('./ports.cjs');

/** The local origins the example files name: n8n and each sandbox server on its default port. */
const EXAMPLE_ORIGINS = Object.fromEntries([
	['n8n', `http://127.0.0.1:${DEFAULT_N8N_PORT}`],
	...Object.entries(sandboxPorts(DEFAULT_SANDBOX_BASE_PORT)).map(([name, port]) => [
		name,
		`http://127.0.0.1:${port}`,
	]),
]);

/** `http://127.0.0.1:<port>` or `http://localhost:<port>`, the port not followed by another digit. */
const LOCAL_ORIGIN = /http:\/\/(?:127\.0\.0\.1|localhost):(\d{1,5})(?!\d)/g;

/**
 * `text` with each local origin of `from` (by default the example files' own, EXAMPLE_ORIGINS)
 * replaced by the origin of the same name in `origins` (`{ n8n, dokobit, okdokument, documentolog,
 * mail }`, each like `http://127.0.0.1:4201`). Names missing from `origins`, and ports not in
 * `from`, stay as they are.
 */
function pointExamplesAt(text, origins, from = EXAMPLE_ORIGINS) {
	const nameByPort = new Map(
		Object.entries(from).map(([name, origin]) => [Number(new URL(origin).port), name]),
	);
	return text.replace(LOCAL_ORIGIN, (origin, port) => {
		const name = nameByPort.get(Number(port));
		const replacement = name && origins[name];
		return replacement ? replacement.replace(/\/+$/, '') : origin;
	});
}

/** Whether two sets of origins differ in any name either has. */
function originsDiffer(a, b) {
	return [...new Set([...Object.keys(a), ...Object.keys(b)])].some((name) => a[name] !== b[name]);
}

module.exports = { EXAMPLE_ORIGINS, originsDiffer, pointExamplesAt };
