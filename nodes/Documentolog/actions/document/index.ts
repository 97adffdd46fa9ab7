import type { INodeProperties } from 'n8n-workflow';
import * as createAndWait from './createAndWait.operation';
import * as createSigningSession from './createSigningSession.operation';
import * as downloadFiles from './downloadFiles.operation';

export { createAndWait, createSigningSession, downloadFiles };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['document'] } },
		default: 'createSigningSession',
		options: [
			{
				name: 'Create Signing Session',
				value: 'createSigningSession',
				description:
					'Create a document for signature and get its embedded signing page (legally binding request)',
				action: 'Create a signing session',
			},
			{
				name: 'Download Files',
				value: 'downloadFiles',
				description: 'Download the files of a completed document as binary (read-only)',
				action: 'Download the files of a completed document',
			},
			{
				name: 'Send and Wait for Signature',
				value: 'createAndWait',
				description:
					'Create a document for signature (legally binding request) and pause the workflow until it is completed or declined',
				action: 'Send and wait for signature',
			},
		],
	},
	...createSigningSession.description,
	...createAndWait.description,
	...downloadFiles.description,
];
