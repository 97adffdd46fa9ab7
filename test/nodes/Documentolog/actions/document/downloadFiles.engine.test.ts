import type { IBinaryData } from 'n8n-workflow';
import { parseDelivery, toEsignEvent } from '../../../../../nodes/Documentolog/helpers/delivery';
import { errorOf, outputOf } from '../../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	GOOD_KEY,
	apiRequests,
	attachmentUrl,
	clearLog,
	completedDoc,
	completionOf,
	runDocumentolog,
	runOk,
	SIGNED_MARK,
} from '../../harness';

const EZ_MARK = 'n8n-esign-sandbox: EDS container (Ez format)';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox(['documentolog']);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

const bytes = (file: IBinaryData) => Buffer.from(file.data, 'base64');

async function completed(names = ['contract.pdf', 'appendix.pdf']) {
	return await completedDoc(sandbox, {
		attachmentUrls: names.map((name) => attachmentUrl(sandbox, name)),
	});
}

const parameters = (event: unknown, extra: Record<string, unknown> = {}) => ({
	resource: 'document',
	operation: 'downloadFiles',
	completionEvent: JSON.stringify(event),
	fileKind: 'signed',
	which: 'all',
	binaryPropertyName: 'data',
	...extra,
});

describe('Documentolog → Document → Download Files', () => {
	it('downloads every file with EDS as binary, named as the event names them', async () => {
		const doc = await completed();
		await clearLog(sandbox);
		const [item] = await runOk(sandbox, parameters(completionOf(doc)));
		expect(item.json).toEqual({
			documentId: doc.docId,
			kind: 'signed',
			files: [
				{
					name: 'contract.pdf',
					binaryField: 'data_0',
					mimeType: 'application/pdf',
					fileSize: expect.any(String),
				},
				{
					name: 'appendix.pdf',
					binaryField: 'data_1',
					mimeType: 'application/pdf',
					fileSize: expect.any(String),
				},
			],
		});
		expect(Object.keys(item.binary ?? {})).toEqual(['data_0', 'data_1']);
		for (const [field, name] of [
			['data_0', 'contract.pdf'],
			['data_1', 'appendix.pdf'],
		]) {
			const file = item.binary![field];
			expect(file.fileName).toBe(name);
			const content = bytes(file).toString('latin1');
			expect(content.startsWith('%PDF-')).toBe(true);
			expect(content).toContain(SIGNED_MARK);
		}
		const log = await apiRequests(sandbox);
		expect(log.map((r) => `${r.method} ${r.path}`)).toEqual(
			doc.attachments.map(
				(file) =>
					`GET /external/media/download-eds/dcs_universal_type/${doc.number}/${file.fileId}`,
			),
		);
		// Whether downloads need the key is unknown; it is sent, and only to the credential's host.
		expect(log.every((r) => r.headers['api-key'] === GOOD_KEY)).toBe(true);
	});

	it('downloads one original file by name into the plain field', async () => {
		const doc = await completed();
		const [item] = await runOk(
			sandbox,
			parameters(completionOf(doc), {
				fileKind: 'original',
				which: 'one',
				fileName: 'appendix.pdf',
			}),
		);
		expect(Object.keys(item.binary ?? {})).toEqual(['data']);
		expect(item.binary!.data.fileName).toBe('appendix.pdf');
		expect(bytes(item.binary!.data).toString('latin1')).not.toContain(SIGNED_MARK);
		expect(item.json.files).toEqual([
			expect.objectContaining({ name: 'appendix.pdf', binaryField: 'data' }),
		]);
	});

	it('downloads the Ez-format container and the archive of all files', async () => {
		const doc = await completed();
		const [ez] = await runOk(
			sandbox,
			parameters(completionOf(doc), { fileKind: 'signed-ez', which: 'one' }),
		);
		expect(ez.binary!.data).toMatchObject({
			fileName: 'contract.pdf',
			mimeType: 'application/pkcs7-signature',
		});
		expect(bytes(ez.binary!.data).toString('utf8').startsWith(EZ_MARK)).toBe(true);

		const [zip] = await runOk(
			sandbox,
			parameters(completionOf(doc), { fileKind: 'archive-zip', binaryPropertyName: 'archive' }),
		);
		const archive = bytes(zip.binary!.archive);
		expect(zip.binary!.archive).toMatchObject({
			fileName: `${doc.docId}.zip`,
			mimeType: 'application/zip',
		});
		expect(archive.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
		expect(archive.includes(Buffer.from('contract.pdf'))).toBe(true);
		expect(archive.includes(Buffer.from('appendix.pdf'))).toBe(true);
	});

	it('reads the Open API guide’s wrapped completion ({content: …}, no event, no doc_id)', async () => {
		await sandbox.control('documentolog', 'POST', '/__config', { completionShape: 'wrapped' });
		try {
			const doc = await completed(['contract.pdf']);
			const body = completionOf(doc);
			expect(Object.keys(body)).toEqual(['content']);
			const [item] = await runOk(sandbox, parameters(body));
			expect(item.binary!.data.fileName).toBe('contract.pdf');
			expect(item.json.documentId).toMatch(/^links-[0-9a-f]{24}$/);
		} finally {
			await sandbox.control('documentolog', 'POST', '/__config', { completionShape: 'flat' });
		}
	});

	it('takes the Documentolog Trigger’s normalized output as it is', async () => {
		const doc = await completed(['contract.pdf']);
		const parsed = parseDelivery(completionOf(doc));
		if (!parsed.ok) throw new Error(parsed.problem);
		const event = toEsignEvent(parsed.delivery, { body: {}, headers: {}, query: {} }, new Date());
		const run = await runDocumentolog(
			sandbox,
			{ ...parameters({}), completionEvent: '={{ $json }}' },
			[{ json: event as never }],
		);
		expect(errorOf(run)).toBeUndefined();
		const [item] = outputOf(run);
		expect(item.json.documentId).toBe(doc.docId);
		expect(item.binary!.data.fileName).toBe('contract.pdf');
	});

	it('sends the API key when the host wants it on downloads, and retries a 503 (a GET is safe to repeat)', async () => {
		const doc = await completed(['contract.pdf']);
		await clearLog(sandbox);
		await sandbox.control('documentolog', 'POST', '/__config', { requireApiKeyOnDownloads: true });
		await sandbox.control('documentolog', 'POST', '/__faults', {
			match: { path: '^/external/media/download-eds/', times: 1 },
			action: { status: 503, retryAfter: 0 },
		});
		try {
			const [item] = await runOk(sandbox, parameters(completionOf(doc)));
			expect(bytes(item.binary!.data).toString('latin1')).toContain(SIGNED_MARK);
			const log = await apiRequests(sandbox);
			expect(log).toHaveLength(2);
		} finally {
			await sandbox.control('documentolog', 'POST', '/__config', {
				requireApiKeyOnDownloads: false,
			});
		}
	});
});
