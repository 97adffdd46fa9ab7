import type { INodeProperties } from 'n8n-workflow';
import * as addSigners from './addSigners.operation';
import * as archive from './archive.operation';
import * as create from './create.operation';
import * as createAndWait from './createAndWait.operation';
import * as createBatch from './createBatch.operation';
import * as del from './delete.operation';
import * as download from './download.operation';
import * as getSigningUrl from './getSigningUrl.operation';
import * as getStatus from './getStatus.operation';
import * as removeSigners from './removeSigners.operation';
import * as seal from './seal.operation';
import * as waitForSignature from './waitForSignature.operation';

export {
	addSigners,
	archive,
	create,
	createAndWait,
	createBatch,
	del as delete,
	download,
	getSigningUrl,
	getStatus,
	removeSigners,
	seal,
	waitForSignature,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['signing'] } },
		default: 'create',
		options: [
			{
				name: 'Add Signers',
				value: 'addSigners',
				description:
					"Add signers to a pending signing: sends them a legally binding signing request. Returns every signer's ID, signer token and signing link.",
				action: 'Add signers',
			},
			{
				name: 'Archive',
				value: 'archive',
				description:
					'Add long-term validation to a completed signing; the Gateway reports the result later. Sends no signing request.',
				action: 'Archive signing',
			},
			{
				name: 'Create',
				value: 'create',
				description:
					"Send a document for signature: a legally binding signing request to the signers. Returns the signing token and each signer's signing link. Never retried automatically.",
				action: 'Create signing',
			},
			{
				name: 'Create Batch',
				value: 'createBatch',
				description:
					'Group pending signings so one signer signs them all in one action; each signature is legally binding. Returns the batch signing link.',
				action: 'Create signing batch',
			},
			{
				name: 'Delete',
				value: 'delete',
				description:
					'Delete a signing and its files from the Gateway; its signers can no longer sign. Cannot be undone.',
				action: 'Delete signing',
			},
			{
				name: 'Download Signed File',
				value: 'download',
				description: 'Download the signed file of a completed signing as binary (read-only)',
				action: 'Download signed file',
			},
			{
				name: 'Get Signing URL',
				value: 'getSigningUrl',
				description:
					'Build the signing link of one signer from the signing and signer tokens (read-only)',
				action: 'Get signing URL',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description:
					'Get the status of a signing and of each signer, from its signing token (read-only)',
				action: 'Get signing status',
			},
			{
				name: 'Remove Signers',
				value: 'removeSigners',
				description: 'Remove signers from a pending signing, by signer ID; they can no longer sign',
				action: 'Remove signers',
			},
			{
				name: 'Seal',
				value: 'seal',
				description:
					"Apply the organisation's e-seal to a signing at once: legally binding, cannot be undone",
				action: 'Seal signing',
			},
			{
				name: 'Send and Wait for Signature',
				value: 'createAndWait',
				description:
					'Send a document for signature (a legally binding signing request) and pause the workflow until the signing completes; returns the outcome and the signed file',
				action: 'Send and wait for signature',
			},
			{
				name: 'Wait for Signature',
				value: 'waitForSignature',
				description:
					'Pause the workflow until a signing created earlier in it completes; returns the outcome and the signed file (read-only)',
				action: 'Wait for signature',
			},
		],
	},
	...create.description,
	...createAndWait.description,
	...waitForSignature.description,
	...addSigners.description,
	...removeSigners.description,
	...getStatus.description,
	...getSigningUrl.description,
	...download.description,
	...del.description,
	...archive.description,
	...seal.description,
	...createBatch.description,
];
