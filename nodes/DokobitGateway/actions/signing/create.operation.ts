import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { fileSourceProperties, resolveFileContent } from '../../../shared/binary';
import { legallyBindingNotice } from '../../../shared/notices';
import { maskResumeSecrets } from '../../../shared/resume';
import {
	field,
	invalidField,
	requireHttpUrl,
	requireOneOf,
	requireText,
	isObject,
} from '../../../shared/validation';
import { signerLinks } from '../../helpers/output';
import { readSigners } from '../../helpers/readSigners';
import { signerProperties } from '../../helpers/signerFields';
import {
	FILE_ROLES,
	LANGUAGES,
	SIGNING_TYPES,
	hasToken,
	languageOptions,
	signingTypeOptions,
} from '../../helpers/types';
import { uploadAndWait } from '../../helpers/upload';
import { dokobitResumeProof } from '../../helpers/wait';
import { TOKEN } from '../../helpers/validation';
import { credentialBaseUrl, dokobitApiRequest } from '../../transport';
import { maxWaitProperty } from '../common';

const properties: INodeProperties[] = [
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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Postback URL',
				name: 'postbackUrl',
				displayOptions: { show: { '/operation': ['create'] } },
				type: 'string',
				default: '',
				placeholder: 'e.g. the Production URL of a Dokobit Gateway Trigger',
				description: 'Where the Gateway sends signer_signed / signing_completed events',
			},
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
		],
	},
];

export const description = updateDisplayOptions(
	// Send and Wait for Signature takes the same fields; its postback URL is the execution's resume URL.
	{ show: { resource: ['signing'], operation: ['create', 'createAndWait'] } },
	properties,
);

interface CreateOptions {
	postbackUrl?: string;
	language?: string;
	typeOptions?: string | IDataObject;
	appendixRole?: string;
	maxWaitSeconds?: number;
}

/** Everything a create needs, validated before the first request so nothing is half-created. */
/** A field of Options, named as the panel shows it. */
const option = (name: string) => field(properties, `options.${name}`);

export function readCreateRequest(ctx: IExecuteFunctions, itemIndex: number) {
	const name = requireText(
		ctx,
		itemIndex,
		'Document Name',
		ctx.getNodeParameter('name', itemIndex),
	);
	const type = requireOneOf(
		ctx,
		itemIndex,
		'Signing Type',
		ctx.getNodeParameter('type', itemIndex),
		SIGNING_TYPES,
	);
	const signers = readSigners(ctx, itemIndex, { required: false });
	const options = ctx.getNodeParameter('options', itemIndex, {}) as CreateOptions;
	const body: IDataObject = { type, name };
	if (signers.length) body.signers = signers;
	if (options.postbackUrl)
		body.postback_url = requireHttpUrl(ctx, itemIndex, option('postbackUrl'), options.postbackUrl);
	if (options.language)
		body.language = requireOneOf(ctx, itemIndex, option('language'), options.language, LANGUAGES);
	if (
		options.typeOptions !== undefined &&
		options.typeOptions !== '' &&
		options.typeOptions !== '{}'
	) {
		let typeOptions: unknown = options.typeOptions;
		if (typeof typeOptions === 'string') {
			try {
				typeOptions = JSON.parse(typeOptions);
			} catch {
				throw invalidField(ctx, itemIndex, option('typeOptions'), 'is not valid JSON');
			}
		}
		if (!isObject(typeOptions)) {
			throw invalidField(ctx, itemIndex, option('typeOptions'), 'must be a JSON object');
		}
		if (Object.keys(typeOptions).length) body[type] = typeOptions as IDataObject;
	}
	const filesFrom = ctx.getNodeParameter('filesFrom', itemIndex) as 'upload' | 'tokens';
	let fileTokens: string[] = [];
	if (filesFrom === 'tokens') {
		const raw = ctx.getNodeParameter('fileTokens', itemIndex) as string | string[];
		fileTokens = (Array.isArray(raw) ? raw : String(raw).split(','))
			.map((token) => String(token).trim())
			.filter(Boolean);
		if (fileTokens.length === 0)
			throw invalidField(ctx, itemIndex, 'File Tokens', 'must list at least one token');
		const bad = fileTokens.find((token) => !TOKEN.test(token));
		if (bad) throw invalidField(ctx, itemIndex, 'File Tokens', `"${bad}" is not a Dokobit token`);
		// "For 'pdf' type only one file is supported" (official example).
		if (type === 'pdf' && fileTokens.length > 1) {
			throw invalidField(ctx, itemIndex, 'File Tokens', 'must be a single file for the pdf type');
		}
	}
	const appendixRole = options.appendixRole ?? 'appendix';
	return {
		body,
		filesFrom,
		fileTokens,
		appendixRole,
		maxWaitSeconds: options.maxWaitSeconds ?? 60,
	};
}

/**
 * The file upload and its status (when uploading), then `POST /api/signing/create.json`. Returns
 * the create response plus the signer page links.
 */
export async function createSigning(
	this: IExecuteFunctions,
	itemIndex: number,
	overrides: IDataObject = {},
): Promise<IDataObject> {
	const request = readCreateRequest(this, itemIndex);
	let tokens = request.fileTokens;
	const uploads: IDataObject[] = [];
	if (request.filesFrom === 'upload') {
		const file = await resolveFileContent(this, itemIndex);
		if (file.size === 0) throw invalidField(this, itemIndex, 'File', `"${file.fileName}" is empty`);
		const uploaded = await uploadAndWait.call(this, itemIndex, file, request.maxWaitSeconds);
		uploads.push({ ...uploaded });
		tokens = [uploaded.token];
	}
	const body: IDataObject = {
		...request.body,
		...overrides,
		files: tokens.map((token, index) =>
			request.body.type === 'pdf'
				? { token }
				: { token, type: index === 0 ? 'main' : request.appendixRole },
		),
	};
	if (!overrides.postback_url && typeof body.postback_url === 'string') {
		// A later Wait for Signature is resumed through this URL (shared/resume.ts).
		body.postback_url = dokobitResumeProof.addTo(this, body.postback_url);
	}
	const created = await dokobitApiRequest.call(this, 'POST', '/api/signing/create.json', {
		body,
		itemIndex,
	});
	if (!hasToken(created)) {
		throw new NodeOperationError(this.getNode(), 'Dokobit Gateway returned no signing token', {
			itemIndex,
		});
	}
	const baseUrl = await credentialBaseUrl.call(this);
	const signers = isObject(created.signers)
		? (created.signers as Record<string, string>)
		: undefined;
	return {
		token: created.token,
		status: created.status,
		name: body.name,
		type: body.type,
		signers: signerLinks(
			baseUrl,
			created.token,
			signers,
			((body.signers as IDataObject[] | undefined) ?? []).map((signer) => String(signer.id)),
		),
		files: tokens,
		...(uploads.length ? { uploads } : {}),
		...(body.postback_url ? { postbackUrl: maskResumeSecrets(String(body.postback_url)) } : {}),
	};
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	return { json: await createSigning.call(this, itemIndex), pairedItem: { item: itemIndex } };
}
