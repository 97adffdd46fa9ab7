// `npm run docs:screenshots`: regenerates the editor screenshots in docs/images/ (shown in the
// README). Builds and packs the package, installs it into a throwaway n8n user folder, starts the
// sandbox and n8n (N8N_VERSION, else the pinned one) on free loopback ports, creates the owner and sandbox credentials,
// imports a few example workflows, and photographs the real editor in headless Chromium
// (Debian's /usr/bin/chromium via playwright-core, see scripts/lib/editor.cjs). Stops everything
// and removes the throwaway folder at the end. ESIGN_KEEP_SCREENSHOT_HOME=1 keeps it.
import fs from 'node:fs';
import path from 'node:path';
import {
	N8nClient,
	ROOT,
	buildAndPack,
	ensureN8n,
	freePort,
	installPackage,
	startN8n,
	tempDir,
} from './lib/n8n.mjs';
import editor from './lib/editor.cjs';
import { startSandbox } from '../test/sandbox/cli.mjs';
import { MAIL_LOGIN } from '../test/sandbox/mail.mjs';
import { TABLE_PLACEHOLDER, ensureSigningsTable } from './lib/signings-table.mjs';

const OUT = path.join(ROOT, 'docs', 'images');
const VIEWPORT = { width: 1280, height: 800 };
/** The browser's clock for expression previews in the panels, so reruns give equal files. */
const FIXED_TIME = new Date('2026-03-02T09:00:00Z');

/** Sandbox credentials, named as `./dev start` names them. */
const CREDENTIALS = {
	dokobitGatewayApi: {
		vendor: 'dokobit',
		name: 'Dokobit sandbox',
		data: (url) => ({ environment: 'custom', baseUrl: url, accessToken: 'example-dokobit-token' }),
	},
	okDokumentApi: {
		vendor: 'okdokument',
		name: 'OKdokument sandbox',
		data: (url) => ({ environment: 'custom', baseUrl: url, apiKey: 'example-okdokument-key' }),
	},
	documentologApi: {
		vendor: 'documentolog',
		name: 'Documentolog sandbox',
		data: (url) => ({ host: 'custom', baseUrl: url, apiKey: 'example-documentolog-key' }),
	},
	// The examples' Send Email nodes: without it the canvas marks them with a credential warning.
	smtp: {
		vendor: 'mail',
		name: 'Sandbox mail',
		data: (_url, { smtpPort }) => ({
			host: '127.0.0.1',
			port: smtpPort,
			secure: false,
			disableStartTls: true,
			user: MAIL_LOGIN.user,
			password: MAIL_LOGIN.password,
		}),
	},
};

/** Each vendor's action node with a representative operation, from an example workflow. */
const PANELS = [
	{
		file: 'dokobit-panel.png',
		example: 'dokobit-upload-create-get-urls.json',
		node: 'Upload and create signing',
	},
	{
		file: 'okdokument-panel.png',
		example: 'okdokument-send-pdf-email-otp.json',
		node: 'Send for signature',
	},
	{
		file: 'documentolog-panel.png',
		example: 'documentolog-send-and-wait.json',
		node: 'Send and wait for signature',
	},
];
const CANVAS = { file: 'workflow-canvas.png', example: 'dokobit-send-and-wait.json' };
const BUSINESS_CANVAS = {
	file: 'business-flow-canvas.png',
	example: 'okdokument-scheduled-batch-send.json',
};
const PICKER = {
	file: 'node-picker.png',
	search: 'e-signature',
	expected: ['Dokobit Documents Gateway', 'OKdokument', 'OKdokument Polling', 'Documentolog'],
};

const step = (text) => console.log(`› ${text}`);

async function importExample(client, file, credentials, tableId) {
	let text = fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8');
	if (tableId) text = text.split(TABLE_PLACEHOLDER).join(tableId);
	const workflow = JSON.parse(text);
	for (const node of workflow.nodes) {
		for (const type of Object.keys(node.credentials ?? {})) {
			if (credentials[type]) node.credentials[type] = credentials[type];
		}
	}
	return await client.createWorkflow({
		name: workflow.name,
		nodes: workflow.nodes,
		connections: workflow.connections,
		settings: workflow.settings ?? { executionOrder: 'v1' },
	});
}

