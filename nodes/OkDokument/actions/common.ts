import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { requireOneOf } from '../../shared/validation';
import { INITIAL_STATES, type InitialState } from '../helpers/types';
import { requireDocumentId, requireSignatureRequestId } from '../helpers/validation';

export const documentIdProperty: INodeProperties = {
	displayName: 'Document ID',
	name: 'documentId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. y7Ki_u1mrUwijfb-o_S1JiphSsoXya8iypH380F',
	description: 'The documentId returned by Create or Upload, or the ID in a callback',
};

export const signatureRequestIdProperty: INodeProperties = {
	displayName: 'Signature Request ID',
	name: 'signatureRequestId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 1d58a59e-e8f7-4d07-bb99-d3fa39cb58a8',
	description: 'The signatureRequestId returned by Create (one per signing round)',
};

/** `filedata.state` (create) / `state` (`POST /JSON/document`): what OKdokument does first. */
export const initialStateProperty: INodeProperties = {
	displayName: 'Initial State',
	name: 'documentState',
	type: 'options',
	default: 'tosign',
	options: [
		{
			name: 'Add Digital Stamp',
			value: 'tostamp',
			description: 'OKdokument inserts its digital stamp first (tostamp)',
		},
		{
			name: 'Ready to Sign',
			value: 'tosign',
			description: 'Sign the document as it is (tosign)',
		},
		{
			name: 'Scan Text Tags',
			value: 'tags',
			description:
				'Turn text tags such as _SC1_ (compulsory) and _SO1_ (optional) into signature fields first (tags)',
		},
	],
};

export function readInitialState(ctx: IExecuteFunctions, itemIndex: number): InitialState {
	return requireOneOf(
		ctx,
		itemIndex,
		'Initial State',
		ctx.getNodeParameter('documentState', itemIndex, 'tosign'),
		INITIAL_STATES,
	);
}

/** The Document ID parameter of the item, checked. */
export function readDocumentId(ctx: IExecuteFunctions, itemIndex: number): string {
	return requireDocumentId(ctx, itemIndex, ctx.getNodeParameter('documentId', itemIndex));
}

/** The Signature Request ID parameter of the item, checked. */
export function readSignatureRequestId(ctx: IExecuteFunctions, itemIndex: number): string {
	return requireSignatureRequestId(
		ctx,
		itemIndex,
		ctx.getNodeParameter('signatureRequestId', itemIndex),
	);
}
