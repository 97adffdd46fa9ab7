import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import {
	type FileContent,
	fileContentOf,
	jsonWithFileContent,
	multipartWithFile,
	resolveFileContent,
} from '../../../nodes/shared/binary';

const node: INode = {
	id: 'n1',
	name: 'Node',
	type: 'test',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const ctx = { getNode: () => node } as unknown as IExecuteFunctions;
const marks = { content: 'c0ntent-mark-7f3a', digest: 'd1gest-mark-91be' };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A file delivered in the given chunk sizes (to cross 3-byte base64 groups in every way). */
function chunked(bytes: Buffer, sizes: number[]): FileContent {
	return {
		fileName: 'f.bin',
		mimeType: 'application/octet-stream',
		size: bytes.length,
		async *chunks() {
			let at = 0;
			for (let i = 0; at < bytes.length; i++) {
				const size = sizes[i % sizes.length];
				yield bytes.subarray(at, at + size);
				at += size;
			}
		},
	};
}

async function build(file: FileContent, value: IDataObject) {
	const { body, digest } = await jsonWithFileContent(ctx, 0, value, file, marks);
	return { parsed: JSON.parse(body.toString('utf8')), digest, body };
}

describe('jsonWithFileContent', () => {
	const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 37) % 256));

	it.each([0, 1, 2, 3, 4, 5, 6, 7, 999, 1000])(
		'encodes %i bytes exactly like JSON.stringify would',
		async (length) => {
			const data = bytes.subarray(0, length);
			for (const sizes of [[1], [2], [4], [5, 1, 7], [1000]]) {
				const { parsed, digest } = await build(chunked(data, sizes), {
					file: { name: 'f.bin', digest: marks.digest, content: marks.content },
				});
				expect(parsed).toEqual({
					file: { name: 'f.bin', digest: sha256(data), content: data.toString('base64') },
				});
				expect(digest).toBe(sha256(data));
			}
		},
	);

	it('works whichever placeholder comes first, with non-ASCII text around them', async () => {
		const data = bytes.subarray(0, 10);
		const { parsed, body } = await build(chunked(data, [3]), {
			type: 'pdf',
			file: { name: 'Sutartis – Onaitė.pdf', content: marks.content, digest: marks.digest },
		});
		expect(parsed).toEqual({
			type: 'pdf',
			file: {
				name: 'Sutartis – Onaitė.pdf',
				content: data.toString('base64'),
				digest: sha256(data),
			},
		});
		expect(body.length).toBe(Buffer.byteLength(JSON.stringify(parsed)));
	});

	it('refuses a file whose bytes do not match its stated size', async () => {
		const file = { ...chunked(bytes.subarray(0, 10), [4]), size: 12 };
		await expect(
			jsonWithFileContent(ctx, 3, { c: marks.content, d: marks.digest }, file, marks),
		).rejects.toThrow('does not have the size its metadata states');
		const longer = { ...chunked(bytes.subarray(0, 10), [4]), size: 8 };
		await expect(
			jsonWithFileContent(ctx, 3, { c: marks.content, d: marks.digest }, longer, marks),
		).rejects.toThrow('does not have the size its metadata states');
	});

	it('fileContentOf hands an in-memory file out in slices, not copies', async () => {
		const big = Buffer.alloc(2 * 1024 * 1024 + 5, 7);
		const parts: Buffer[] = [];
		for await (const part of fileContentOf({ bytes: big, fileName: 'a', mimeType: 'b' }).chunks())
			parts.push(part);
		expect(parts.length).toBeGreaterThan(1);
		expect(parts.every((part) => part.buffer === big.buffer)).toBe(true);
		expect(Buffer.concat(parts).equals(big)).toBe(true);
	});
});

