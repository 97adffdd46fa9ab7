/**
 * The panel of Create. Send and Wait for Signature composes its own panel from the same pieces,
 * leaving out the Postback URL (it sends its resume URL).
 */
import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { fileSourceProperties } from '../../../../shared/binary';
import { legallyBindingNotice } from '../../../../shared/notices';
import { signerProperties } from '../../../helpers/signerFields';
import { FILE_ROLES, languageOptions, signingTypeOptions } from '../../../helpers/types';
import { maxWaitProperty } from '../../common';

/** The document, its files and its signers: the top of both operations' panels. */
export const signingFields: INodeProperties[] = [
	legallyBindingNotice(),
	{
		displayName: 'Document Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		description: 'The title the signers see',
	},
	{
		displayName: 'Signing Type',
		name: 'type',
		type: 'options',
		default: 'pdf',
		options: signingTypeOptions,
		description:
			'PDF signs a single PDF inside the file (PAdES); the containers (ASiC-E, ADOC, BDOC…) wrap one or more files with their signatures',
	},
	{
		displayName: 'Files',
		name: 'filesFrom',
		type: 'options',
		default: 'upload',
		options: [
			{
				name: 'File Tokens',
				value: 'tokens',
				description: 'Files already uploaded with File → Upload',
			},
			{
				name: 'Upload Now',
				value: 'upload',
				description: 'Upload one file (binary, URL or base64) and create the signing in one step',
			},
		],
	},
	...updateDisplayOptions({ show: { filesFrom: ['upload'] } }, fileSourceProperties()),
	{
		displayName: 'File Tokens',
		name: 'fileTokens',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		placeholder: 'e.g. token1, token2',
		description: 'Comma-separated file tokens; the first is the main document',
		displayOptions: { show: { filesFrom: ['tokens'] } },
	},
	...signerProperties(),
];

/** Create only: where the Gateway sends the events. */
export const postbackUrlOption: INodeProperties = {
	displayName: 'Postback URL',
	name: 'postbackUrl',
	type: 'string',
	default: '',
	placeholder: 'e.g. the Production URL of a Dokobit Gateway Trigger',
	description: 'Where the Gateway sends signer_signed / signing_completed events',
};

/** How the signing is set up and its file uploaded. */
export const signingOptions: INodeProperties[] = [
	{
		displayName: 'Language',
		name: 'language',
		type: 'options',
		default: 'en',
		options: languageOptions,
		description: 'Language of the signing page and messages',
	},
	{
		displayName: 'Type Options (JSON)',
		name: 'typeOptions',
		type: 'json',
		default: '{}',
		description:
			'Options for the chosen type, sent under its key, e.g. {"level": "pades-ltv"} for pdf. See the Gateway API doc.',
	},
	{
		displayName: 'Appendix Role',
		name: 'appendixRole',
		type: 'options',
		default: 'appendix',
		options: FILE_ROLES.filter((role) => role !== 'main').map((value) => ({
			name: value[0].toUpperCase() + value.slice(1),
			value,
		})),
		description: 'Role of the second and later files in a container',
	},
	maxWaitProperty,
];

/** The Options collection holding `options`, in the order given. */
export function optionsField(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options,
	};
}

/** Create's parameters, in panel order. */
export const createFields: INodeProperties[] = [
	...signingFields,
	optionsField([postbackUrlOption, ...signingOptions]),
];
