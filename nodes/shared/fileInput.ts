import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { BINARY_ENCODING } from 'n8n-workflow';
import { invalidField, requireText } from './validation';

// Reading one input item's file, source by source: its binary field (either binary mode),
// base64 text, or a public URL. `resolveFileInput` (binary.ts) picks the source.

export interface FileInput {
	bytes: Buffer;
	fileName: string;
	mimeType: string;
	/** Set when the file came from a URL, for APIs that can fetch it themselves. */
	sourceUrl?: string;
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

/** Files fetched from a URL are held in memory (to hash or validate them): this bounds them. */
export const MAX_URL_FILE_BYTES = 100 * 1024 * 1024;

/** Reads the bytes of an incoming binary property, from memory, filesystem or database mode. */
async function readBinary(
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

/** The Binary Property source: the item's binary field, named as it or as overridden. */
export async function fileFromBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	nameOverride: string,
): Promise<FileInput> {
	const property = ctx.getNodeParameter('binaryPropertyName', itemIndex) as string;
	const { bytes, meta } = await readBinary(ctx, itemIndex, property);
	return {
		bytes,
		fileName: nameOverride || meta.fileName || 'document',
		mimeType: meta.mimeType || 'application/octet-stream',
	};
}

/** The Base64 source: the text decoded; a file name is required. */
export function fileFromBase64(
	ctx: IExecuteFunctions,
	itemIndex: number,
	nameOverride: string,
): FileInput {
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

/**
 * Fetches a public URL (no credential) with a bound: a link to a huge file must not fill n8n's
 * memory before any check runs.
 */
export async function fetchUrlFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	url: string,
	maxBytes: number,
): Promise<{ bytes: Buffer; contentType: string }> {
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
	return { bytes: Buffer.concat(chunks, size), contentType };
}
