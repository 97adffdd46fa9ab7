// One n8n for a test file that stops and starts it (test/helpers/own-n8n.ts), set up like the e2e
// suite's (test/e2e/global-setup.mjs): this package installed from its packed tarball, an owner,
// logged in. Plain ESM outside jest's module system, like the sandbox CLI.
//   node test/helpers/own-n8n-cli.mjs '{"runtime":{…},"userFolder":…,"port":…,"logFile":…,"tarball":…}'
// Prints one JSON line {"baseUrl","cookie"} once n8n serves; stops n8n on SIGTERM, SIGINT or stdin
// EOF (the test process ended, however it ended). Starting again on the same user folder and port
// is a restart: same database, same URLs.
import fs from 'node:fs';
import path from 'node:path';
import { freePort, installPackage, startN8nWithOwner } from '../../scripts/lib/n8n.mjs';

const { runtime, userFolder, port, logFile, tarball } = JSON.parse(process.argv[2]);

let n8n;
let stopping;
/** Stops n8n (once it has started, if it is starting) and exits. */
function stop(code = 0) {
	stopping ??= (async () => {
		await starting.catch(() => undefined);
		await n8n?.stop();
		process.exit(code);
	})();
	return stopping;
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.resume();
process.stdin.on('end', () => void stop());

const installed = path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-esign');
if (!fs.existsSync(installed)) installPackage(userFolder, tarball);
const starting = (async () => {
	const brokerPort = await freePort();
	return await startN8nWithOwner({ runtime, userFolder, port, brokerPort, logFile });
})();
try {
	const started = await starting;
	n8n = started.n8n;
	if (!stopping)
		process.stdout.write(
			`${JSON.stringify({ baseUrl: n8n.baseUrl, cookie: started.client.cookie })}\n`,
		);
} catch (error) {
	process.stderr.write(`${error?.message ?? error}\n`);
	process.exit(1);
}
