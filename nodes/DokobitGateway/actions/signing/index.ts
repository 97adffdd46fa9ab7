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
				description: 'Add signers to a pending signing (legally binding request)',
				action: 'Add signers to a signing',
			},
			{
				name: 'Archive',
				value: 'archive',
				description: 'Add long-term validation to a completed signing',
				action: 'Archive a signing',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Send a document for signature (creates a legally binding signing request)',
				action: 'Create a signing',
			},
			{
				name: 'Create Batch',
				value: 'createBatch',
				description: 'Group signings so one signer signs them all in one action',
				action: 'Create a batch of signings',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a signing and its files from the Gateway',
				action: 'Delete a signing',
			},
			{
				name: 'Download Signed File',
				value: 'download',
				description: 'Download the signed file as binary (read-only)',
				action: 'Download a signed file',
			},
			{
				name: 'Get Signing URL',
				value: 'getSigningUrl',
				description: 'Build the signing page URL of one signer (read-only)',
				action: 'Get the signing URL of a signer',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'Get the signing status and per-signer status (read-only)',
				action: 'Get the status of a signing',
			},
			{
				name: 'Remove Signers',
				value: 'removeSigners',
				description: 'Remove signers from a pending signing',
				action: 'Remove signers from a signing',
			},
			{
				name: 'Seal',
				value: 'seal',
				description: 'Apply the organisation e-seal to a signing',
				action: 'Seal a signing',
			},
			{
				name: 'Send and Wait for Signature',
				value: 'createAndWait',
				description:
					'Send a document for signature (legally binding request) and pause the workflow until the signing completes',
				action: 'Send and wait for signature',
			},
			{
				name: 'Wait for Signature',
				value: 'waitForSignature',
				description:
					'Pause the workflow until a signing created earlier in it completes (read-only)',
				action: 'Wait for a signing to complete',
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
