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
					'Create a document for signature: a legally binding signing request. Returns the embedded signing page (URL and iframe) for the sender. Never retried automatically.',
				action: 'Create signing session',
			},
			{
				name: 'Download Files',
				value: 'downloadFiles',
				description: 'Download the files of a completed document as binary (read-only)',
				action: 'Download files',
			},
			{
				name: 'Send and Wait for Signature',
				value: 'createAndWait',
				description:
					'Create a document for signature (a legally binding signing request) and pause the workflow until it is completed or declined; returns the outcome and the files',
				action: 'Send and wait for signature',
			},
		],
	},
	...createSigningSession.description,
	...createAndWait.description,
	...downloadFiles.description,
];
