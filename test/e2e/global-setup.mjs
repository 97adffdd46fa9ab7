// Starts, once for the whole e2e project: the vendor sandbox, and a real n8n (N8N_VERSION, else
// the pin in scripts/lib/n8n-install.mjs) with this package installed from its packed tarball.
// Connection details go to a JSON file named by ESIGN_E2E_INFO, which the test files read.
import fs from 'node:fs';
import path from 'node:path';
import {
	N8nClient,
	buildAndPack,
	ensureN8n,
	freePort,
	installPackage,
	startN8n,
	tempDir,
} from '../../scripts/lib/n8n.mjs';
import { startSandbox } from '../sandbox/cli.mjs';

export default async function globalSetup() {
	const work = tempDir('esign-e2e-');
	const tarball = process.env.ESIGN_TARBALL || buildAndPack(path.join(work, 'pack'));
	const runtime = ensureN8n();
	const userFolder = path.join(work, 'home');
	installPackage(userFolder, tarball);
	const port = await freePort();
	const logFile = path.join(work, 'n8n.log');
	// Whatever fails from here on stops what was started: jest runs no teardown after a failed
	// setup, and the sandbox's servers would keep jest from exiting.
	const started = [];
	const stopStarted = async () => {
		for (const stop of started.reverse()) await stop().catch(() => undefined);
	};
	let sandbox;
	let n8n;
	let client;
	try {
		sandbox = await startSandbox({ basePort: 0, timeScale: 0.001 });
		started.push(() => sandbox.close());
		n8n = await startN8n({ runtime, userFolder, port, brokerPort: await freePort(), logFile });
		started.push(() => n8n.stop());
		client = new N8nClient(n8n.baseUrl);
		await client.ensureOwner();
		// The tests list node types at once; older n8n serves the list a few seconds after start.
		await client.waitForNodeTypes();
	} catch (error) {
		await stopStarted();
		throw error;
	}
	const info = {
		work,
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
		sandbox: Object.fromEntries(
			Object.values(sandbox.emulators).map((emulator) => [emulator.name, emulator.baseUrl]),
		),
	};
	const infoFile = path.join(work, 'info.json');
	fs.writeFileSync(infoFile, JSON.stringify(info, null, 2));
	process.env.ESIGN_E2E_INFO = infoFile;
	globalThis.__ESIGN_E2E__ = { n8n, sandbox, work };
}
