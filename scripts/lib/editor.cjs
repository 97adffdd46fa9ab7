// Drives the real n8n editor in headless Chromium (Debian's /usr/bin/chromium, playwright-core).
// Shared by `npm run docs:screenshots` (scripts/docs-screenshots.mjs) and the browser tests
// (test/e2e/editor.e2e.test.ts, the embedded-signing one). CommonJS so that both the ESM script
// and jest can load it.
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const procs = require('./procs.cjs');

const CHROMIUM = process.env.ESIGN_CHROMIUM || '/usr/bin/chromium';

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The `browser-id` our REST clients send (scripts/lib/n8n.mjs, test/helpers/n8n.ts). n8n binds
 * the login cookie to a hash of it; the editor sends the id it keeps in localStorage
 * (`n8n-browserId`), so the browser must use the same id to reuse a REST login cookie.
 */
const BROWSER_ID = 'esign-cli';

/** Fails with how to install what is missing instead of skipping. */
function loadChromium() {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(
			`${CHROMIUM} is missing: install it with "apt-get install -y chromium" (as root)`,
		);
	}
	try {
		return require('playwright-core').chromium;
	} catch {
		throw new Error(
			'playwright-core is missing: add it as a devDependency (npm i -D playwright-core@1.65.1)',
		);
	}
}

/** Generous: on a loaded 2-core machine Chromium's start has taken longer than jest's 5 s hooks. */
const LAUNCH_TIMEOUT_MS = 120_000;

/** Set in Chromium's environment, one value per launch: how its processes are found and killed. */
const TAG = 'ESIGN_CHROMIUM_RUN';

/**
 * Starts headless Chromium. Returns `{ browser, stop, processes }`: `browser` resolves once it
 * runs (or rejects after `timeoutMs`); `stop()` leaves no Chromium process behind whatever state
 * the launch is in (running, still starting, failed). Chromium leads its own process group and
 * session (playwright spawns it detached), so neither jest's process group nor playwright's exit
 * hook (on jest's copy of `process`, inside a test) would take it.
 */
function startBrowser({ timeoutMs = LAUNCH_TIMEOUT_MS } = {}) {
	const tag = `${process.pid}-${crypto.randomUUID()}`;
	const browser = loadChromium().launch({
		executablePath: CHROMIUM,
		timeout: timeoutMs,
		env: { ...process.env, [TAG]: tag },
		args: [
			'--no-sandbox',
			'--headless',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
			'--hide-scrollbars',
		],
	});
	let launched;
	let settled = false;
	let stopping = false;
	browser.then(
		(running) => {
			launched = running;
			settled = true;
			// Launched after stop() gave up waiting for it: nobody is left to close it.
			if (stopping) procs.killTagged(TAG, tag);
		},
		() => {
			settled = true;
			procs.killTagged(TAG, tag);
		},
	);
	return {
		browser,
		/** The Chromium processes of this launch (none once `stop` resolved). */
		processes: () => procs.processesTagged(TAG, tag),
		async stop({ closeMs = 10_000, settleMs = 30_000 } = {}) {
			stopping = true;
			// A running browser closes itself gently (and removes its profile folder) …
			if (launched) {
				let timer;
				await Promise.race([
					launched.close().catch(() => undefined),
					new Promise((resolve) => (timer = setTimeout(resolve, closeMs))),
				]);
				clearTimeout(timer);
			}
			// … else, or where that did not finish, it is killed; a launch still under way is killed
			// as soon as its process appears, until playwright gives up on it.
			const gone = await procs.until(() => procs.killTagged(TAG, tag).length === 0 && settled, {
				timeoutMs: settleMs,
				everyMs: 200,
			});
			if (!gone && procs.processesTagged(TAG, tag).length > 0) {
				throw new Error(`Chromium (${TAG}=${tag}) still runs after SIGKILL`);
			}
		},
	};
}

/**
 * Console output that is not a fault of the page under test. Each entry says why.
 * Everything else logged with console.error, and every uncaught exception, counts as an error.
 */
