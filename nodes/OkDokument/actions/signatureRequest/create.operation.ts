import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { fileSourceProperties } from '../../../shared/binary';
import { legallyBindingNotice } from '../../../shared/notices';
import { maskResumeSecrets } from '../../../shared/resume';
import { readDocumentFile } from '../../helpers/documentFile';
import { type RequestOverrides, readRequestFields, requestProperties } from '../../helpers/request';
import { isSignatureRequestResult } from '../../helpers/types';
import { okDokumentResumeProof } from '../../helpers/wait';
import { credentialBaseUrl, okDokumentApiRequest } from '../../transport';
import {
	documentIdProperty,
	initialStateProperty,
	readInitialState,
	readDocumentId,
} from '../common';

/** Create's parameters, before they are tied to an operation (Send and Wait shows them too). */
export const fields: INodeProperties[] = [
	legallyBindingNotice('This sends a legally binding signature request to the signer.'),
	{
		displayName: 'Document',
		name: 'documentSource',
		type: 'options',
		default: 'upload',
		options: [
			{
				name: 'Existing Document',
				value: 'existing',
				description:
					'A document OKdokument already holds: a later round, or a file stored with Document → Upload',
			},
			{
				name: 'Upload Now',
				value: 'upload',
				description: 'Send a file (binary, URL or base64) with the request: the first round',
			},
		],
	},
	...updateDisplayOptions({ show: { documentSource: ['upload'] } }, [
		...fileSourceProperties(),
		initialStateProperty,
	]),
	...updateDisplayOptions({ show: { documentSource: ['existing'] } }, [
		documentIdProperty,
		{
			displayName: 'Start Next Round',
			name: 'startNextRound',
			type: 'boolean',
			default: true,
			description:
				'Whether to reopen a signed document for the next signer (changeState "tosign"). Turn off for a document stored with Document → Upload that has not been signed yet.',
		},
	]),
	...requestProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['signatureRequest'], operation: ['create'] } },
	fields,
);

/**
 * `POST /JSON/signatureRequest`: validates every field and the file, then sends one request (never
 * retried).
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	return await createSignatureRequest.call(this, itemIndex);
}

/**
 * `POST /JSON/signatureRequest` for one item: every field and the file are checked before the
 * request is sent. `overrides` replaces options the caller owns (Send and Wait sets the callback
 * URL itself).
 */
export async function createSignatureRequest(
	this: IExecuteFunctions,
	itemIndex: number,
	overrides: RequestOverrides = {},
): Promise<INodeExecutionData> {
	const { body, summary } = readRequestFields(this, itemIndex, Date.now(), overrides);
	if (overrides.sendInfoURL === undefined && typeof body.sendInfoURL === 'string') {
		body.sendInfoURL = okDokumentResumeProof.addTo(this, body.sendInfoURL);
		summary.callbackUrl = maskResumeSecrets(body.sendInfoURL);
	}
	const source = this.getNodeParameter('documentSource', itemIndex) as 'upload' | 'existing';
	const output: IDataObject = {};
	if (source === 'existing') {
		body.id = readDocumentId(this, itemIndex);
		if (this.getNodeParameter('startNextRound', itemIndex, true) === true)
			body.changeState = 'tosign';
	} else {
		const state = readInitialState(this, itemIndex);
		const file = await readDocumentFile(this, itemIndex);
		// The file name travels with the content: OKdokument needs it to convert Office files and
		// shows it in its e-mails.
		body.filedata = {
			filename: file.fileName,
			content: file.bytes.toString('base64'),
			...(state === 'tosign' ? {} : { state }),
		};
		output.fileName = file.fileName;
		output.fileSize = file.bytes.length;
	}
	const created = await okDokumentApiRequest.call(this, 'POST', '/JSON/signatureRequest', {
		body,
		itemIndex,
	});
	if (!isSignatureRequestResult(created)) {
		throw new NodeOperationError(this.getNode(), 'OKdokument returned no signature request ID', {
			itemIndex,
		});
	}
	const signatureRequestId = created.result;
	return {
		json: {
			signatureRequestId,
			documentId: created.documentId ?? (body.id as string | undefined) ?? null,
			signingUrl:
				created.url ??
				`${await credentialBaseUrl.call(this)}/openDocument/${encodeURIComponent(signatureRequestId)}`,
			message: created.message ?? null,
			...(body.changeState ? { nextRound: true } : {}),
			...output,
			...summary,
		},
		pairedItem: { item: itemIndex },
	};
}
