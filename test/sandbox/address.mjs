// Where the sandbox listens, and the host it puts in the URLs it gives out (its base URLs, signing
// and file links, the SMTP host). Loopback unless ESIGN_SANDBOX_HOST names the address at which an
// n8n elsewhere (a container, another machine) reaches this one: then it listens on every
// interface and gives out that address.
const LOOPBACK = new Set(['127.0.0.1', 'localhost']);

export function sandboxAddress() {
	const host = process.env.ESIGN_SANDBOX_HOST?.trim();
	if (!host || LOOPBACK.has(host)) return { listenHost: '127.0.0.1', publicHost: '127.0.0.1' };
	return { listenHost: '0.0.0.0', publicHost: host };
}
