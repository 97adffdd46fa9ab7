// `./dev start`: builds and packs the package, installs it into a private n8n user folder the way
// n8n installs community packages, starts the vendor sandbox and n8n on loopback, creates
// credentials that point at the sandbox, imports the example workflows, and prints the login.
// Ctrl-C stops everything it started. Re-runs reuse .cache/ (n8n install, user folder, owner).
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_N8N_VERSION } from './lib/n8n-install.mjs';
import {
	N8N_VERSION,
	N8nClient,
	OWNER,
	ROOT,
	buildAndPack,
	ensureN8n,
	installPackage,
	n8nFilesFolder,
	startN8n,
} from './lib/n8n.mjs';
import { startSandbox } from '../test/sandbox/cli.mjs';
import { MAIL_LOGIN } from '../test/sandbox/mail.mjs';
import examples from './lib/examples.cjs';
import ports from './lib/ports.cjs';
import { TABLE_NAME, TABLE_PLACEHOLDER, ensureSigningsTable } from './lib/signings-table.mjs';

const { EXAMPLE_ORIGINS, originsDiffer, pointExamplesAt } = examples;
const { PortSettingError, checkStartPorts, startPorts } = ports;
// One user folder per n8n version: a database migrated by a newer n8n does not open in an older one.
const home = path.join(
	ROOT,
	'.cache',
	N8N_VERSION === DEFAULT_N8N_VERSION ? 'n8n-home' : `n8n-home-${N8N_VERSION}`,
);
const stateFile = path.join(home, 'esign-start.json');

/** Credentials the sandbox accepts, one per emulator that is running (the mail server's too). */
const SANDBOX_CREDENTIALS = {
	dokobit: {
		type: 'dokobitGatewayApi',
		name: 'Dokobit sandbox',
		data: ({ baseUrl }) => ({
			environment: 'custom',
			baseUrl,
			accessToken: 'example-dokobit-token',
		}),
	},
	okdokument: {
		type: 'okDokumentApi',
		name: 'OKdokument sandbox',
		data: ({ baseUrl }) => ({ environment: 'custom', baseUrl, apiKey: 'example-okdokument-key' }),
	},
	documentolog: {
		type: 'documentologApi',
		name: 'Documentolog sandbox',
		data: ({ baseUrl }) => ({ host: 'custom', baseUrl, apiKey: 'example-documentolog-key' }),
	},
	mail: {
		type: 'smtp',
		name: 'Sandbox mail',
		data: ({ smtpPort }) => ({
			host: '127.0.0.1',
			port: smtpPort,
			secure: false,
			disableStartTls: true,
			user: MAIL_LOGIN.user,
			password: MAIL_LOGIN.password,
		}),
	},
};

/**
 * Exits with the one line of scripts/lib/ports.cjs when a port of this start is taken (by another
 * process than `ignorePid`).
 */
async function exitIfPortsTaken({ ignorePid } = {}) {
	const problem = await checkStartPorts(process.env, { ignorePid });
	if (problem) {
		console.error(problem);
		process.exit(1);
	}
}

/**
 * Points a saved workflow's local URLs from the origins in `from` to those in `to`. Resolves to
 * whether it changed; a published one (n8n 2.x) is named, as its live version keeps the old URLs.
 */
async function repointWorkflow(client, id, from, to) {
	const stored = await client.request('GET', `/rest/workflows/${id}`);
	const nodes = JSON.parse(pointExamplesAt(JSON.stringify(stored.nodes), to, from));
	if (JSON.stringify(nodes) === JSON.stringify(stored.nodes)) return false;
	await client.request('PATCH', `/rest/workflows/${id}`, { nodes, versionId: stored.versionId });
	if (stored.active && stored.activeVersionId)
		console.log(`› "${stored.name}" is published: press Publish again to run it on these ports`);
	return true;
}