describe('resolveFileContent', () => {
	const data = Buffer.from('%PDF-1.4 a small file that is read in pieces');

	function context(binary: Record<string, unknown>, streamed: Buffer[] = []) {
		const calls = { stream: 0 };
		const parameters: Record<string, unknown> = {
			fileSource: 'binary',
			binaryPropertyName: 'data',
			fileName: '',
		};
		const fake = {
			getNode: () => node,
			getInputData: () => [{ json: {}, binary: { data: binary } }],
			getNodeParameter: (name: string, _i: number, fallback?: unknown) =>
				parameters[name] ?? fallback,
			helpers: {
				assertBinaryData: () => binary,
				getBinaryMetadata: async () => ({ fileSize: data.length }),
				getBinaryStream: async () => {
					calls.stream++;
					return (async function* () {
						yield* streamed;
					})();
				},
			},
		} as unknown as IExecuteFunctions;
		return { fake, calls };
	}

	async function collect(file: FileContent) {
		const parts: Buffer[] = [];
		for await (const part of file.chunks()) parts.push(part);
		return Buffer.concat(parts);
	}

	it('streams a stored binary (filesystem/S3/database mode) from the store, once per read', async () => {
		const { fake, calls } = context(
			{
				id: 'filesystem-v2:abc',
				data: 'filesystem-v2',
				fileName: 'x.pdf',
				mimeType: 'application/pdf',
			},
			[data.subarray(0, 5), data.subarray(5)],
		);
		const file = await resolveFileContent(fake, 0);
		expect(file).toMatchObject({
			fileName: 'x.pdf',
			mimeType: 'application/pdf',
			size: data.length,
		});
		expect(calls.stream).toBe(0);
		expect((await collect(file)).equals(data)).toBe(true);
		expect((await collect(file)).equals(data)).toBe(true);
		expect(calls.stream).toBe(2);
	});

	it('decodes an in-memory binary slice by slice', async () => {
		const { fake } = context({
			data: data.toString('base64'),
			fileName: 'y.pdf',
			mimeType: 'application/pdf',
		});
		const file = await resolveFileContent(fake, 0);
		expect(file.size).toBe(data.length);
		expect((await collect(file)).equals(data)).toBe(true);
	});
});

describe('multipartWithFile', () => {
	const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 31) % 256));

	/** Parsed by a standard multipart parser (undici's, behind `Response.formData()`). */
	async function parse(body: Buffer, contentType: string) {
		return await new Response(new Uint8Array(body), {
			headers: { 'content-type': contentType },
		}).formData();
	}

	it('builds a body a standard parser reads back: the text fields, then the file with its name and type', async () => {
		const metadata = JSON.stringify({ signatureRequestId: 'off', note: 'Žalgiris – ąčę' });
		const { body, contentType, fileBytes } = await multipartWithFile(
			ctx,
			0,
			[['dataText', metadata]],
			{
				name: 'file',
				file: { ...chunked(bytes, [1000, 7, 3000]), fileName: 'Sutartis 2026.pdf' },
				mimeType: 'application/pdf',
			},
		);
		expect(contentType).toMatch(/^multipart\/form-data; boundary=-+n8nFormBoundary[0-9a-f]{24}$/);
		const form = await parse(body, contentType);
		expect(form.get('dataText')).toBe(metadata);
		const file = form.get('file') as File;
		expect(file.name).toBe('Sutartis 2026.pdf');
		expect(file.type).toBe('application/pdf');
		expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
		// The view of the file inside the body, for content checks before sending.
		expect(fileBytes.equals(bytes)).toBe(true);
		expect(fileBytes.buffer).toBe(body.buffer);
		// Nothing but the file and a few hundred bytes of framing.
		expect(body.length - bytes.length).toBeLessThan(400);
	});

	it('escapes quotes and line breaks in the file name as FormData does', async () => {
		const { body, contentType } = await multipartWithFile(ctx, 0, [], {
			name: 'file',
			file: { ...chunked(bytes.subarray(0, 10), [10]), fileName: 'a"b\r\nc.pdf' },
			mimeType: 'application/pdf',
		});
		expect(body.toString('latin1')).toContain('filename="a%22b%0D%0Ac.pdf"');
		expect(((await parse(body, contentType)).get('file') as File).size).toBe(10);
	});

	it('refuses a file whose bytes do not match its stated size', async () => {
		const shorter = { ...chunked(bytes.subarray(0, 10), [4]), size: 12 };
		const longer = { ...chunked(bytes.subarray(0, 10), [4]), size: 8 };
		for (const file of [shorter, longer]) {
			await expect(
				multipartWithFile(ctx, 2, [], { name: 'file', file, mimeType: 'application/pdf' }),
			).rejects.toThrow('does not have the size its metadata states');
		}
	});
});
