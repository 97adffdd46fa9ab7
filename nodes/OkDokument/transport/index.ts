import type {
	IBinaryData,
	IExecuteFunctions,
	IHttpRequestMethods,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { parsedErrorBody } from '../../shared/apiError';
import { downloadToBinary } from '../../shared/download';
import { fileNameFromDisposition, mimeTypeForFileName } from '../../shared/fileNames';
import {
	type ApiContext,
	type ApiRequestOptions,
	type VendorApi,
	credentialBaseUrl as baseUrlOf,
	vendorRequest,
} from '../../shared/http';
import { isObject } from '../../shared/validation';
import { type DocumentMetadata, isDocumentMetadata } from '../helpers/types';
import { okDokumentHosts } from './hosts';

function detail(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'string') return value.trim() || undefined;
	if (isObject(value) || Array.isArray(value)) return JSON.stringify(value).slice(0, 300);
	return undefined;
}

/**
 * OKdokument error bodies: `{"message":"err.<key>","value":"<id or detail>"}` (wiki), or the
 * partner connector's `{code, message, result, statusCode, success}`. The message is an i18n key
 * such as `err.not.found`; the detail follows in parentheses.
 */
export function okDokumentErrorMessage(body: unknown): string | undefined {
	body = parsedErrorBody(body);
	if (!isObject(body)) return undefined;
	const message = typeof body.message === 'string' ? body.message.trim() : undefined;
	if (!message) return undefined;
	const extra = detail(body.value) ?? (body.success === false ? detail(body.result) : undefined);
	return extra ? `${message} (${extra})` : message;
}

const okDokumentApi: VendorApi = {
	credentialType: 'okDokumentApi',
	vendorName: 'OKdokument',
	baseUrl: okDokumentHosts.baseUrl,
	errorMessage: okDokumentErrorMessage,
	secretFields: ['apiKey'],
	subjectOf: (path) => {
		const document = /^\/JSON\/document\/(?:metadata\/)?([^/]+)$/.exec(path);
		if (document) return `Document ID "${decodeURIComponent(document[1])}"`;
		const request = /^\/JSON\/signatureRequest\/([^/]+)$/.exec(path);
		if (request) return `Signature Request ID "${decodeURIComponent(request[1])}"`;
		return undefined;
	},
};

type OkDokumentOptions = Omit<ApiRequestOptions, 'idempotent'> & { idempotent?: boolean };

/**
 * One call to the OKdokument API. Only GETs are retried (429/5xx/network, honouring Retry-After);
 * a create, upload, update or delete is sent once: a retried create is a second legal request.
 */
export async function okDokumentApiRequest(
	this: ApiContext,
	method: IHttpRequestMethods,
	path: `/${string}`,
	options: OkDokumentOptions = {},
): Promise<unknown> {
	return await vendorRequest.call(this, okDokumentApi, method, path, {
		idempotent: method === 'GET',
		...options,
	});
}

export async function credentialBaseUrl(this: ApiContext): Promise<string> {
	return await baseUrlOf(this, okDokumentApi);
}

export function documentPath(documentId: string): `/${string}` {
	return `/JSON/document/${encodeURIComponent(documentId)}`;
}

/**
 * `GET /JSON/document/metadata/{id}`: file name, state and times of one document. Read-only, so
 * retried, unless the caller must answer quickly (the trigger: OKdokument waits for its answer and
 * never calls again).
 */
export async function fetchDocumentMetadata(
	this: ApiContext,
	documentId: string,
	itemIndex?: number,
	{ retry = true }: { retry?: boolean } = {},
): Promise<DocumentMetadata> {
	const metadata = await okDokumentApiRequest.call(
		this,
		'GET',
		`/JSON/document/metadata/${encodeURIComponent(documentId)}`,
		{ itemIndex, idempotent: retry, timeoutMs: retry ? undefined : 10_000 },
	);
	if (!isDocumentMetadata(metadata)) {
		throw new NodeOperationError(
			this.getNode(),
			'OKdokument returned unreadable document metadata',
			{
				itemIndex,
			},
		);
	}
	return metadata;
}

/**
 * `GET /JSON/document/{id}` as bytes in memory, for reading the file rather than handing it on (at
 * most 10 MB plus the signatures: docs/vendor-apis.md › OKdokument › Limits). Read-only, so
 * retried; the normal request timeout, not the long one of streamed downloads, because a poll has a
 * time budget.
 */
export async function fetchDocumentBytes(this: ApiContext, documentId: string): Promise<Buffer> {
	const body = await okDokumentApiRequest.call(this, 'GET', documentPath(documentId), {
		encoding: 'arraybuffer',
		json: false,
	});
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (typeof body === 'string') return Buffer.from(body, 'latin1');
	throw new NodeOperationError(this.getNode(), 'OKdokument returned no file');
}

/**
 * The file name to give a download: the caller's, else the server's Content-Disposition, else the
 * name OKdokument has on file. Office files are served converted, so a PDF keeps the base name
 * with a `.pdf` extension.
 */
export function downloadFileName(
	documentId: string,
	contentType: string,
	options: { fileName?: string; disposition?: unknown; storedName?: string },
): string {
	const given = options.fileName?.trim();
	if (given) return given;
	const fromServer = fileNameFromDisposition(options.disposition);
	if (fromServer) return fromServer;
	const stored = options.storedName?.trim().split(/[\\/]/).pop();
	const isPdf =
		contentType === '' ||
		contentType === 'application/pdf' ||
		contentType === 'application/octet-stream';
	if (!stored) return `${documentId}.pdf`;
	if (!isPdf) return stored;
	const dot = stored.lastIndexOf('.');
	return `${dot > 0 ? stored.slice(0, dot) : stored}.pdf`;
}

/**
 * `GET /JSON/document/{id}`: streams the document (the signed version once signed) into n8n's
 * binary store. The stream hides the JSON error body of a refusal; for a 4xx the reason is asked
 * for once more as JSON.
 */
export async function okDokumentDownload(
	this: IExecuteFunctions | IWebhookFunctions,
	documentId: string,
	options: { fileName?: string; storedName?: string; itemIndex?: number } = {},
): Promise<IBinaryData> {
	const path = documentPath(documentId);
	return await downloadToBinary(this, okDokumentApi, path, {
		itemIndex: options.itemIndex,
		lowerCaseType: true,
		request: async (requestOptions) => {
			try {
				return await okDokumentApiRequest.call(this, 'GET', path, requestOptions);
			} catch (error) {
				throw await withReason.call(this, error, path, options.itemIndex);
			}
		},
		fileName: (contentType, headers) =>
			downloadFileName(documentId, contentType, {
				fileName: options.fileName,
				disposition: headers['content-disposition'],
				storedName: options.storedName,
			}),
		mimeTypeFor: (fileName) => mimeTypeForFileName(fileName, 'application/pdf'),
	});
}

async function withReason(
	this: IExecuteFunctions | IWebhookFunctions,
	error: unknown,
	path: `/${string}`,
	itemIndex?: number,
): Promise<unknown> {
	const status = Number((error as NodeApiError).httpCode);
	if (
		!(error instanceof NodeApiError) ||
		error.description ||
		!(status >= 400 && status < 500) ||
		status === 429
	) {
		return error;
	}
	try {
		await okDokumentApiRequest.call(this, 'GET', path, { itemIndex, idempotent: false });
	} catch (detailed) {
		if (detailed instanceof NodeApiError && detailed.description) return detailed;
	}
	return error;
}
