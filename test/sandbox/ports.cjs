// Where the sandbox's servers listen: each at a fixed offset from one base port
// (ESIGN_SANDBOX_PORT, default 4100, so 4101–4105). Dependency-free and CommonJS so that the
// port check of `./dev start` can read it before anything is installed, and jest can load it.
'use strict';

const DEFAULT_SANDBOX_BASE_PORT = 4100;

/** Every server of a full sandbox, in the order the banner lists them. */
const SANDBOX_SERVERS = [
	{ name: 'dokobit', label: 'Dokobit sandbox', offset: 1 },
	{ name: 'okdokument', label: 'OKdokument sandbox', offset: 2 },
	{ name: 'documentolog', label: 'Documentolog sandbox', offset: 3 },
	{ name: 'mail', label: 'sandbox mail page', offset: 4 },
	{ name: 'smtp', label: 'sandbox SMTP server', offset: 5 },
];

/** The port of each sandbox server for a base port: `{ dokobit: 4101, …, smtp: 4105 }`. */
function sandboxPorts(basePort = DEFAULT_SANDBOX_BASE_PORT) {
	return Object.fromEntries(SANDBOX_SERVERS.map(({ name, offset }) => [name, basePort + offset]));
}

module.exports = { DEFAULT_SANDBOX_BASE_PORT, SANDBOX_SERVERS, sandboxPorts };
