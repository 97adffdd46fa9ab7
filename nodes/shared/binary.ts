import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	IWebhookFunctions,
} from 'n8n-workflow';
import { createHash, randomBytes } from 'crypto';
import { BINARY_ENCODING, NodeOperationError } from 'n8n-workflow';
import { invalidField, requireHttpUrl, requireText } from './validation';

export type BinaryStream = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

export type FileSource = 'binary' | 'url' | 'base64';

export interface FileInput {
	bytes: Buffer;
	fileName: string;
	mimeType: string;
	/** Set when the file came from a URL, for APIs that can fetch it themselves. */
	sourceUrl?: string;
}

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

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodeBase64(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: string,
): Buffer {
	const compact = value.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
	if (compact.length === 0 || compact.length % 4 !== 0 || !BASE64.test(compact)) {
		throw invalidField(ctx, itemIndex, field, 'is not valid base64');
	}
	return Buffer.from(compact, 'base64');
}

function fileNameFromUrl(url: string): string | undefined {
	const last = new URL(url).pathname.split('/').pop();
	return last ? decodeURIComponent(last) : undefined;
}

/**
 * The file an input item holds under `name`: in `item.binary` (n8n's default, separate binary
 * mode) or, in a workflow set to combined binary mode (n8n 2.x workflow setting; files live in the
 * item's JSON, under `_files` or at a path), wherever n8n's own helper resolves it for that mode.
 */
function inputBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
): IBinaryData | undefined {
	const inBinary = ctx.getInputData()[itemIndex]?.binary?.[name];
	if (inBinary) return inBinary;
	for (const path of [name, `_files.${name}`]) {
		try {
			return ctx.helpers.assertBinaryData(itemIndex, path);
		} catch {
			// not there in this workflow's binary mode
		}
	}
	return undefined;
}

/** The names of the files an input item holds, in either binary mode, for error messages. */
function inputBinaryNames(ctx: IExecuteFunctions, itemIndex: number): string {
	const item = ctx.getInputData()[itemIndex];
	const files = item?.json?._files;
	const combined = files && typeof files === 'object' ? Object.keys(files) : [];
	return [...Object.keys(item?.binary ?? {}), ...combined].join(', ') || 'none';
}

/**
 * The file an input item holds under `name` (see `inputBinary`), or a clear error naming the
 * field (`label`, as the panel shows it) and the files the item does hold.
 */
export function requireInputBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	label = 'Input Binary Field',
): IBinaryData {
	const meta = inputBinary(ctx, itemIndex, name);
	if (meta) return meta;
	throw invalidField(
		ctx,
		itemIndex,
		label,
		`names "${name}", but the item has no binary field of that name`,
		`Binary fields on this item: ${inputBinaryNames(ctx, itemIndex)}`,
	);
}

export interface FileInputOptions {
	/** `false`: a URL file is not fetched (for APIs that fetch it themselves). Default true. */
	fetchUrl?: boolean;
	/** The largest file a URL may point to; default `MAX_URL_FILE_BYTES`. */
	maxBytes?: number;
}

/** Files fetched from a URL are held in memory (to hash or validate them): this bounds them. */
export const MAX_URL_FILE_BYTES = 100 * 1024 * 1024;

