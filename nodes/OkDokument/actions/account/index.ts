import type { INodeProperties } from 'n8n-workflow';
import * as getCounters from './getCounters.operation';

export { getCounters };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		default: 'getCounters',
		options: [
			{
				name: 'Get Counters',
				value: 'getCounters',
				description:
					'Get usage counters: stored files, downloads, signature requests used and available (read-only)',
				action: 'Get account counters',
			},
		],
	},
	...getCounters.description,
];
