// Starts, once for the whole e2e project: the vendor sandbox, and a real n8n (N8N_VERSION, else
// the pin in scripts/lib/n8n-install.mjs) with this package installed from its packed tarball.
// Connection details go to a JSON file named by ESIGN_E2E_INFO, which the test files read.
import fs from 'node:fs';
import path from 'node:path';
import {
	buildAndPack,
	ensureN8n,
	freePort,
	installPackage,
	startN8nWithOwner,
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
