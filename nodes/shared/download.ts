import type { IBinaryData, IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { type ApiRequestOptions, type VendorApi, requestTimeouts, vendorRequest } from './http';

type BinaryStream = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

/**
 * Streams an HTTP response body into n8n's binary store (filesystem mode never holds it all in
 * memory). A connection that breaks mid-body fails here, so a truncated file never becomes a binary.
 */
async function streamToBinary(
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

export interface DownloadOptions {
	itemIndex?: number;
	/** The file's name, from the answer's content type (without parameters) and headers. */
	fileName(contentType: string, headers: IDataObject): string;
	/** The MIME type to record when the answer's is missing or `application/octet-stream`. */
	mimeTypeFor(fileName: string): string;
	/** Compare and record the answer's content type in lower case. */
	lowerCaseType?: boolean;
	/** Sends the GET, for a vendor whose calls add their own checks; default `vendorRequest`. */
	request?(options: ApiRequestOptions): Promise<unknown>;
}

/**
 * `GET path` on the credential's host, streamed into n8n's binary store: every vendor's file
 * download. A read, so retried (429, 5xx, network) by the vendor's policy, with the long download
 * timeout. Callers check a vendor-supplied URL with `pathOnBase` first: the request carries the
 * credential, so it only ever goes to the credential's own host.
 */
export async function downloadToBinary(
	ctx: IExecuteFunctions | IWebhookFunctions,
	api: VendorApi,
	path: `/${string}`,
	options: DownloadOptions,
): Promise<IBinaryData> {
	const { itemIndex } = options;
	const request =
		options.request ??
		(async (requestOptions: ApiRequestOptions) =>
			await vendorRequest.call(ctx, api, 'GET', path, requestOptions));
	const response = (await request({
		encoding: 'stream',
		json: false,
		returnFullResponse: true,
		idempotent: true,
		itemIndex,
		timeoutMs: requestTimeouts.downloadMs,
	})) as { body: BinaryStream; headers: IDataObject };
	let contentType = String(response.headers['content-type'] ?? '')
		.split(';')[0]
		.trim();
	if (options.lowerCaseType) contentType = contentType.toLowerCase();
	const fileName = options.fileName(contentType, response.headers);
	const mimeType =
		contentType && contentType !== 'application/octet-stream'
			? contentType
			: options.mimeTypeFor(fileName);
	return await streamToBinary(ctx, response.body, fileName, mimeType, {
		vendorName: api.vendorName,
		itemIndex,
	});
}
