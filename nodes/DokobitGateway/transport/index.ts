import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { messageAndErrors } from '../../shared/apiError';
import { downloadToBinary } from '../../shared/download';
import { fileNameFromDisposition, mimeTypeForFileName } from '../../shared/fileNames';
import {
	type ApiContext,
	type ApiRequestOptions,
	type VendorApi,
	credentialBaseUrl as baseUrlOf,
	vendorErrorText,
	vendorRequest,
} from '../../shared/http';
import { pathOnBase } from '../../shared/hosts';
import { isObject } from '../../shared/validation';
import {
	type GatewayResult,
	type SigningStatus,
	isGatewayResult,
	isSigningStatus,
} from '../helpers/types';
import { dokobitHosts } from './hosts';

/**
 * Gateway error bodies: `{status:"error", message, errors, code}`. `errors` has been seen as a string
 * list, a list of `{message, field}` and a field→messages map (inferred: read all three).
 */
export function dokobitErrorMessage(body: unknown): string | undefined {
	return messageAndErrors(body, { keepBlankMessage: true, objectEntries: true });
}

export const dokobitApi: VendorApi = {
	credentialType: 'dokobitGatewayApi',
	vendorName: 'Dokobit Gateway',
	baseUrl: dokobitHosts.baseUrl,
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
	return await vendorErrorText(this, dokobitApi, body);
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
	return await baseUrlOf(this, dokobitApi);
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
	return await downloadToBinary(this, dokobitApi, path, {
		itemIndex: options.itemIndex,
		request: async (requestOptions) =>
			await dokobitApiRequest.call(this, 'GET', path, requestOptions),
		fileName: (contentType, headers) =>
			options.fileName ||
			fileNameFromDisposition(headers['content-disposition']) ||
			`${signingToken}.${contentType === 'application/pdf' ? 'pdf' : 'asice'}`,
		mimeTypeFor: (fileName) => mimeTypeForFileName(fileName),
	});
}

/**
 * `GET /api/signing/{token}/status.json`: the signing's state and its signers'. The operation
 * Get Status, and the trigger and send-and-wait, which re-check every postback against it.
 */
export async function fetchSigningStatus(
	this: ApiContext,
	signingToken: string,
	itemIndex?: number,
): Promise<SigningStatus> {
	const status = await dokobitApiRequest.call(
		this,
		'GET',
		`/api/signing/${encodeURIComponent(signingToken)}/status.json`,
		{ itemIndex },
	);
	if (!isSigningStatus(status)) {
		throw new NodeOperationError(
			this.getNode(),
			'Dokobit Gateway returned an unreadable signing status',
			{
				itemIndex,
			},
		);
	}
	return status;
}

/** `GET /api/file/upload/{fileToken}/status.json`: the state of an uploaded file. */
export async function getUploadStatus(
	this: ApiContext,
	fileToken: string,
	itemIndex: number,
): Promise<GatewayResult> {
	const status = await dokobitApiRequest.call(
		this,
		'GET',
		`/api/file/upload/${encodeURIComponent(fileToken)}/status.json`,
		// "error" is an upload state here, reported by the caller with the file's name.
		{ itemIndex, errorStatusIsResult: true },
	);
	if (!isGatewayResult(status)) {
		throw new NodeOperationError(
			this.getNode(),
			'Dokobit Gateway returned an unreadable upload status',
			{
				itemIndex,
			},
		);
	}
	return status;
}