const CONSOLE_NOISE = [
	{
		// The machine is offline (and the instance runs with telemetry, templates and version
		// notifications off); a request the browser makes to any host other than the n8n under
		// test (fonts, telemetry, the npm registry for community-package updates) fails with a
		// network error that Chromium logs as "Failed to load resource" against that host.
		why: 'request to an external host failed (offline machine)',
		test: (text, location, baseUrl) =>
			/Failed to load resource|net::ERR_/.test(text) &&
			Boolean(location) &&
			!location.startsWith(baseUrl),
	},
	{
		// n8n 1.x answers 404 (later ones null) when the editor asks for the last successful
		// execution of a workflow that has none; the editor logs the failed request.
		why: 'no successful execution yet (n8n 1.x answers 404)',
		test: (text, location, baseUrl) =>
			/status of 404/.test(text) &&
			new RegExp(`^${escapeRegExp(baseUrl)}/rest/workflows/[^/]+/executions/last-successful$`).test(
				location,
			),
	},
	{
		// After a run, the editor of n8n 1.x asks for the static output schema of each executed
		// node type; n8n ships none for the Manual Trigger and answers 404.
		why: 'no static output schema for this node type (n8n 1.x answers 404)',
		test: (text, location, baseUrl) =>
			/status of 404/.test(text) &&
			new RegExp(`^${escapeRegExp(baseUrl)}/schemas/n8n-nodes-base\\.[\\w]+/[\\d.]+\\.json$`).test(
				location,
			),
	},
	{
		// The editor of n8n 1.x asks for AI builder sessions, a licensed feature that an
		// unlicensed instance refuses (403); the editor logs the request and its error.
		why: 'AI builder sessions are not licensed here',
		test: (text, location, baseUrl) =>
			(/status of 403/.test(text) && location === `${baseUrl}/rest/ai/sessions/metadata`) ||
			/^Failed to fetch sessions metadata: ResponseError: Plan lacks license for this feature/.test(
				text,
			),
	},
];

/**
 * Records console.error messages and uncaught page errors of `page`, minus CONSOLE_NOISE.
 * Returns the live list; `ignored` collects what the filter dropped, with the reason.
 */
function recordConsoleErrors(page, baseUrl) {
	const errors = [];
	const ignored = [];
	page.on('console', (message) => {
		if (message.type() !== 'error') return;
		const text = message.text();
		const location = message.location()?.url ?? '';
		const noise = CONSOLE_NOISE.find((entry) => entry.test(text, location, baseUrl));
		if (noise) ignored.push(`${noise.why}: ${text} (${location})`);
		else errors.push(`console.error: ${text}${location ? ` (${location})` : ''}`);
	});
	page.on('pageerror', (error) => errors.push(`pageerror: ${error.stack || error.message}`));
	return { errors, ignored };
}

/**
 * A logged-in editor tab: the REST login cookie (`n8n-auth=…`) is put into a fresh browser
 * context, and the editor's browser id is set to the one that cookie was issued for.
 */
async function openEditor(browser, { baseUrl, cookie, viewport = { width: 1280, height: 800 } }) {
	const context = await browser.newContext({
		viewport,
		deviceScaleFactor: 1,
		locale: 'en-US',
		timezoneId: 'UTC',
	});
	const separator = cookie.indexOf('=');
	await context.addCookies([
		{
			name: cookie.slice(0, separator),
			value: cookie.slice(separator + 1),
			url: baseUrl,
		},
	]);
	await context.addInitScript((id) => {
		window.localStorage.setItem('n8n-browserId', id);
	}, BROWSER_ID);
	const page = await context.newPage();
	page.setDefaultTimeout(10_000);
	const consoleErrors = recordConsoleErrors(page, baseUrl);
	return { context, page, consoleErrors };
}

const byTestId = (id) => `[data-test-id="${id}"]`;

/** Opens a saved workflow on the canvas and waits until its nodes are drawn. */
async function openWorkflow(page, baseUrl, workflowId) {
	await page.goto(`${baseUrl}/workflow/${workflowId}`, { timeout: 60_000 });
	if (page.url().includes('/signin')) throw new Error('the editor asks for a login');
	// The first load of the editor bundle is slow on a busy machine.
	await page.locator(byTestId('canvas-node')).first().waitFor({ timeout: 60_000 });
	await dismissPopups(page);
}

/** Closes anything that pops up over the canvas (none appears on n8n 2.41.1 with our settings). */
async function dismissPopups(page) {
	for (const selector of ['.el-message-box__headerbtn', '.el-notification__closeBtn']) {
		const buttons = page.locator(`${selector}:visible`);
		for (let i = (await buttons.count()) - 1; i >= 0; i--) await buttons.nth(i).click();
	}
}

/**
 * Double-clicks a node on the canvas and waits for its parameter panel (NDV). If the panel opens
 * without parameters (e.g. n8n does not know the node type), it is closed again and the error
 * says what it showed instead, so the next node can still be checked.
 */
async function openNodePanel(page, nodeName) {
	await page
		.locator(`${byTestId('canvas-node')}[data-node-name="${nodeName.replace(/"/g, '\\"')}"]`)
		.dblclick();
	const ndv = page.locator(byTestId('ndv'));
	await ndv.waitFor();
	try {
		await ndv.locator(byTestId('node-parameters')).waitFor();
	} catch (error) {
		const shown = (await ndv.innerText().catch(() => '')).replace(/\s+/g, ' ').slice(0, 300);
		await closeNodePanel(page).catch(async () => await page.keyboard.press('Escape'));
		throw new Error(
			`the parameter panel of "${nodeName}" shows no parameters (${error.message.split('\n')[0]}); it shows: ${shown}`,
		);
	}
	return ndv;
}

