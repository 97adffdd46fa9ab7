import type { INodeProperties } from 'n8n-workflow';
import * as create from './create.operation';
import * as createAndWait from './createAndWait.operation';
import * as del from './delete.operation';
import * as update from './update.operation';
import * as waitForSignature from './waitForSignature.operation';

export { create, createAndWait, del as delete, update, waitForSignature };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['signatureRequest'] } },
		default: 'create',
		options: [
			{
				name: 'Create',
				value: 'create',
				description:
					'Send a document for signature: a legally binding signature request. Returns the document ID and the signing link. Never retried automatically.',
				action: 'Create signature request',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Withdraw a signature request so its signing link stops working',
				action: 'Delete signature request',
			},
			{
				name: 'Send and Wait for Signature',
				value: 'createAndWait',
				description:
					'Send a document for signature (a legally binding signature request) and pause the workflow until the signer signs or cancels; returns the outcome and the signed PDF',
				action: 'Send and wait for signature',
			},
			{
				name: 'Update',
				value: 'update',
				description:
					'Change the callback and result URLs of a signature request. Sends no new request to sign.',
				action: 'Update signature request',
			},
			{
				name: 'Wait for Signature',
				value: 'waitForSignature',
				description:
					'Pause the workflow until a signature request created earlier in it is signed or canceled (read-only)',
				action: 'Wait for signature',
			},
		],
	},
	...create.description,
	...createAndWait.description,
	...waitForSignature.description,
	...update.description,
	...del.description,
];
