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

/** Chromium through the launcher the editor screenshots and tests use (it says what to install). */
const { launchBrowser } = require('../../../../scripts/lib/editor.cjs') as {
	launchBrowser(): Promise<Browser>;
};

let sandbox: Sandbox;
let host: http.Server;
let hostUrl: string;
let browser: Browser;
let hostPage = '';

beforeAll(async () => {
	sandbox = await startSandbox(['documentolog']);
	host = http.createServer((_req, res) => {
		res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
		res.end(hostPage);
	});
	await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
	hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await new Promise<void>((resolve) => host.close(() => resolve()));
	await sandbox.close();
});

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
