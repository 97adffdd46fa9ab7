import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import {
	fileSourceProperties,
	mimeTypeForFileName,
	multipartWithFile,
} from '../../../shared/binary';
import { legallyBindingNotice } from '../../../shared/notices';
import { isObject } from '../../../shared/validation';
import { checkDocumentType, readDocumentContent } from '../../helpers/documentFile';
import { readRequestFields, requestProperties } from '../../helpers/request';
import { okDokumentApiRequest } from '../../transport';
import { initialStateProperty, readInitialState } from '../common';

const properties: INodeProperties[] = [
	...fileSourceProperties(),
	initialStateProperty,
	{
		displayName: 'Upload Mode',
		name: 'uploadMode',
		type: 'options',
		default: 'storage',
		options: [
			{
				name: 'Storage Only',
				value: 'storage',
				description:
					'Store and validate the file without a signing process; create the request later with Signature Request → Create (Existing Document)',
			},
			{
				name: 'With Signature Request',
				value: 'request',
				description: 'Store the file and open a legally binding signature request at once',
			},
		],
	},
	...updateDisplayOptions({ show: { uploadMode: ['request'] } }, [
		legallyBindingNotice(
			'With a signature request, this sends a legally binding signature request to the signer.',
		),
		...requestProperties,
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['upload'] } },
	properties,
);

/**
 * `POST /JSON/upload`, multipart: `dataText` (the `POST /JSON/signatureRequest` keys as JSON text)
 * and `file`. `signatureRequestId: "off"` means storage only. Inferred (docs/vendor-apis.md ›
 * OKdokument › `POST /JSON/upload`): the new document's state goes in `filedata.state`, as in a
 * create, and the answer is shaped like a create's (`result` = the request ID; the document ID in
 * `documentId`, or in `result` for storage only). Never retried.
 *
 * The body is built into one Buffer while the file streams from n8n's binary store
 * (`multipartWithFile`): the file is never held twice, which a FormData with a Blob would do.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const mode = this.getNodeParameter('uploadMode', itemIndex) as 'storage' | 'request';
	const state = readInitialState(this, itemIndex);
	const request = mode === 'request' ? readRequestFields(this, itemIndex) : undefined;
	const file = await readDocumentContent(this, itemIndex);
	const metadata: IDataObject = request ? { ...request.body } : { signatureRequestId: 'off' };
	if (state !== 'tosign') metadata.filedata = { state };
	const mimeType =
		file.mimeType && file.mimeType !== 'application/octet-stream'
			? file.mimeType
			: mimeTypeForFileName(file.fileName, 'application/pdf');
	const { body, contentType, fileBytes } = await multipartWithFile(
		this,
		itemIndex,
		[['dataText', JSON.stringify(metadata)]],
		{ name: 'file', file, mimeType },
	);
	checkDocumentType(this, itemIndex, file.fileName, fileBytes);
	const response = await okDokumentApiRequest.call(this, 'POST', '/JSON/upload', {
		body,
		headers: { 'content-type': contentType },
		itemIndex,
	});
	const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
	const answer = isObject(response) ? response : {};
	const documentId = text(answer.documentId) ?? (request ? undefined : text(answer.result));
	if (!documentId) {
		throw new NodeOperationError(this.getNode(), 'OKdokument returned no document ID', {
			itemIndex,
			description: `Answer: ${JSON.stringify(response).slice(0, 300)}`,
		});
	}
	return {
		json: {
			documentId,
			storageOnly: !request,
			...(request
				? {
						signatureRequestId: text(answer.result) ?? null,
						signingUrl: text(answer.url) ?? null,
						...request.summary,
					}
				: {}),
			fileName: file.fileName,
			fileSize: file.size,
			state,
			message: text(answer.message) ?? null,
		},
		pairedItem: { item: itemIndex },
	};
}
