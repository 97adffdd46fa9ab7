import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { resolveFileContent } from '../../../shared/binary';
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
import { LANGUAGES, SIGNING_TYPES, hasToken } from '../../helpers/types';
import { uploadAndWait } from '../../helpers/upload';
import { dokobitResumeProof } from '../../helpers/wait';
import { TOKEN } from '../../helpers/validation';
import { credentialBaseUrl, dokobitApiRequest } from '../../transport';
import { createFields as properties } from './create/fields';

export const description = updateDisplayOptions(
	{ show: { resource: ['signing'], operation: ['create'] } },
	properties,
);

interface CreateOptions {
	postbackUrl?: string;
	language?: string;
	typeOptions?: string | IDataObject;
	appendixRole?: string;
	maxWaitSeconds?: number;
}

/** A field of Options, named as the panel shows it. */
const option = (name: string) => field(properties, `options.${name}`);

/** Everything a create needs, validated before the first request so nothing is half-created. */
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
	const typeOptions = readTypeOptions(ctx, itemIndex, options.typeOptions);
	if (typeOptions) body[type] = typeOptions;
	const filesFrom = ctx.getNodeParameter('filesFrom', itemIndex) as 'upload' | 'tokens';
	return {
		body,
		filesFrom,
		fileTokens: filesFrom === 'tokens' ? readFileTokens(ctx, itemIndex, type) : [],
		appendixRole: options.appendixRole ?? 'appendix',
		maxWaitSeconds: options.maxWaitSeconds ?? 60,
	};
}

/** Type Options (JSON) as an object, or undefined when it holds nothing to send. */
function readTypeOptions(
	ctx: IExecuteFunctions,
	itemIndex: number,
	raw: CreateOptions['typeOptions'],
): IDataObject | undefined {
	if (raw === undefined || raw === '' || raw === '{}') return undefined;
	let typeOptions: unknown = raw;
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
	return Object.keys(typeOptions).length ? (typeOptions as IDataObject) : undefined;
}

function readFileTokens(ctx: IExecuteFunctions, itemIndex: number, type: string): string[] {
	const raw = ctx.getNodeParameter('fileTokens', itemIndex) as string | string[];
	const fileTokens = (Array.isArray(raw) ? raw : String(raw).split(','))
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
	return fileTokens;
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