/** Reads the bytes of an incoming binary property, from memory, filesystem or database mode. */
export async function readBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
): Promise<{ bytes: Buffer; meta: IBinaryData }> {
	const meta = requireInputBinary(ctx, itemIndex, propertyName);
	const bytes = meta.id
		? await ctx.helpers.binaryToBuffer(await ctx.helpers.getBinaryStream(meta.id))
		: Buffer.from(meta.data, BINARY_ENCODING);
	return { bytes, meta };
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
	if (source === 'binary') {
		const property = ctx.getNodeParameter('binaryPropertyName', itemIndex) as string;
		const { bytes, meta } = await readBinary(ctx, itemIndex, property);
		return {
			bytes,
			fileName: nameOverride || meta.fileName || 'document',
			mimeType: meta.mimeType || 'application/octet-stream',
		};
	}
	if (source === 'base64') {
		const text = requireText(
			ctx,
			itemIndex,
			'File Content (Base64)',
			ctx.getNodeParameter('fileBase64', itemIndex),
		);
		const fileName = requireText(ctx, itemIndex, 'File Name', nameOverride);
		return {
			bytes: decodeBase64(ctx, itemIndex, 'File Content (Base64)', text),
			fileName,
			mimeType: 'application/octet-stream',
		};
	}
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
	const response = (await ctx.helpers.httpRequest({
		method: 'GET',
		url,
		encoding: 'stream',
		returnFullResponse: true,
		json: false,
		timeout: 120_000,
	})) as { body: AsyncIterable<Buffer> & { destroy(): void }; headers: IDataObject };
	const tooLarge = () => {
		response.body.destroy();
		const mb = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
		return invalidField(
			ctx,
			itemIndex,
			'File URL',
			`points to a file larger than ${mb} MB, the most this operation takes`,
		);
	};
	// Read with a bound: a link to a huge file must not fill n8n's memory before any check runs.
	if (Number(response.headers['content-length']) > maxBytes) {
		// Starting the read before leaving it closes the connection; n8n's stream wrapper does not
		// pass a destroy on to a socket nobody has read from yet.
		const reading = response.body[Symbol.asyncIterator]();
		await reading.next();
		await reading.return?.();
		throw tooLarge();
	}
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of response.body) {
		size += chunk.length;
		if (size > maxBytes) throw tooLarge();
		chunks.push(chunk);
	}
	const contentType = String(response.headers['content-type'] ?? 'application/octet-stream');
	return {
		bytes: Buffer.concat(chunks, size),
		fileName,
		mimeType: contentType.split(';')[0].trim(),
		sourceUrl: url,
	};
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
/** 48 KiB, a multiple of 3: encodes to a 64 KiB string. */
const ENCODE_PIECE_BYTES = 3 * 16 * 1024;

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

function sizeMismatch(ctx: IExecuteFunctions, itemIndex: number, file: FileContent) {
	return new NodeOperationError(
		ctx.getNode(),
		`The binary file "${file.fileName}" does not have the size its metadata states`,
		{ itemIndex, description: `Expected ${file.size} bytes.` },
	);
}

/**
 * Serialises `value` as JSON in which the string `contentMark` stands for the file's base64 content
 * and `digestMark` for its SHA-256 (hex), reading the file once. The result is one Buffer the size
 * of the JSON text: no base64 string, no JSON string and no copy of the file is ever held beside it,
 * so a file of N bytes costs about 1.33 N of memory instead of 4 to 5 N. The marks must be unique
 * strings that occur once each in `value` (use random ones).
 */