async function shoot(page, file) {
	await editor.settle(page);
	await page.screenshot({
		path: path.join(OUT, file),
		// An empty CodeMirror helper (from inline expression editors) is drawn as a small white box
		// in the top-left corner of the page; it is not part of the editor's UI.
		style: 'div[class^="ͼ"]:empty { visibility: hidden !important; }',
	});
	step(
		`${path.relative(ROOT, path.join(OUT, file))} (${fs.statSync(path.join(OUT, file)).size} bytes)`,
	);
}

async function main() {
	const started = Date.now();
	const work = tempDir('esign-screenshots-');
	const cleanups = [];
	try {
		step('building and packing n8n-nodes-esign');
		const tarball = buildAndPack(path.join(work, 'pack'));
		const runtime = ensureN8n();
		const userFolder = path.join(work, 'home');
		installPackage(userFolder, tarball);
		const sandbox = await startSandbox({ basePort: 0 });
		cleanups.push(() => sandbox.close());
		step('starting n8n');
		const n8n = await startN8n({
			runtime,
			userFolder,
			port: await freePort(),
			brokerPort: await freePort(),
			logFile: path.join(work, 'n8n.log'),
			// Expression previews show dates in the instance's time zone (default America/New_York).
			env: { GENERIC_TIMEZONE: 'UTC' },
		});
		cleanups.push(() => n8n.stop());
		const client = new N8nClient(n8n.baseUrl);
		await client.ensureOwner();
		await client.waitForNodeTypes();
		const credentials = {};
		for (const [type, spec] of Object.entries(CREDENTIALS)) {
			const created = await client.createCredential(
				spec.name,
				type,
				spec.data(sandbox.emulators[spec.vendor].baseUrl, sandbox.emulators[spec.vendor]),
			);
			credentials[type] = { id: created.id, name: created.name };
		}
		const tableId = await ensureSigningsTable(client, step);
		const workflows = {};
		for (const example of new Set([
			CANVAS.example,
			BUSINESS_CANVAS.example,
			...PANELS.map((panel) => panel.example),
		])) {
			workflows[example] = await importExample(client, example, credentials, tableId);
		}

		step('opening the editor in headless Chromium');
		const chromium = editor.startBrowser();
		cleanups.push(() => chromium.stop());
		const browser = await chromium.browser;
		const { page, consoleErrors } = await editor.openEditor(browser, {
			baseUrl: n8n.baseUrl,
			cookie: client.cookie,
			viewport: VIEWPORT,
		});
		fs.mkdirSync(OUT, { recursive: true });

		// An example workflow on the canvas, fitted to the view.
		await editor.openWorkflow(page, n8n.baseUrl, workflows[CANVAS.example].id);
		await page.locator(editor.byTestId('zoom-to-fit')).click();
		await shoot(page, CANVAS.file);
		await editor.openWorkflow(page, n8n.baseUrl, workflows[BUSINESS_CANVAS.example].id);
		await page.locator(editor.byTestId('zoom-to-fit')).click();
		await shoot(page, BUSINESS_CANVAS.file);

		// The node picker, searched for an alias every node of the package has.
		await editor.searchNodes(page, PICKER.search, PICKER.expected);
		await shoot(page, PICKER.file);

		// Each action node's parameter panel. Expression previews ({{ $now }}) read the page's clock,
		// so it is frozen for these shots and reruns give equal files. Debounced work (the picker's
		// search, expression highlighting) waits for Date.now() to move: the clock is stepped once
		// the panel is open.
		for (const panel of PANELS) {
			await page.clock.setFixedTime(FIXED_TIME);
			await editor.openWorkflow(page, n8n.baseUrl, workflows[panel.example].id);
			await editor.openNodePanel(page, panel.node);
			await page.clock.setFixedTime(new Date(FIXED_TIME.getTime() + 5_000));
			await shoot(page, panel.file);
			await editor.closeNodePanel(page);
		}

		if (consoleErrors.errors.length > 0) {
			throw new Error(`the editor logged errors:\n${consoleErrors.errors.join('\n')}`);
		}
		step(`done in ${Math.round((Date.now() - started) / 1000)} s`);
	} finally {
		for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
		if (!process.env.ESIGN_KEEP_SCREENSHOT_HOME) fs.rmSync(work, { recursive: true, force: true });
		else step(`kept ${work}`);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
