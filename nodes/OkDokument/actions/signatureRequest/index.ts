import type { INodeProperties } from 'n8n-workflow';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as update from './update.operation';

export { create, del as delete, update };

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
					'Send a document for signature and get its signing URL (creates a legally binding signature request)',
				action: 'Create a signature request',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Withdraw a signature request so its link stops working',
				action: 'Delete a signature request',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change the callback and result URLs of a signature request',
				action: 'Update a signature request',
			},
		],
	},
	...create.description,
	...update.description,
	...del.description,
];