async function closeNodePanel(page) {
	// A close button in n8n 2.x, "Back to canvas" in 1.x: whichever this editor has.
	await page
		.locator(`${byTestId('ndv-close-button')}, ${byTestId('back-to-canvas')}`)
		.first()
		.click();
	await page.locator(byTestId('ndv')).waitFor({ state: 'hidden' });
}

/**
 * The labels of the parameters the open panel shows (Parameters tab), in order, once every label
 * in `including` is among them: the panel draws nested blocks (a signer's fields) after its top
 * level, later still on a loaded machine. After `timeoutMs` it returns what is shown, so that the
 * caller's assertion names what is missing.
 */
async function panelLabels(page, { including = [], timeoutMs = 15_000 } = {}) {
	const labels = page.locator(
		`${byTestId('ndv')} ${byTestId('node-parameters')} ${byTestId('input-label')}:visible`,
	);
	const read = async () =>
		(await labels.allInnerTexts()).map((text) => text.split('\n')[0].trim()).filter(Boolean);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const shown = await read();
		if (including.every((label) => shown.includes(label)) || Date.now() > deadline) return shown;
		await page.waitForTimeout(100);
	}
}

/** Closes the parameter panel if one is open: a failed check must not leave it over the canvas. */
async function closeOpenNodePanel(page) {
	if (await page.locator(byTestId('ndv')).isVisible()) await closeNodePanel(page);
}

/**
 * Opens the node picker from the canvas' + button, searches it, and returns the names listed
 * once every name in `expected` is among them (fails after the timeout otherwise).
 */
async function searchNodes(page, query, expected) {
	await page.locator(byTestId('node-creator-plus-button')).click();
	await page.locator(byTestId('node-creator-search-bar')).fill(query);
	const items = page.locator(byTestId('node-creator-item-name'));
	for (const name of expected) {
		await items
			.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(name)}\\s*$`) })
			.first()
			.waitFor();
	}
	return (await items.allInnerTexts()).map((text) => text.trim());
}

/**
 * Moves the pointer to a neutral spot (empty canvas, or the empty input pane of an open panel)
 * so that no hover effect or tooltip is captured, and lets animations finish.
 */
async function settle(page, ms = 400) {
	await page.mouse.move(150, 680);
	await page.waitForTimeout(ms);
}

const exactText = (text) => new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);

/**
 * The entries the open node picker lists, each with the description shown under its name.
 */
async function pickerEntries(page) {
	return await page.evaluate((nameSelector) => {
		const names = [...document.querySelectorAll(nameSelector)];
		return names.map((name) => {
			let item = name.parentElement;
			while (item && !item.querySelector('[data-test-id="node-creator-item-description"]')) {
				item = item.parentElement;
			}
			const description = item?.querySelector('[data-test-id="node-creator-item-description"]');
			return { name: name.innerText.trim(), description: description?.innerText.trim() ?? '' };
		});
	}, byTestId('node-creator-item-name'));
}

/**
 * Searches the node picker for `query` and opens its entry `entryName` (the panel of a node with
 * actions). Returns the panel's text once its first category ("Actions (17)") is drawn.
 */
async function openPickerEntry(page, query, entryName) {
	await page.locator(byTestId('node-creator-plus-button')).click();
	await page.locator(byTestId('node-creator-search-bar')).fill(query);
	await page
		.locator(byTestId('node-creator-item-name'))
		.filter({ hasText: exactText(entryName) })
		.first()
		.click();
	const panel = page.locator(byTestId('node-creator')).first();
	await panel.locator(byTestId('node-creator-category-item')).first().waitFor();
	return await panel.innerText();
}

/**
 * The names of the actions the open picker panel lists once every name in `including` is among
 * them; after `timeoutMs` it returns what is shown, so that the caller's assertion names what is
 * missing.
 */
async function pickerActionNames(page, { including = [], timeoutMs = 10_000 } = {}) {
	const names = page.locator(
		`${byTestId('node-creator')} [data-keyboard-nav-type="action"] ${byTestId('node-creator-item-name')}:visible`,
	);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const shown = (await names.allInnerTexts()).map((text) => text.trim());
		if (including.every((name) => shown.includes(name)) || Date.now() > deadline) return shown;
		await page.waitForTimeout(100);
	}
}

/**
 * Adds a node by clicking the action `actionName` in the open picker panel; n8n opens the new
 * node's panel. Returns the node's name as that panel's title shows it, once the panel is closed.
 */
async function addNodeByAction(page, actionName) {
	await page
		.locator(
			`${byTestId('node-creator')} [data-keyboard-nav-type="action"] ${byTestId('node-creator-item-name')}`,
		)
		.filter({ hasText: exactText(actionName) })
		.first()
		.click();
	const ndv = page.locator(byTestId('ndv'));
	await ndv.waitFor();
	const title = (await ndv.locator(byTestId('node-title-container')).innerText())
		.split('\n')[0]
		.trim();
	await closeNodePanel(page);
	return title;
}

/** The names of the nodes drawn on the canvas. */
async function canvasNodeNames(page) {
	const nodes = page.locator(byTestId('canvas-node'));
	const names = [];
	for (let i = 0; i < (await nodes.count()); i++) {
		names.push(await nodes.nth(i).getAttribute('data-node-name'));
	}
	return names;
}

/**
 * Opens a saved workflow, leaving unsaved changes of the current one behind: the editor asks
 * before leaving a changed workflow (beforeunload), and an unanswered question stops the navigation.
 */
async function openWorkflowDiscardingChanges(page, baseUrl, workflowId) {
	const discard = async (dialog) =>
		dialog.type() === 'beforeunload' ? await dialog.accept() : await dialog.dismiss();
	page.on('dialog', discard);
	try {
		await openWorkflow(page, baseUrl, workflowId);
	} finally {
		page.off('dialog', discard);
	}
}

/**
 * Logs in through the sign-in page, as a user does (no REST cookie), and waits until the editor
 * has left it.
 */
async function logInAsUser(page, baseUrl, { email, password }) {
	await page.goto(baseUrl, { timeout: 60_000 });
	await page.locator('input[name="emailOrLdapLoginId"], input[type="email"]').first().fill(email);
	await page.locator('input[type="password"]').fill(password);
	await page.keyboard.press('Enter');
	await page.waitForURL((url) => !url.pathname.includes('/signin'), { timeout: 60_000 });
}

/**
 * Opens a workflow the way the README says: Overview (the house icon in the sidebar, wherever
 * n8n landed), its Workflows tab, the workflow by its exact name. Where other tests have pushed
 * it off the first page of the list, the list's search finds it.
 */
async function openWorkflowFromOverview(page, name) {
	await page.locator(byTestId('project-home-menu-item')).first().click();
	await page.locator(byTestId('project-tabs')).getByText('Workflows', { exact: true }).click();
	const card = page
		.locator(byTestId('workflow-card-name'))
		.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(name)}\\s*$`) })
		.first();
	try {
		await card.waitFor({ timeout: 15_000 });
	} catch {
		await page
			.locator(`${byTestId('resources-list-search')} input`)
			.first()
			.fill(name);
		await card.waitFor();
	}
	await card.click();
	// Toasts of an earlier run may still be fading out: they cover nothing the walkthrough uses.
	await page.locator(byTestId('canvas-node')).first().waitFor({ timeout: 60_000 });
}

