import type { INodeProperties } from 'n8n-workflow';
import * as archive from './archive.operation';
import * as check from './check.operation';
import * as del from './delete.operation';
import * as getStatus from './getStatus.operation';
import * as upload from './upload.operation';

export { archive, check, del as delete, getStatus, upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['file'] } },
		default: 'upload',
		options: [
			{
				name: 'Archive',
				value: 'archive',
				description:
					'Add long-term validation data to a signed file; returns the archived file. Sends no signing request.',
				action: 'Archive file',
			},
			{
				name: 'Check',
				value: 'check',
				description: 'Read the signature structure of a signed file (read-only)',
				action: 'Check file signatures',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete an uploaded file from the Gateway',
				action: 'Delete file',
			},
			{
				name: 'Get Upload Status',
				value: 'getStatus',
				description: 'Whether the Gateway has fetched an uploaded file yet (read-only)',
				action: 'Get file upload status',
			},
			{
				name: 'Upload',
				value: 'upload',
				description:
					'Upload a file for signing and wait until the Gateway has it; returns a file token for Create. Sends no signing request.',
				action: 'Upload file',
			},
		],
	},
	...upload.description,
	...getStatus.description,
	...del.description,
	...check.description,
	...archive.description,
];
