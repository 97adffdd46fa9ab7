import type { IBinaryData, IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { messageAndErrors } from '../../shared/apiError';
import { downloadToBinary } from '../../shared/download';
import { fileExtension, mimeTypeForFileName } from '../../shared/fileNames';
import {
	type ApiContext,
	type VendorApi,
	cachedCredentials,
	credentialBaseUrl as baseUrlOf,
	vendorErrorText,
	vendorRequest,
} from '../../shared/http';
import { pathOnBase } from '../../shared/hosts';
import { type TokenRequest, type TokenResponse, isTokenResponse } from '../helpers/types';
import { documentologHosts } from './hosts';

/** The only API call: it creates the document and its signing process. */
const CREATE_PATH = '/json/external/oauth/token';

/**
 * Error bodies. The vendor documents none; `{status: 0, message, errors: {field: [reasons]}}` is
 * our emulator's assumption (inferred; docs/vendor-apis.md › Documentolog ›
 * `POST /json/external/oauth/token`). A list of strings under `errors` is read too.
 */
export function documentologErrorMessage(body: unknown): string | undefined {
	return messageAndErrors(body);
}

const documentologApi: VendorApi = {
	credentialType: 'documentologApi',
	vendorName: 'Documentolog',
	baseUrl: documentologHosts.baseUrl,
	errorMessage: documentologErrorMessage,
	secretFields: ['apiKey', 'webhookSigningSecret'],
};

/** The credential, read once per node run (`cachedCredentials`): a batch reads it for every item. */
export async function credentialData(this: ApiContext): Promise<IDataObject> {
	return await cachedCredentials(this, documentologApi.credentialType);
}

async function credentialBaseUrl(this: ApiContext): Promise<string> {
	return await baseUrlOf(this, documentologApi);
}

/**
 * `POST /json/external/oauth/token`: creates the document and its signing process and returns the
 * iframe token. Never retried: a second attempt would be a second legally binding document. Any
 * `status` other than 1 is a failure, even on HTTP 200 (inferred).
 */
export async function createSigningToken(
	this: IExecuteFunctions,
	body: TokenRequest,
	itemIndex: number,
): Promise<TokenResponse> {
	const response: unknown = await vendorRequest.call(this, documentologApi, 'POST', CREATE_PATH, {
		body: body as unknown as IDataObject,
		headers: { 'Content-Type': 'application/json' },
		idempotent: false,
		itemIndex,
	});
	if (isTokenResponse(response)) return response;
	const vendorText = await vendorErrorText(this, documentologApi, response);
	const message = 'Documentolog did not return an access token';
	throw new NodeApiError(
		this.getNode(),
		{ message },
		{
			message,
			description: vendorText || 'The answer had no status 1 and no data.access_token.',
			itemIndex,
		},
	);
}

/** Extensions the shared table lacks, for naming downloaded files. */
const EXTRA_MIME: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	tiff: 'image/tiff',
	rtf: 'application/rtf',
	rar: 'application/vnd.rar',
	ppt: 'application/vnd.ms-powerpoint',
	pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

function mimeTypeFor(fileName: string): string {
	const shared = mimeTypeForFileName(fileName, '');
	if (shared) return shared;
	return EXTRA_MIME[fileExtension(fileName)] ?? 'application/octet-stream';
}

export interface DownloadTarget {
	url: string;
	name: string;
}

/**
 * The path of a vendor file URL on the credential's own host, or a refusal. Called BEFORE any
 * request: a link from a webhook body is attacker-controlled text, and the request carries the
 * API key, so it may only ever go to the host the credential names.
 */
export async function downloadPath(
	this: ApiContext,
	url: string,
): Promise<{ path: `/${string}` } | { refused: string }> {
	const base = await credentialBaseUrl.call(this);
	const path = pathOnBase(url, base);
	if (!path) {
		let host = url;
		try {
			host = new URL(url).host;
		} catch {
			// not a URL: report it as given
		}
		return {
			refused: `"${host}" is not the credential's Documentolog host (${new URL(base).host})`,
		};
	}
	return { path };
}

/**
 * Streams one file into n8n's binary store, named as the event names it. Whether downloads need the
 * api-key header is undocumented (docs/vendor-apis.md › Documentolog › Download links); it is
 * always sent, which is safe because the request can only go to the credential's own host. GETs are
 * retried on 429/5xx.
 */
export async function documentologDownload(
	this: IExecuteFunctions | IWebhookFunctions,
	target: DownloadTarget,
	itemIndex?: number,
): Promise<IBinaryData> {
	const checked = await downloadPath.call(this, target.url);
	if ('refused' in checked) {
		throw new NodeOperationError(this.getNode(), `Refused to download "${target.name}"`, {
			itemIndex,
			description: checked.refused,
		});
	}
	return await downloadToBinary(this, documentologApi, checked.path, {
		itemIndex,
		fileName: () => target.name,
		mimeTypeFor: () => mimeTypeFor(target.name),
	});
}
