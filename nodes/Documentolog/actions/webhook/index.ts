import type { INodeProperties } from 'n8n-workflow';
import * as getTriggerUrl from './getTriggerUrl.operation';

export { getTriggerUrl };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['webhook'] } },
		default: 'getTriggerUrl',
		options: [
			{
				name: 'Get Trigger URL',
				value: 'getTriggerUrl',
				description:
					'Build a Documentolog Trigger URL with its secret, for callers outside n8n (read-only, no request)',
				action: 'Get trigger URL',
			},
		],
	},
	...getTriggerUrl.description,
];
