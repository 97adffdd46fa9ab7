// The "separately started" n8n of the e2e suite's external mode (README → "Run the e2e suite
// against a running n8n"): a user folder with this package installed from its packed tarball, and
// n8n configured as the suite expects.
//   ./dev node scripts/start-n8n-for-e2e.mjs [folder]
//       starts n8n (N8N_VERSION, else the pin; N8N_PORT, else a free port) until Ctrl-C
//   ./dev node scripts/start-n8n-for-e2e.mjs --prepare <folder> <port>
//       only prepares the folder and writes <folder>/n8n.env, the settings for an n8n started
//       some other way (`docker run --env-file`, .github/workflows/ci.yml)
// Both print the environment that points the suite at that n8n.
import fs from 'node:fs';
import path from 'node:path';
import {
	buildAndPack,
	ensureN8n,
	freePort,
	installPackage,
	n8nEnvironment,
	n8nFilesFolder,
	startN8n,
	tempDir,
} from './lib/n8n.mjs';

const prepareOnly = process.argv[2] === '--prepare';
const [folderArg, portArg] = process.argv.slice(prepareOnly ? 3 : 2);
const folder = path.resolve(folderArg ?? tempDir('esign-external-n8n-'));
const userFolder = path.join(folder, 'home');
const logFile = path.join(folder, 'n8n.log');
const port = Number(portArg || process.env.N8N_PORT || (await freePort()));
const baseUrl = `http://127.0.0.1:${port}`;
fs.mkdirSync(n8nFilesFolder(userFolder), { recursive: true });
installPackage(userFolder, process.env.ESIGN_TARBALL || buildAndPack(path.join(folder, 'pack')));

const printSuiteEnvironment = (version) => {
	console.log(`n8n ${version} at ${baseUrl}; to run the e2e suite against it:`);
	console.log(`  export ESIGN_E2E_N8N_URL=${baseUrl}`);
	console.log(`  export ESIGN_E2E_N8N_LOG=${logFile}`);
	console.log(`  export ESIGN_E2E_N8N_USER_FOLDER=${userFolder}`);
	console.log('  ./dev npx jest --selectProjects e2e');
};

if (prepareOnly) {
	// What n8nEnvironment sets on top of this process's environment, minus what only a local
	// process needs (PATH to its Node, NODE_ENV against jest's).
	const local = new Set(['PATH', 'NODE_ENV', 'N8N_VERSION']);
	const settings = n8nEnvironment({
		runtime: { version: '', node: process.execPath },
		userFolder,
		port,
		brokerPort: await freePort(),
	});
	const lines = Object.entries(settings)
		.filter(([name, value]) => !local.has(name) && process.env[name] !== value)
		.map(([name, value]) => `${name}=${value}`);
	fs.writeFileSync(path.join(folder, 'n8n.env'), `${lines.join('\n')}\n`);
	fs.writeFileSync(logFile, '');
	// The container's user (node, uid 1000) writes into the folder this user created.
	fs.chmodSync(folder, 0o777);
	for (const entry of fs.readdirSync(folder, { recursive: true }))
		fs.chmodSync(path.join(folder, entry), 0o777);
	console.log(`prepared ${folder}; settings in ${path.join(folder, 'n8n.env')}`);
	printSuiteEnvironment('(started elsewhere)');
} else {
	const runtime = ensureN8n();
	const n8n = await startN8n({ runtime, userFolder, port, brokerPort: await freePort(), logFile });
	printSuiteEnvironment(runtime.version);
	const stop = async () => {
		await n8n.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}
