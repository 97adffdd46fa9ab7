import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import {
	type ApiContext,
	type ApiRequestOptions,
	type VendorApi,
	cachedCredentials,
	fieldErrorLines,
	parsedErrorBody,
	pathOnBase,
	redact,
	requestTimeouts,
	vendorRequest,
} from '../../shared/http';
import {
	type BinaryStream,
	fileNameFromDisposition,
	mimeTypeForFileName,
	streamToBinary,
} from '../../shared/binary';
import { isObject } from '../../shared/validation';
import { isGatewayResult } from '../helpers/types';
import { dokobitBaseUrl } from './hosts';

/**
 * Gateway error bodies: `{status:"error", message, errors, code}`. `errors` has been seen as a string
 * list, a list of `{message, field}` and a field→messages map (inferred: read all three).
 */
export function dokobitErrorMessage(body: unknown): string | undefined {
	body = parsedErrorBody(body);
	if (!isObject(body)) return undefined;
	const parts: string[] = [];
	if (typeof body.message === 'string') parts.push(body.message);
	const errors = body.errors;
	if (Array.isArray(errors)) {
		for (const entry of errors) {
			if (typeof entry === 'string') parts.push(entry);
			else if (isObject(entry) && typeof entry.message === 'string') {
				parts.push(entry.field ? `${String(entry.field)}: ${entry.message}` : entry.message);
			}
		}
	} else if (isObject(errors)) {
		parts.push(...fieldErrorLines(errors));
	}
	return parts.length ? parts.join('; ') : undefined;
}

export const dokobitApi: VendorApi = {
	credentialType: 'dokobitGatewayApi',
	vendorName: 'Dokobit Gateway',
	baseUrl: dokobitBaseUrl,
	errorMessage: dokobitErrorMessage,
	secretFields: ['accessToken'],
	// docs/vendor-apis.md › Dokobit Documents Gateway › Hosts and authentication: the Gateway answers
	// 429 beyond a per-location limit whose figure is cut off in the public copy ("stay within the
	// 10…"), so Auto never keeps more than 10 creates in flight; reads use the shared cap.
	concurrencyCaps: { writes: 10 },
	subjectOf: (path) => {
		const match = /^\/api\/(signing|file)\/(?:upload\/)?([^/]+)\/[a-z]+(?:\.json)?$/.exec(path);
		if (!match) return undefined;
		const token = decodeURIComponent(match[2]);
		return `${match[1] === 'signing' ? 'Signing Token' : 'File Token'} "${token}"`;
	},
};

type DokobitOptions = Omit<ApiRequestOptions, 'idempotent'> & {
	idempotent?: boolean;
	/**
	 * Return a 200 `{"status":"error"}` body instead of throwing. For the upload status, where
	 * "error" is one of the upload states and the caller reports it itself.
	 */
	errorStatusIsResult?: boolean;
};

/** The vendor's message from an error body, with the credential's secrets taken out. */
export async function dokobitErrorText(
	this: ApiContext,
	body: unknown,
): Promise<string | undefined> {
	const message = dokobitErrorMessage(body);
	if (message === undefined) return undefined;
	const credentials = await cachedCredentials(this, dokobitApi.credentialType);
	const secrets = dokobitApi.secretFields.map((field) => String(credentials[field] ?? ''));
	return redact(message, secrets);
}

/**
 * A JSON call to the Gateway. GETs are retried on 429/5xx; POSTs never are (a retried create is a
 * second legal document). Some failures come back as HTTP 200 with `status:"error"`.
 */
export async function dokobitApiRequest(
	this: ApiContext,
	method: IHttpRequestMethods,
	path: `/${string}`,
	options: DokobitOptions = {},
): Promise<IDataObject> {
	const { errorStatusIsResult, ...requestOptions } = options;
	const response: unknown = await vendorRequest.call(this, dokobitApi, method, path, {
		idempotent: method === 'GET',
		...requestOptions,
	});
	if (!errorStatusIsResult && isGatewayResult(response) && response.status === 'error') {
		// The body may echo request data; it goes through the same redaction as HTTP errors.
		const message = 'Dokobit Gateway reported an error';
		throw new NodeApiError(
			this.getNode(),
			{ message },
			{
				message,
				description: await dokobitErrorText.call(this, response),
				itemIndex: options.itemIndex,
			},
		);
	}
	return (isObject(response) ? response : { body: response }) as IDataObject;
}

export async function credentialBaseUrl(this: ApiContext): Promise<string> {
	return dokobitBaseUrl(await cachedCredentials(this, dokobitApi.credentialType));
}

/** The page a signer opens (iframe or redirect). `access_token` here is the signer's, not the API key. */
export function signingPageUrl(baseUrl: string, signingToken: string, signerToken: string): string {
	return `${baseUrl}/signing/${encodeURIComponent(signingToken)}?access_token=${encodeURIComponent(signerToken)}`;
}

/**
 * Streams the signed file of a signing into n8n's binary store. The API key only ever goes to the
 * credential's own host: a `file` URL from a postback is accepted only when it points there.
 */
export async function dokobitDownloadSigned(
	this: IExecuteFunctions | IWebhookFunctions,
	signingToken: string,
	options: { fileUrl?: string; fileName?: string; itemIndex?: number } = {},
) {
	let path: `/${string}` = `/api/signing/${encodeURIComponent(signingToken)}/download`;
	if (options.fileUrl) {
		const onBase = pathOnBase(options.fileUrl, await credentialBaseUrl.call(this));
		if (!onBase) {
			throw new NodeApiError(
				this.getNode(),
				{ message: 'Refused to download from a foreign host' },
				{
					message: 'Refused to download from a host other than the credential’s Dokobit host',
					description: 'The file URL does not belong to the configured Gateway environment.',
					itemIndex: options.itemIndex,
				},
			);
		}
		path = onBase;
	}
	const response = (await dokobitApiRequest.call(this, 'GET', path, {
		encoding: 'stream',
		json: false,
		returnFullResponse: true,
		itemIndex: options.itemIndex,
		timeoutMs: requestTimeouts.downloadMs,
	})) as unknown as { body: BinaryStream; headers: IDataObject };
	const contentType = String(response.headers['content-type'] ?? '')
		.split(';')[0]
		.trim();
	const fileName =
		options.fileName ||
		fileNameFromDisposition(response.headers['content-disposition']) ||
		`${signingToken}.${contentType === 'application/pdf' ? 'pdf' : 'asice'}`;
	const mimeType =
		contentType && contentType !== 'application/octet-stream'
			? contentType
			: mimeTypeForFileName(fileName);
	return await streamToBinary(this, response.body, fileName, mimeType, {
		vendorName: dokobitApi.vendorName,
		itemIndex: options.itemIndex,
	});
}
