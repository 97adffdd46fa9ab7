/* eslint-disable @n8n/community-nodes/no-restricted-imports, @typescript-eslint/no-require-imports */
// A real browser (Debian's chromium, driven by playwright-core) opens a host page on one origin
// that embeds the emulator's signing page (another origin) with the node's own <iframe> and
// listener snippets, clicks in the iframe, and receives the page's postMessage events.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox, type Sandbox } from '../../../helpers/sandbox';
import { createParameters, docOfToken, runOk } from '../harness';

/** The little of playwright-core this test uses. */
interface Locator {
	click(): Promise<void>;
}
interface Page {
	goto(url: string): Promise<unknown>;
	reload(): Promise<unknown>;
	waitForFunction(fn: string): Promise<unknown>;
	evaluate<T>(fn: string): Promise<T>;
	frameLocator(selector: string): { locator(selector: string): Locator };
}
interface Browser {
	newPage(): Promise<Page>;
	close(): Promise<void>;
}
interface BrowserRun {
	browser: Promise<Browser>;
	processes(): Array<{ pid: number }>;
	stop(): Promise<void>;
}

/** Chromium through the launcher the editor screenshots and tests use (it says what to install). */
const launcher = require('../../../../scripts/lib/editor.cjs') as {
	LAUNCH_TIMEOUT_MS: number;
	startBrowser(options?: { timeoutMs?: number }): BrowserRun;
};

// Chromium's start has its own (generous) timeout; the hooks wait longer, so a slow start on a
// loaded machine is waited for instead of failing, and stop() always runs after it.
const START_MS = launcher.LAUNCH_TIMEOUT_MS + 30_000;
const STOP_MS = 60_000;
// Each step of a test waits for a condition (playwright's own 30 s at most).
jest.setTimeout(90_000);

let sandboxStart: Promise<Sandbox> | undefined;
let sandbox: Sandbox;
let host: http.Server;
let hostUrl: string;
let chromium: BrowserRun | undefined;
let browser: Browser;
let hostPage = '';

beforeAll(async () => {
	// Both started before anything can fail, so that afterAll stops them whatever happens next.
	chromium = launcher.startBrowser();
	sandboxStart = startSandbox(['documentolog']);
	sandbox = await sandboxStart;
	host = http.createServer((_req, res) => {
		res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
		res.end(hostPage);
	});
	await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
	hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;
	browser = await chromium.browser;
}, START_MS);

afterAll(async () => {
	// Each stops whatever the other does; the host page last (Chromium holds connections to it).
	const steps = await Promise.allSettled([
		chromium?.stop(),
		sandboxStart?.then(async (started) => await started.close()),
	]);
	if (host) {
		host.closeAllConnections();
		await new Promise<void>((resolve) => host.close(() => resolve()));
	}
	for (const step of steps) if (step.status === 'rejected') throw step.reason;
}, STOP_MS);

/** The host page a user would build from the node's output, plus a recorder of what it hears. */
function pageFor(iframeHtml: string, listenerScript: string): string {
	return `<!doctype html><html><head><meta charset="utf-8"><title>Shop checkout</title></head><body>
<h1>Sign your contract</h1>
${iframeHtml}
${listenerScript}
<script>
window.__events = [];
window.addEventListener('documentolog', function (event) { window.__events.push(event.detail); });
</script>
</body></html>`;
}

describe('Documentolog embedded signing page in a real browser', () => {
	it('posts sign, already-signed and user-close to the host page, which ignores other origins', async () => {
		const [item] = await runOk(
			sandbox,
			createParameters(sandbox, { senderSignatureMethods: ['eds', 'egov-qr'] }),
		);
		hostPage = pageFor(item.json.iframeHtml as string, item.json.listenerScript as string);
		const doc = await docOfToken(sandbox, item.json.accessToken as string);
		const page = await browser.newPage();
		await page.goto(hostUrl);

		// A message from the host's own origin, shaped like the vendor's, must not count.
		await page.evaluate(
			"window.postMessage({ isDocumentolog: true, type: 'sign', success: true, signType: 'eds' }, '*')",
		);
		const frame = page.frameLocator('iframe');
		await frame.locator('button[data-sign-type="egov_gr"]').click();
		await page.waitForFunction('window.__events.length >= 1');
		expect(await page.evaluate('window.__events')).toEqual([
			{ isDocumentolog: true, type: 'sign', success: true, signType: 'egov_gr' },
		]);
		const after = await sandbox.control<{ state: string; events: Array<{ event?: string }> }>(
			'documentolog',
			'GET',
			`/__docs/${doc.docId}`,
		);
		expect(after.state).toBe('sent');
		expect(after.events.map((event) => event.event)).toEqual(['document_sent']);

		// Opened again, the page says it is already signed; Close reports user-close.
		await page.reload();
		await page.waitForFunction('window.__events.length >= 1');
		await frame.locator('button[data-action="close"]').click();
		await page.waitForFunction('window.__events.length >= 2');
		expect(await page.evaluate('window.__events')).toEqual([
			{ isDocumentolog: true, type: 'already-signed', success: true },
			{ isDocumentolog: true, type: 'user-close', success: false },
		]);
	});

	it('reports a declined signature as sign with success false, and signs nothing', async () => {
		const [item] = await runOk(sandbox, createParameters(sandbox));
		hostPage = pageFor(item.json.iframeHtml as string, item.json.listenerScript as string);
		const page = await browser.newPage();
		await page.goto(hostUrl);
		await page.frameLocator('iframe').locator('button[data-action="decline"]').click();
		await page.waitForFunction('window.__events.length >= 1');
		expect(await page.evaluate('window.__events')).toEqual([
			{ isDocumentolog: true, type: 'sign', success: false, signType: null },
		]);
		const doc = await docOfToken(sandbox, item.json.accessToken as string);
		expect(doc.state).toBe('created');
	});
});

describe('Chromium never outlives the test', () => {
	it('leaves no process when a launch fails or is stopped while it starts', async () => {
		// A launch that times out (1 ms) kills what it spawned.
		const failed = launcher.startBrowser({ timeoutMs: 1 });
		await expect(failed.browser).rejects.toThrow(/Timeout/);
		await failed.stop();
		expect(failed.processes()).toEqual([]);
		// One stopped before it is up: killed as soon as its process appears.
		const early = launcher.startBrowser();
		await early.stop();
		await early.browser.catch(() => undefined);
		expect(early.processes()).toEqual([]);
	});
});
