import type { INodeProperties } from 'n8n-workflow';
import * as del from './delete.operation';
import * as download from './download.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as upload from './upload.operation';

export { del as delete, download, get, getAll, upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['document'] } },
		default: 'upload',
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a document and its signed versions from OKdokument. Cannot be undone.',
				action: 'Delete document',
			},
			{
				name: 'Download',
				value: 'download',
				description: 'Download the document (the signed version once signed) as binary (read-only)',
				action: 'Download document',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get the file name, state and times of a document (read-only)',
				action: 'Get document',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: "List the account's documents, by state (read-only)",
				action: 'Get many documents',
			},
			{
				name: 'Upload',
				value: 'upload',
				description:
					'Store a file; with a signature request it also sends a legally binding signature request and returns the signing link',
				action: 'Upload document',
			},
		],
	},
	...upload.description,
	...get.description,
	...download.description,
	...del.description,
	...getAll.description,
];