export async function jsonWithFileContent(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: IDataObject,
	file: FileContent,
	marks: { content: string; digest: string },
): Promise<{ body: Buffer; digest: string }> {
	const text = JSON.stringify(value);
	const contentAt = text.indexOf(marks.content);
	const digestAt = text.indexOf(marks.digest);
	if (contentAt === -1 || digestAt === -1) {
		throw new NodeOperationError(ctx.getNode(), 'Internal error: file placeholders not found', {
			itemIndex,
		});
	}
	// Pieces of the JSON text around the two placeholders, in text order.
	const contentFirst = contentAt < digestAt;
	const [firstAt, firstMark, secondAt, secondMark] = contentFirst
		? [contentAt, marks.content, digestAt, marks.digest]
		: [digestAt, marks.digest, contentAt, marks.content];
	const head = Buffer.from(text.slice(0, firstAt), 'utf8');
	const middle = Buffer.from(text.slice(firstAt + firstMark.length, secondAt), 'utf8');
	const tail = Buffer.from(text.slice(secondAt + secondMark.length), 'utf8');
	const base64Length = 4 * Math.ceil(file.size / 3);
	const digestLength = 64;
	// head | first value | middle | second value | tail
	const middleStart = head.length + (contentFirst ? base64Length : digestLength);
	const secondStart = middleStart + middle.length;
	const tailStart = secondStart + (contentFirst ? digestLength : base64Length);
	const body = Buffer.allocUnsafe(tailStart + tail.length);
	head.copy(body, 0);
	middle.copy(body, middleStart);
	tail.copy(body, tailStart);
	const contentStart = contentFirst ? head.length : secondStart;
	const digestStart = contentFirst ? secondStart : head.length;
	let offset = contentStart;

	const hash = createHash('sha256');
	let read = 0;
	let carry = Buffer.alloc(0);
	const fail = () => sizeMismatch(ctx, itemIndex, file);
	for await (const chunk of file.chunks()) {
		read += chunk.length;
		if (read > file.size) throw fail();
		hash.update(chunk);
		let rest = chunk;
		if (carry.length) {
			// Complete the previous chunk's 1–2 leftover bytes to a 3-byte group first.
			const take = Math.min(3 - carry.length, rest.length);
			carry = Buffer.concat([carry, rest.subarray(0, take)]);
			rest = rest.subarray(take);
			if (carry.length < 3) continue;
			offset += body.write(carry.toString('base64'), offset, 'latin1');
			carry = Buffer.alloc(0);
		}
		const whole = rest.length - (rest.length % 3);
		// Small pieces: their base64 strings stay below V8's large-object size, so they die young
		// instead of piling up (tens of MB) until the next full garbage collection.
		for (let at = 0; at < whole; at += ENCODE_PIECE_BYTES) {
			const end = Math.min(at + ENCODE_PIECE_BYTES, whole);
			offset += body.write(rest.toString('base64', at, end), offset, 'latin1');
		}
		carry = Buffer.from(rest.subarray(whole));
	}
	if (read !== file.size) throw fail();
	if (carry.length) offset += body.write(carry.toString('base64'), offset, 'latin1');
	const digest = hash.digest('hex');
	body.write(digest, digestStart, 'latin1');
	if (offset !== contentStart + base64Length) throw fail();
	return { body, digest };
}

/** WHATWG's escaping of names in multipart headers (what `fetch`'s FormData sends). */
function multipartName(name: string): string {
	return name.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
}

/**
 * A `multipart/form-data` body (RFC 7578) of text fields followed by one file part, built straight
 * into one Buffer of its final size: the file is read once, chunk by chunk, into its place. No copy
 * of the file is held beside the body (a FormData with a Blob holds the file's bytes, the Blob's
 * copy and the encoder's output), so a file of N bytes costs N plus a few hundred bytes of memory.
 * `fileBytes` is a view of the file inside the body, for checks of its content before sending.
 */
export async function multipartWithFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fields: Array<[name: string, value: string]>,
	filePart: { name: string; file: FileContent; mimeType: string },
): Promise<{ body: Buffer; contentType: string; fileBytes: Buffer }> {
	// 96 random bits: a file cannot contain the boundary by accident.
	const boundary = `----n8nFormBoundary${randomBytes(12).toString('hex')}`;
	const { file } = filePart;
	let head = '';
	for (const [name, value] of fields) {
		// Text values travel with CRLF line breaks, as browsers and FormData send them.
		const text = value.replace(/\r\n|\r|\n/g, '\r\n');
		head += `--${boundary}\r\nContent-Disposition: form-data; name="${multipartName(name)}"\r\n\r\n${text}\r\n`;
	}
	head +=
		`--${boundary}\r\nContent-Disposition: form-data; name="${multipartName(filePart.name)}"; ` +
		`filename="${multipartName(file.fileName)}"\r\nContent-Type: ${filePart.mimeType.replace(/[\r\n]/g, '')}\r\n\r\n`;
	const headBytes = Buffer.from(head, 'utf8');
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1');
	const body = Buffer.allocUnsafe(headBytes.length + file.size + tail.length);
	headBytes.copy(body, 0);
	let offset = headBytes.length;
	const end = offset + file.size;
	for await (const chunk of file.chunks()) {
		if (offset + chunk.length > end) throw sizeMismatch(ctx, itemIndex, file);
		offset += chunk.copy(body, offset);
	}
	if (offset !== end) throw sizeMismatch(ctx, itemIndex, file);
	tail.copy(body, end);
	return {
		body,
		contentType: `multipart/form-data; boundary=${boundary}`,
		fileBytes: body.subarray(headBytes.length, end),
	};
}