/**
 * Makes the open workflow active with the control this editor shows: n8n 2.x's Publish button
 * and its "Version name" dialog, or n8n 1.x's Inactive / Active switch. Returns which it used.
 * A trigger's activation message (the "Got it" dialog) is left for the caller to read.
 */
async function publishOrActivate(page) {
	const publish = page.locator(byTestId('workflow-open-publish-modal-button'));
	const toggle = page.locator(byTestId('workflow-activate-switch'));
	await publish.or(toggle).first().waitFor();
	if (await publish.isVisible()) {
		await publish.click();
		const name = page.locator(
			`${byTestId('workflow-publish-version-name-input')} input, input${byTestId('workflow-publish-version-name-input')}`,
		);
		await name.first().waitFor();
		// The dialog suggests a version name; a user who clears it must give one.
		if (!(await name.first().inputValue())) await name.first().fill('First version');
		await page.locator(byTestId('workflow-publish-button')).click();
		await page.locator(byTestId('workflow-publish-button')).waitFor({ state: 'hidden' });
		return 'publish';
	}
	await toggle.click();
	await page
		.locator(byTestId('workflow-activator-status'))
		.filter({ hasText: /^\s*Active\s*$/ })
		.waitFor();
	return 'toggle';
}

module.exports = {
	addNodeByAction,
	canvasNodeNames,
	openPickerEntry,
	openWorkflowDiscardingChanges,
	pickerActionNames,
	pickerEntries,
	BROWSER_ID,
	CHROMIUM,
	CONSOLE_NOISE,
	byTestId,
	closeNodePanel,
	closeOpenNodePanel,
	dismissPopups,
	LAUNCH_TIMEOUT_MS,
	logInAsUser,
	openEditor,
	openNodePanel,
	openWorkflow,
	openWorkflowFromOverview,
	panelLabels,
	publishOrActivate,
	recordConsoleErrors,
	searchNodes,
	settle,
	startBrowser,
};
