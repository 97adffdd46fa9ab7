/* eslint-disable @n8n/community-nodes/no-restricted-imports */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorOf } from '../../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	DOCX_MIME,
	apiRequests,
	clearLog,
	createRequest,
	docxBytes,
	emulatorDocuments,
	emulatorRequests,
	expectKeyOnlyInHeader,
	fileItem,
	runOk,
	runOkDokument,
	samplePdf,
	signerAction,
} from '../../harness';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['okdokument']);
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

const create = (extra: Record<string, unknown> = {}) => ({
	resource: 'signatureRequest',
	operation: 'create',
	documentSource: 'upload',
	fileSource: 'binary',
	binaryPropertyName: 'data',
	...extra,
});

async function sentBody() {
	const creates = (await apiRequests(sandbox)).filter(
		(r) => r.method === 'POST' && r.path === '/JSON/signatureRequest',
	);
	expect(creates).toHaveLength(1);
	return creates[0].body;
}

describe('OKdokument → Signature Request → Create', () => {
	it('sends a binary PDF as base64 with its name and returns a working signing URL', async () => {
		const [item] = await runOk(sandbox, create(), [fileItem(pdf, 'Service agreement.pdf')]);
		expect(item.pairedItem).toEqual({ item: 0 });
		const json = item.json;
		expect(json).toMatchObject({
			message: 'msg.signature.request.id.created',
			fileName: 'Service agreement.pdf',
			fileSize: pdf.length,
		});
		expect(json.signatureRequestId).toMatch(/^[0-9a-f-]{36}$/);
		expect(json.signingUrl).toBe(
			`${sandbox.url('okdokument')}/openDocument/${json.signatureRequestId}`,
		);
		expect(await sentBody()).toEqual({
			filedata: { filename: 'Service agreement.pdf', content: pdf.toString('base64') },
		});
		expectKeyOnlyInHeader(await apiRequests(sandbox));

		// The signer's link works without any key and leads to the document.
		const page = await fetch(json.signingUrl as string, { redirect: 'manual' });
		expect(page.status).toBe(302);
		expect(page.headers.get('location')).toBe(
			`${sandbox.url('okdokument')}/viewDocument?id=${json.documentId}`,
		);
	});

	it('fetches a URL source and names the document after the URL', async () => {
		const url = `${sandbox.url('okdokument')}/__files/sample.pdf`;
		const [item] = await runOk(sandbox, create({ fileSource: 'url', fileUrl: url }));
		expect(item.json).toMatchObject({ fileName: 'sample.pdf', fileSize: pdf.length });
		expect(await sentBody()).toEqual({
			filedata: { filename: 'sample.pdf', content: pdf.toString('base64') },
		});
	});

	it('takes base64 text (a data URL too) with the given file name', async () => {
		await runOk(
			sandbox,
			create({
				fileSource: 'base64',
				fileBase64: `data:application/pdf;base64,${pdf.toString('base64')}`,
				fileName: 'from-text.pdf',
			}),
		);
		expect(await sentBody()).toEqual({
			filedata: { filename: 'from-text.pdf', content: pdf.toString('base64') },
		});
	});

	it('sends a DOCX with its name so OKdokument converts it to PDF', async () => {
		const docx = docxBytes();
		const [item] = await runOk(sandbox, create(), [fileItem(docx, 'contract.docx', DOCX_MIME)]);
		expect(await sentBody()).toEqual({
			filedata: { filename: 'contract.docx', content: docx.toString('base64') },
		});
		const held = (await emulatorDocuments(sandbox)).find((d) => d.id === item.json.documentId);
		expect(held).toMatchObject({ filename: 'contract.docx', converted: true, state: 'tosign' });
	});

	it('asks OKdokument to scan text tags first', async () => {
		const [item] = await runOk(sandbox, create({ documentState: 'tags' }), [fileItem(pdf)]);
		expect(((await sentBody()).filedata as Record<string, unknown>).state).toBe('tags');
		const held = (await emulatorDocuments(sandbox)).find((d) => d.id === item.json.documentId);
		expect(['tags', 'tosign']).toContain(held?.state);
	});

	it('sends every option under the API’s own name', async () => {
		const expires = Date.now() + 3 * 24 * 3600_000;
		const [item] = await runOk(
			sandbox,
			create({
				options: {
					signatureRequestId: '1d58a59e-e8f7-4d07-bb99-d3fa39cb58a8',
					expiresAt: new Date(expires).toISOString(),
					callbackUrl: 'https://n8n.example.com/webhook/abc/webhook?secret=s1&flow=hr',
					resultUrl: 'https://example.com/thanks',
					allowedFields: '{"SIGNATURE": ["SC_signature"], "TEXT": ["TO_text", "TC_text"]}',
					fieldConfig: {
						field: [
							{ name: 'TC_text', value: 'New value', readOnly: false },
							{ name: 'TO_text', value: 'Locked', readOnly: true },
						],
					},
					ignoreRequired: ['SIGNATURE'],
					fieldsBeforeSigning: 'keep',
				},
			}),
			[fileItem(pdf)],
		);
		const body = await sentBody();
		expect(body).toEqual({
			signatureRequestId: '1d58a59e-e8f7-4d07-bb99-d3fa39cb58a8',
			expirationTime: String(expires),
			sendInfoURL: 'https://n8n.example.com/webhook/abc/webhook?secret=s1&flow=hr',
			resulturl: 'https://example.com/thanks',
			allowedFields: { SIGNATURE: ['SC_signature'], TEXT: ['TO_text', 'TC_text'] },
			fieldConfig: [
				{ name: 'TC_text', value: 'New value' },
				{ name: 'TO_text', value: 'Locked', readOnly: true },
			],
			ignoreRequired: ['SIGNATURE'],
			fieldsBeforeSigning: 'keep',
			filedata: { filename: 'agreement.pdf', content: pdf.toString('base64') },
		});
		expect(item.json).toMatchObject({
			signatureRequestId: '1d58a59e-e8f7-4d07-bb99-d3fa39cb58a8',
			expiresAt: new Date(expires).toISOString(),
			callbackUrl: 'https://n8n.example.com/webhook/abc/webhook?secret=s1&flow=hr',
			resultUrl: 'https://example.com/thanks',
		});
	});

	it('keeps the older text-tag form of allowed fields as a string', async () => {
		await runOk(sandbox, create({ options: { allowedFields: '{"SIGNATURE": "_SO1_; _SC2_"}' } }), [
			fileItem(pdf),
		]);
		expect((await sentBody()).allowedFields).toEqual({ SIGNATURE: '_SO1_;_SC2_' });
	});

	it('turns the friendly rule fields into OKdokument rules', async () => {
		await runOk(
			sandbox,
			create({
				rules: {
					emailTo: 'customer@example.com',
					emailFrom: 'contracts@example.com',
					senderName: 'Example s.r.o.',
					emailMessage: 'Please sign today',
					emailFinal: 'hr@example.com | legal@example.com',
					dailyReminders: true,
					language: 'sk',
					openOtpEmail: 'customer@example.com',
					signOtpPhone: '+421 905 123 456',
					signerName: 'Ján Novák',
					requestSignerName: false,
					disableMouseSignature: true,
					signAnywhere: false,
					additionalRules: '{"guiAutoSubmit": true, "lang": "cs"}',
				},
			}),
			[fileItem(pdf)],
		);
		expect((await sentBody()).rules).toEqual({
			guiAutoSubmit: true,
			emailTo: 'customer@example.com',
			emailFrom: 'contracts@example.com',
			nameFrom: 'Example s.r.o.',
			emailMessage: 'Please sign today',
			emailFinal: 'hr@example.com;legal@example.com',
			emailNotification: true,
			lang: 'sk',
			openOtpEmail: 'customer@example.com',
			signOtpPhone: '+421905123456',
			guiSignerName: 'Ján Novák',
			guiRequestSignerName: false,
			mouseSignature: false,
			signAnywhereEnabled: false,
		});
		const [held] = (await emulatorRequests(sandbox)).slice(-1);
		expect(held.rules).toMatchObject({ emailTo: 'customer@example.com', lang: 'sk' });
	});

	it('starts a second round on a signed document with changeState', async () => {
		const first = await createRequest(sandbox, pdf);
		await signerAction(sandbox, first.signatureRequestId, 'submit', 'First Signer');
		await clearLog(sandbox);
		const [item] = await runOk(sandbox, {
			resource: 'signatureRequest',
			operation: 'create',
			documentSource: 'existing',
			documentId: first.documentId,
			options: { signatureRequestId: 'round-2-of-contract' },
		});
		expect(await sentBody()).toEqual({
			signatureRequestId: 'round-2-of-contract',
			id: first.documentId,
			changeState: 'tosign',
		});
		expect(item.json).toMatchObject({
			signatureRequestId: 'round-2-of-contract',
			documentId: first.documentId,
			nextRound: true,
		});
		const rounds = (await emulatorRequests(sandbox)).filter(
			(r) => r.documentId === first.documentId,
		);
		expect(rounds.map((r) => [r.round, r.state])).toEqual([
			[1, 'submitted'],
			[2, 'open'],
		]);
	});

	it('opens the first request on a stored document without changeState', async () => {
		const [stored] = await runOk(
			sandbox,
			{ resource: 'document', operation: 'upload', fileSource: 'binary', uploadMode: 'storage' },
			[fileItem(pdf)],
		);
		await clearLog(sandbox);
		await runOk(sandbox, {
			resource: 'signatureRequest',
			operation: 'create',
			documentSource: 'existing',
			documentId: stored.json.documentId as string,
			startNextRound: false,
		});
		expect(await sentBody()).toEqual({ id: stored.json.documentId });
	});

	it('is sent once: a repeated signature request ID is refused with 409 and not retried', async () => {
		await createRequest(sandbox, pdf, { options: { signatureRequestId: 'fixed-id-409' } });
		await clearLog(sandbox);
		const run = await runOkDokument(
			sandbox,
			create({ options: { signatureRequestId: 'fixed-id-409' } }),
			[fileItem(pdf)],
		);
		const error = errorOf(run);
		expect(error?.message).toBe('Item 0: OKdokument answered HTTP 409');
		expect(error?.description).toBe('err.signature.request.id.exists (fixed-id-409)');
		expect(await apiRequests(sandbox)).toHaveLength(1);
	});
});

