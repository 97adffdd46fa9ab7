import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import {
	type FileInput,
	MAX_URL_FILE_BYTES,
	fetchUrlFile,
	fileFromBase64,
	fileFromBinary,
	requireInputBinary,
} from './fileInput';
import { fileNameFromUrl } from './fileNames';
import { requireHttpUrl } from './validation';

// The file of an input item (File Source parameters, binary fields). Request bodies built from it
// are in fileBody.ts, file names and types in fileNames.ts; operations import them from here too.
export { jsonWithFileContent, multipartWithFile } from './fileBody';
export { fileExtension, mimeTypeForFileName } from './fileNames';
export { type FileInput, requireInputBinary } from './fileInput';

type FileSource = 'binary' | 'url' | 'base64';

/** The "File Source" selector: an incoming binary property, a public URL, or base64 text. */
export function fileSourceProperties(): INodeProperties[] {
	const only = (source: FileSource) => ({ show: { fileSource: [source] } });
	return [
		{
			displayName: 'File Source',
			name: 'fileSource',
			type: 'options',
			default: 'binary',
			options: [
				{ name: 'Base64', value: 'base64', description: 'The file content as base64 text' },
				{ name: 'Binary Property', value: 'binary', description: 'A file from a previous node' },
				{ name: 'URL', value: 'url', description: 'A public link to the file' },
			],
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the input binary field containing the file',
			displayOptions: only('binary'),
		},
		{
			displayName: 'File URL',
			name: 'fileUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://example.com/contract.pdf',
			displayOptions: only('url'),
		},
		{
			displayName: 'File Content (Base64)',
			name: 'fileBase64',
			type: 'string',
			default: '',
			required: true,
			typeOptions: { rows: 3 },
			displayOptions: only('base64'),
		},
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			placeholder: 'e.g. contract.pdf',
			description:
				'Name of the file. Required for Base64; for the other sources it overrides the detected name.',
		},
	];
}

export interface FileInputOptions {
	/** `false`: a URL file is not fetched (for APIs that fetch it themselves). Default true. */
	fetchUrl?: boolean;
	/** The largest file a URL may point to; default `MAX_URL_FILE_BYTES`. */
	maxBytes?: number;
}

/**
 * Resolves the File Source parameters of one item to bytes. URL sources are fetched without any
 * credential (they are public links), so the digest can be computed over the real bytes.
 */
export async function resolveFileInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: FileInputOptions = {},
): Promise<FileInput> {
	const source = ctx.getNodeParameter('fileSource', itemIndex) as FileSource;
	const nameOverride = (ctx.getNodeParameter('fileName', itemIndex, '') as string).trim();
	if (source === 'binary') return await fileFromBinary(ctx, itemIndex, nameOverride);
	if (source === 'base64') return fileFromBase64(ctx, itemIndex, nameOverride);
	const url = requireHttpUrl(
		ctx,
		itemIndex,
		'File URL',
		ctx.getNodeParameter('fileUrl', itemIndex),
	);
	const fileName = nameOverride || fileNameFromUrl(url) || 'document';
	if (options.fetchUrl === false) {
		return {
			bytes: Buffer.alloc(0),
			fileName,
			mimeType: 'application/octet-stream',
			sourceUrl: url,
		};
	}
	const maxBytes = options.maxBytes ?? MAX_URL_FILE_BYTES;
	const { bytes, contentType } = await fetchUrlFile(ctx, itemIndex, url, maxBytes);
	return { bytes, fileName, mimeType: contentType.split(';')[0].trim(), sourceUrl: url };
}

/**
 * A file that is read in chunks when it is needed, rather than held whole in memory. Binary data
 * stored by n8n (filesystem, S3, database mode: the binary has an id) is streamed from the store,
 * once per `chunks()` call; every other source is already in memory and is handed out as is.
 */
export interface FileContent {
	fileName: string;
	mimeType: string;
	/** Exact size in bytes. */
	size: number;
	/** Set when the file came from a URL, for APIs that can fetch it themselves. */
	sourceUrl?: string;
	chunks(): AsyncIterable<Buffer>;
}

/** A multiple of 3, so base64 slices of it never need padding in the middle of a file. */
const STREAM_CHUNK_BYTES = 3 * 256 * 1024;

export function fileContentOf(file: FileInput): FileContent {
	const { bytes, ...rest } = file;
	return {
		...rest,
		size: bytes.length,
		async *chunks() {
			// Slices, not copies: encoders downstream then work on bounded pieces.
			for (let at = 0; at < bytes.length; at += STREAM_CHUNK_BYTES) {
				yield bytes.subarray(at, at + STREAM_CHUNK_BYTES);
			}
		},
	};
}

/**
 * Like `resolveFileInput`, but a stored binary is not read into memory here: its bytes are
 * streamed from n8n's binary store each time `chunks()` is iterated.
 */
export async function resolveFileContent(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: FileInputOptions = {},
): Promise<FileContent> {
	const source = ctx.getNodeParameter('fileSource', itemIndex) as FileSource;
	if (source !== 'binary') return fileContentOf(await resolveFileInput(ctx, itemIndex, options));
	const property = ctx.getNodeParameter('binaryPropertyName', itemIndex) as string;
	const meta = requireInputBinary(ctx, itemIndex, property);
	const nameOverride = (ctx.getNodeParameter('fileName', itemIndex, '') as string).trim();
	const described = {
		fileName: nameOverride || meta.fileName || 'document',
		mimeType: meta.mimeType || 'application/octet-stream',
	};
	const id = meta.id;
	if (!id) {
		// In-memory mode: the item already holds the file as base64. Decode it slice by slice
		// rather than into a second full copy (canonical base64 only; anything else is decoded whole).
		const data = meta.data;
		if (typeof data !== 'string' || data.length % 4 !== 0 || /[^A-Za-z0-9+/=]/.test(data)) {
			return fileContentOf(await resolveFileInput(ctx, itemIndex, options));
		}
		return {
			...described,
			size: Buffer.byteLength(data, 'base64'),
			async *chunks() {
				const step = (STREAM_CHUNK_BYTES / 3) * 4;
				for (let at = 0; at < data.length; at += step) {
					yield Buffer.from(data.slice(at, at + step), 'base64');
				}
			},
		};
	}
	const { fileSize } = await ctx.helpers.getBinaryMetadata(id);
	return {
		...described,
		size: fileSize,
		async *chunks() {
			const stream = await ctx.helpers.getBinaryStream(id, STREAM_CHUNK_BYTES);
			for await (const chunk of stream as AsyncIterable<Buffer | string>) {
				yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
			}
		},
	};
}
