import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	IWebhookFunctions,
} from 'n8n-workflow';
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
				{ name: 'Binary Property', value: 'binary', description: 'A file from a previous node' },
				{ name: 'URL', value: 'url', description: 'A public link to the file' },
				{ name: 'Base64', value: 'base64', description: 'The file content as base64 text' },
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

/** Reads the bytes of an incoming binary property, from memory, filesystem or database mode. */
export async function readBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
): Promise<{ bytes: Buffer; meta: IBinaryData }> {
	const items = ctx.getInputData();
	if (!items[itemIndex]?.binary?.[propertyName]) {
		throw invalidField(
			ctx,
			itemIndex,
			'Input Binary Field',
			`names "${propertyName}", but the item has no binary field of that name`,
			`Binary fields on this item: ${Object.keys(items[itemIndex]?.binary ?? {}).join(', ') || 'none'}`,
		);
	}
	const meta = ctx.helpers.assertBinaryData(itemIndex, propertyName);
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
	options: { fetchUrl: boolean } = { fetchUrl: true },
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
	if (!options.fetchUrl) {
		return {
			bytes: Buffer.alloc(0),
			fileName,
			mimeType: 'application/octet-stream',
			sourceUrl: url,
		};
	}
	const response = (await ctx.helpers.httpRequest({
		method: 'GET',
		url,
		encoding: 'arraybuffer',
		returnFullResponse: true,
		json: false,
		timeout: 120_000,
	})) as { body: ArrayBuffer | Buffer; headers: IDataObject };
	const contentType = String(response.headers['content-type'] ?? 'application/octet-stream');
	return {
		bytes: Buffer.from(response.body as ArrayBuffer),
		fileName,
		mimeType: contentType.split(';')[0].trim(),
		sourceUrl: url,
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

export function mimeTypeForFileName(
	fileName: string,
	fallback = 'application/octet-stream',
): string {
	const dot = fileName.lastIndexOf('.');
	if (dot === -1) return fallback;
	return EXTENSION_MIME[fileName.slice(dot + 1).toLowerCase()] ?? fallback;
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