/**
 * File name from a Content-Disposition header, if it carries one. The RFC 5987 form
 * (`filename*=UTF-8'lang'percent-encoded`) wins; otherwise the quoted-string or token form.
 * Only the last path segment is kept: the name comes from the server and later nodes may write it
 * to disk.
 */
export function fileNameFromDisposition(header: unknown): string | undefined {
	if (typeof header !== 'string') return undefined;
	const star = /filename\*\s*=\s*(?:[\w!#$%&+^`{}~-]*'[^']*')?("?)([^";]+)\1/i.exec(header);
	if (star) {
		try {
			const decoded = baseName(decodeURIComponent(star[2].trim()));
			if (decoded) return decoded;
		} catch {
			// fall through to the plain form
		}
	}
	const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/i.exec(header);
	const value = plain?.[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain?.[2];
	return baseName(value ?? '') || undefined;
}

function baseName(name: string): string {
	const last = name.split(/[\\/]/).pop()?.trim() ?? '';
	return last === '.' || last === '..' ? '' : last;
}

const EXTENSION_MIME: Record<string, string> = {
	pdf: 'application/pdf',
	asice: 'application/vnd.etsi.asic-e+zip',
	sce: 'application/vnd.etsi.asic-e+zip',
	bdoc: 'application/vnd.etsi.asic-e+zip',
	edoc: 'application/vnd.etsi.asic-e+zip',
	adoc: 'application/vnd.lt.archyvai.adoc-2008',
	mdoc: 'application/vnd.lt.archyvai.adoc-2008',
	zip: 'application/zip',
	p7s: 'application/pkcs7-signature',
	cms: 'application/pkcs7-signature',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	doc: 'application/msword',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	xls: 'application/vnd.ms-excel',
};

/**
 * The extension of a file name, lower-case, without the dot; '' when it has none. As with Node's
 * `path.extname`, a leading dot starts a name (`.hidden`), not an extension.
 */
export function fileExtension(fileName: string): string {
	const dot = fileName.lastIndexOf('.');
	return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

export function mimeTypeForFileName(
	fileName: string,
	fallback = 'application/octet-stream',
): string {
	return EXTENSION_MIME[fileExtension(fileName)] ?? fallback;
}

/**
 * Streams an HTTP response body into n8n's binary store (filesystem mode never holds it all in
 * memory). A connection that breaks mid-body fails here, so a truncated file never becomes a binary.
 */
export async function streamToBinary(
	ctx: IExecuteFunctions | IWebhookFunctions,
	body: BinaryStream,
	fileName: string,
	mimeType: string,
	{ vendorName = 'the vendor', itemIndex }: { vendorName?: string; itemIndex?: number } = {},
): Promise<IBinaryData> {
	try {
		return await ctx.helpers.prepareBinaryData(body, fileName, mimeType);
	} catch (error) {
		// The raw stream error can have an empty message; say what happened.
		const code = (error as { code?: unknown }).code;
		throw new NodeOperationError(
			ctx.getNode(),
			`The download of "${fileName}" from ${vendorName} was interrupted`,
			{
				itemIndex,
				description: `The connection closed before the whole file arrived${typeof code === 'string' ? ` (${code})` : ''}. Downloading is read-only; run the node again.`,
			},
		);
	}
}