describe('OKdokument → Signature Request → Create, file from a URL', () => {
	/** Serves `size` bytes of a PDF-looking file, declaring its length or not (chunked). */
	async function fileServer(size: number, declareLength: boolean) {
		const sent = { bytes: 0 };
		const server = http.createServer((_req, res) => {
			res.writeHead(200, {
				'content-type': 'application/pdf',
				...(declareLength ? { 'content-length': String(size) } : {}),
			});
			const block = Buffer.alloc(64 * 1024, 0x20);
			block.write('%PDF-1.4\n');
			const pump = () => {
				while (sent.bytes < size) {
					const piece = block.subarray(0, Math.min(block.length, size - sent.bytes));
					sent.bytes += piece.length;
					if (!res.write(piece)) {
						res.once('drain', pump);
						return;
					}
				}
				res.end();
			};
			res.on('error', () => undefined);
			pump();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/big.pdf`;
		return { url, sent, close: async () => await new Promise((r) => server.close(r)) };
	}

	it.each([
		['declares its length', true],
		['does not declare its length', false],
	])(
		'refuses a link to a file over 10 MB that %s, without reading it whole or sending anything',
		async (_label, declareLength) => {
			const server = await fileServer(40 * 1024 * 1024, declareLength);
			try {
				const run = await runOkDokument(
					sandbox,
					create({ fileSource: 'url', fileUrl: server.url }),
				);
				expect(errorOf(run)?.message).toBe(
					'Item 0: File URL points to a file larger than 10 MB, the most this operation takes',
				);
				expect(await apiRequests(sandbox)).toEqual([]);
				// The read stopped near the limit instead of taking in all 40 MB.
				expect(server.sent.bytes).toBeLessThan(30 * 1024 * 1024);
			} finally {
				await server.close();
			}
		},
	);
});
