/* eslint-disable @n8n/community-nodes/no-restricted-imports */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorOf, outputOf } from '../../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	GOOD_TOKEN,
	apiRequests,
	clearLog,
	expectKeyOnlyInQuery,
	pdfItem,
	runDokobit,
	runOk,
	samplePdf,
	sha256,
} from '../../harness';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit'], { options: { pendingPolls: 2 } });
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

const upload = (extra: Record<string, unknown>) => ({
	resource: 'file',
	operation: 'upload',
	...extra,
});

describe('Dokobit Gateway → File → Upload', () => {
	it('uploads a binary property as base64 content with its SHA-256 digest', async () => {
		const [item] = await runOk(
			sandbox,
			upload({ fileSource: 'binary', binaryPropertyName: 'data' }),
			[pdfItem(pdf, 'contract.pdf')],
		);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toEqual({
			token: expect.stringMatching(/^f[0-9a-f]{24}$/),
			name: 'contract.pdf',
			digest: sha256(pdf),
			status: 'uploaded',
			size: pdf.length,
		});

		const log = await apiRequests(sandbox);
		expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
			'POST /api/file/upload.json',
			`GET /api/file/upload/${item.json.token as string}/status.json`,
		]);
		expect(log[0].body).toEqual({
			file: { name: 'contract.pdf', digest: sha256(pdf), content: pdf.toString('base64') },
		});
		expectKeyOnlyInQuery(log);
	});

	it('uploads base64 text under the given file name', async () => {
		const [item] = await runOk(
			sandbox,
			upload({
				fileSource: 'base64',
				fileBase64: pdf.toString('base64'),
				fileName: 'from-text.pdf',
			}),
		);
		expect(item.json).toMatchObject({
			name: 'from-text.pdf',
			status: 'uploaded',
			size: pdf.length,
		});
		const [sent] = await apiRequests(sandbox);
		expect(sent.body).toEqual({
			file: { name: 'from-text.pdf', digest: sha256(pdf), content: pdf.toString('base64') },
		});
	});

	it('passes a URL to the Gateway and waits while the Gateway keeps it pending', async () => {
		const url = `${sandbox.url('dokobit')}/__files/sample.pdf`;
		const [item] = await runOk(sandbox, upload({ fileSource: 'url', fileUrl: url }));
		expect(item.json).toMatchObject({
			name: 'sample.pdf',
			digest: sha256(pdf),
			status: 'uploaded',
		});

		const log = await apiRequests(sandbox);
		expect(log[0].body).toEqual({ file: { name: 'sample.pdf', digest: sha256(pdf), url } });
		const polls = log.filter((r) => r.path.endsWith('/status.json'));
		// pendingPolls: 2 → two "pending" answers before "uploaded".
		expect(polls).toHaveLength(3);
		expect(log).toHaveLength(4);
		expectKeyOnlyInQuery(log);
	});

	it('fails clearly when the Gateway cannot fetch the URL the node could', async () => {
		// Serves the PDF once (to the node, which hashes it), then 404s (to the Gateway).
		let served = 0;
		const seen: string[] = [];
		const server = http.createServer((req, res) => {
			served++;
			seen.push(`${req.url} ${JSON.stringify(req.headers)}`);
			if (served > 1) {
				res.writeHead(404).end();
				return;
			}
			res.writeHead(200, { 'content-type': 'application/pdf' }).end(pdf);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/once.pdf`;
		try {
			const run = await runDokobit(sandbox, upload({ fileSource: 'url', fileUrl: url }));
			const error = errorOf(run);
			expect(error?.message).toBe(
				'Item 0: Dokobit Gateway could not take the file "once.pdf" (upload status "error")',
			);
			expect(error?.context?.itemIndex).toBe(0);
			expect(served).toBe(2);
			// The public link is fetched without the API key, by the node and by the Gateway.
			expect(seen.join('\n')).not.toContain(GOOD_TOKEN);
			expect(seen.join('\n')).not.toContain('access_token');
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
	});

	it('gives up with a clear error when the Gateway stays pending past Max Wait', async () => {
		const slow = await startSandbox(['dokobit'], { options: { pendingPolls: 1000 } });
		try {
			const url = `${slow.url('dokobit')}/__files/sample.pdf`;
			const run = await runDokobit(
				slow,
				upload({ fileSource: 'url', fileUrl: url, options: { maxWaitSeconds: 1 } }),
			);
			const error = errorOf(run);
			expect(error?.message).toBe(
				'Item 0: Dokobit Gateway had not finished fetching "sample.pdf" after 1 s',
			);
			expect(error?.description).toMatch(/^File token f[0-9a-f]{24} is still pending/);
			expect(outputOf(run)).toEqual([]);
		} finally {
			await slow.close();
		}
	});

	it('uploads one file per input item, each paired with its item', async () => {
		const items = await runOk(
			sandbox,
			upload({ fileSource: 'binary', binaryPropertyName: 'data' }),
			[pdfItem(pdf, 'one.pdf'), pdfItem(Buffer.concat([pdf, Buffer.from('%2\n')]), 'two.pdf')],
		);
		expect(items.map((i) => [i.json.name, i.pairedItem])).toEqual([
			['one.pdf', { item: 0 }],
			['two.pdf', { item: 1 }],
		]);
		expect(items[0].json.token).not.toBe(items[1].json.token);
		const uploads = (await apiRequests(sandbox)).filter((r) => r.path === '/api/file/upload.json');
		expect(uploads).toHaveLength(2);
	});
});
