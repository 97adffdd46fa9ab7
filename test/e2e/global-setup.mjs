// Starts, once for the whole e2e project: the vendor sandbox, and a real n8n (N8N_VERSION, else
// the pin in scripts/lib/n8n-install.mjs) with this package installed from its packed tarball, or
// uses an n8n that already runs (external mode, below). Connection details go to a JSON file named
// by ESIGN_E2E_INFO, which the test files read.
import fs from 'node:fs';
import path from 'node:path';
import {
	buildAndPack,
	ensureN8n,
	freePort,
	installPackage,
	N8nClient,
	startN8nWithOwner,
	tempDir,
} from '../../scripts/lib/n8n.mjs';
import { startSandbox } from '../sandbox/cli.mjs';

/**
 * External mode: the suite drives an n8n started elsewhere (a Docker image, a staging instance,
 * any release) with the package installed and configured as README → "Run the e2e suite against a
 * running n8n" says. The sandbox runs here; ESIGN_SANDBOX_HOST is where that n8n reaches it.
 *   ESIGN_E2E_N8N_URL          its address (turns the mode on)
 *   ESIGN_E2E_N8N_LOG          a file that receives its output (the suite scans it for secrets)
 *   ESIGN_E2E_N8N_USER_FOLDER  its N8N_USER_FOLDER, at the same path here (the examples' files)
 * faults.e2e.test.ts is left out (jest.config.js): it stops and restarts its own n8n.
 */
function externalN8n() {
	const baseUrl = process.env.ESIGN_E2E_N8N_URL?.replace(/\/+$/, '');
	if (!baseUrl) return undefined;
	const logFile = process.env.ESIGN_E2E_N8N_LOG;
	const userFolder = process.env.ESIGN_E2E_N8N_USER_FOLDER;
	for (const [name, value] of [
		['ESIGN_E2E_N8N_LOG', logFile],
		['ESIGN_E2E_N8N_USER_FOLDER', userFolder],
	]) {
		if (!value || !fs.existsSync(value))
			throw new Error(`external mode (ESIGN_E2E_N8N_URL): ${name} must name an existing path`);
	}
	return { baseUrl, logFile, userFolder };
}

/** Logs in to (or sets up) the running n8n and checks that it has this package's nodes. */
async function connectExternal({ baseUrl }) {
	const client = new N8nClient(baseUrl);
	await client.ensureOwner();
	await client.waitForNodeTypes();
	const nodes = await client.request('GET', '/types/nodes.json');
	if (!JSON.stringify(nodes).includes('"n8n-nodes-esign.dokobitGateway"'))
		throw new Error(`the n8n at ${baseUrl} does not have n8n-nodes-esign installed`);
	const settings = await client.request('GET', '/rest/settings');
	return { client, version: String(settings.versionCli ?? 'unknown') };
}

export default async function globalSetup() {
	const external = externalN8n();
	if (external) return await setUpExternal(external);
	const work = tempDir('esign-e2e-');
	const tarball = process.env.ESIGN_TARBALL || buildAndPack(path.join(work, 'pack'));
	const runtime = ensureN8n();
	const userFolder = path.join(work, 'home');
	installPackage(userFolder, tarball);
	const port = await freePort();
	const logFile = path.join(work, 'n8n.log');
	// If the sandbox starts but n8n does not, the sandbox is closed: jest runs no teardown after a
	// failed setup, and the sandbox's servers would keep jest from exiting.
	const sandbox = await startSandbox({ basePort: 0, timeScale: 0.001 });
	let started;
	try {
		started = await startN8nWithOwner({
			runtime,
			userFolder,
			port,
			brokerPort: await freePort(),
			logFile,
		});
	} catch (error) {
		await sandbox.close().catch(() => undefined);
		throw error;
	}
	const { n8n, client } = started;
	publishInfo(
		{ n8n, sandbox, work },
		{
			tarball,
			logFile,
			bin: runtime.bin,
			node: runtime.node,
			n8nVersion: runtime.version,
			nodeVersion: runtime.nodeVersion,
			userFolder,
			port,
			baseUrl: n8n.baseUrl,
			cookie: client.cookie,
		},
	);
}

/** Writes what the test files read (test/helpers/n8n.ts e2eInfo) and keeps what teardown stops. */
function publishInfo(state, info) {
	const sandbox = Object.fromEntries(
		Object.values(state.sandbox.emulators).map((emulator) => [emulator.name, emulator.baseUrl]),
	);
	const infoFile = path.join(state.work, 'info.json');
	fs.writeFileSync(infoFile, JSON.stringify({ work: state.work, ...info, sandbox }, null, 2));
	process.env.ESIGN_E2E_INFO = infoFile;
	globalThis.__ESIGN_E2E__ = state;
	return sandbox;
}

async function setUpExternal(external) {
	const work = tempDir('esign-e2e-');
	const { client, version } = await connectExternal(external);
	const sandbox = await startSandbox({ basePort: 0, timeScale: 0.001 });
	// Teardown leaves this n8n running: it is not the suite's.
	const urls = publishInfo(
		{ n8n: { stop: async () => undefined }, sandbox, work },
		{
			external: true,
			logFile: external.logFile,
			n8nVersion: version,
			userFolder: external.userFolder,
			baseUrl: external.baseUrl,
			cookie: client.cookie,
		},
	);
	process.stderr.write(
		`\ne2e against the running n8n ${version} at ${external.baseUrl}; sandbox at ${urls.dokobit}…; faults.e2e.test.ts left out (it restarts its own n8n)\n`,
	);
}