async function main() {
	// `./dev start` checked before installing anything; checked again for `npm start`, and because
	// an install of several minutes leaves time for another program to take a port.
	await exitIfPortsTaken();
	const { n8nPort, brokerPort, sandboxBasePort } = startPorts();
	console.log('› building and packing n8n-nodes-esign');
	const tarball = buildAndPack(path.join(ROOT, '.cache', 'pack'));
	const runtime = ensureN8n();
	installPackage(home, tarball);
	await exitIfPortsTaken();
	// Servers this process already started hold their ports: those are not the ones taken.
	const sandbox = await startSandbox({ basePort: sandboxBasePort }).catch(async (error) => {
		await exitIfPortsTaken({ ignorePid: process.pid });
		throw error;
	});
	const firstStart = !fs.existsSync(path.join(home, '.n8n', 'database.sqlite'));
	console.log(
		`› starting n8n ${runtime.version} on Node ${runtime.nodeVersion}${firstStart ? ' (first start: it creates its database, a minute or more)' : ''}`,
	);
	const n8n = await startN8n({
		runtime,
		userFolder: home,
		port: n8nPort,
		brokerPort,
		logFile: path.join(home, 'n8n.log'),
	}).catch(async (error) => {
		await exitIfPortsTaken({ ignorePid: process.pid });
		throw error;
	});
	const stop = async () => {
		console.log('\n› stopping n8n and the sandbox');
		await n8n.stop();
		await sandbox.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	const client = new N8nClient(n8n.baseUrl);
	await client.ensureOwner();
	await client.waitForNodeTypes();
	const state = fs.existsSync(stateFile)
		? JSON.parse(fs.readFileSync(stateFile, 'utf8'))
		: { credentials: {}, examples: [] };
	const existing = new Set((await client.request('GET', '/rest/credentials')).map((c) => c.id));
	for (const [vendor, emulator] of Object.entries(sandbox.emulators)) {
		const spec = SANDBOX_CREDENTIALS[vendor];
		if (!spec) continue;
		const known = state.credentials[spec.type];
		if (known && existing.has(known.id)) {
			await client.request('PATCH', `/rest/credentials/${known.id}`, {
				name: spec.name,
				type: spec.type,
				data: spec.data(emulator),
			});
			continue;
		}
		const created = await client.createCredential(spec.name, spec.type, spec.data(emulator));
		state.credentials[spec.type] = { id: created.id, name: created.name };
	}
	const tableId = await ensureSigningsTable(client, (message) => console.log(`› ${message}`));
	// The scheduled batch example reads this file; an edited copy is left alone.
	const csv = path.join(n8nFilesFolder(home), 'contracts.csv');
	if (!fs.existsSync(csv)) fs.copyFileSync(path.join(ROOT, 'examples', 'contracts.csv'), csv);
	const imported = new Map(
		(await client.request('GET', '/rest/workflows')).map((w) => [w.name, w.id]),
	);
	// The examples point at this start's ports; those imported by a start on other ports (or, with
	// no record, as the files are: default ports) are pointed at these.
	const importedWith = state.exampleOrigins ?? EXAMPLE_ORIGINS;
	const origins = {
		n8n: n8n.baseUrl,
		...Object.fromEntries(
			Object.values(sandbox.emulators).map((emulator) => [emulator.name, emulator.baseUrl]),
		),
	};
	let repointed = 0;
	const examplesDir = path.join(ROOT, 'examples');
	for (const file of fs.existsSync(examplesDir)
		? fs
				.readdirSync(examplesDir)
				.filter((f) => f.endsWith('.json'))
				.sort()
		: []) {
		let text = pointExamplesAt(fs.readFileSync(path.join(examplesDir, file), 'utf8'), origins);
		if (tableId) text = text.split(TABLE_PLACEHOLDER).join(tableId);
		const workflow = JSON.parse(text);
		if (imported.has(workflow.name)) {
			if (
				originsDiffer(importedWith, origins) &&
				(await repointWorkflow(client, imported.get(workflow.name), importedWith, origins))
			)
				repointed++;
			continue;
		}
		for (const node of workflow.nodes) {
			for (const type of Object.keys(node.credentials ?? {})) {
				if (state.credentials[type]) node.credentials[type] = state.credentials[type];
			}
		}
		await client.createWorkflow({
			name: workflow.name,
			nodes: workflow.nodes,
			connections: workflow.connections,
			settings: workflow.settings ?? { executionOrder: 'v1' },
		});
	}
	if (repointed) console.log(`› ${repointed} imported examples now use this start's ports`);
	state.exampleOrigins = origins;
	fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));

	console.log(`
n8n ${runtime.version} with n8n-nodes-esign is running.

  Editor   ${n8n.baseUrl}/home/workflows (the examples: Overview → Workflows, the house icon)
  Login    ${OWNER.email} / ${OWNER.password}
  Sandbox  ${Object.values(sandbox.emulators)
		.filter((e) => e.name !== 'mail')
		.map((e) => `${e.name} ${e.baseUrl}`)
		.join(', ')}
  Mail     ${sandbox.emulators.mail?.baseUrl ?? '(not running)'} (every e-mail the workflows send; SMTP on 127.0.0.1:${sandbox.emulators.mail?.smtpPort})
  Files    ${path.relative(ROOT, n8nFilesFolder(home))} (n8n's files folder: contracts.csv, signed PDFs)
  Table    ${tableId ? `Data Table "${TABLE_NAME}" (Overview → Data tables)` : '(no Data Tables in this n8n)'}
  Log      ${path.relative(ROOT, path.join(home, 'n8n.log'))}

Play the signer: open a sandbox URL above in your browser; it lists what waits for a signature,
with a button to sign (the page refreshes itself), and what finished, with its outcome.
Documentolog takes two presses: the sender signs first, then each recipient. The scheduled
examples are inactive: to run one on its schedule, open it and press Publish (n8n 2.x; name the
version and confirm) or switch on its Active toggle (n8n 1.x) (README: "Your first scheduled run").
Press Ctrl-C to stop.`);
}

main().catch((error) => {
	if (error instanceof PortSettingError) {
		console.error(`./dev start: ${error.message}`);
		process.exit(2);
	}
	console.error(error);
	process.exit(1);
});
