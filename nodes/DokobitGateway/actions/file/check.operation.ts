import { randomUUID } from 'crypto';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import {
	fileSourceProperties,
	jsonWithFileContent,
	resolveFileContent,
} from '../../../shared/binary';
import { invalidField, requireOneOf } from '../../../shared/validation';
import { SIGNING_TYPES, signingTypeOptions } from '../../helpers/types';
import { dokobitApiRequest } from '../../transport';

export const containerTypeProperty: INodeProperties = {
	displayName: 'Container Type',
	name: 'containerType',
	type: 'options',
	default: 'pdf',
	options: signingTypeOptions,
	description: 'The format of the signed file',
};

const properties: INodeProperties[] = [containerTypeProperty, ...fileSourceProperties()];

export const description = updateDisplayOptions(
	{ show: { resource: ['file'], operation: ['check'] } },
	properties,
);

/**
 * Container type and file of one item, as `POST /api/file/check.json` and `POST /api/archive.json`
 * take them: base64 content plus its digest.
 */
export async function readSignedFile(ctx: IExecuteFunctions, itemIndex: number) {
	const type = requireOneOf(
		ctx,
		itemIndex,
		'Container Type',
		ctx.getNodeParameter('containerType', itemIndex),
		SIGNING_TYPES,
	);
	const file = await resolveFileContent(ctx, itemIndex);
	if (file.size === 0) throw invalidField(ctx, itemIndex, 'File', 'is empty');
	// Built straight into one Buffer (base64 and digest in one pass); a Buffer can be re-sent on retry.
	const marks = { content: randomUUID(), digest: randomUUID() };
	const { body } = await jsonWithFileContent(
		ctx,
		itemIndex,
		{ type, file: { name: file.fileName, content: marks.content, digest: marks.digest } },
		file,
		marks,
	);
	return { file, body, headers: { 'content-type': 'application/json' } };
}

/**
 * `POST /api/file/check.json`: reads the signature structure of a signed file. Read-only on the
 * Gateway side.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const { file, body, headers } = await readSignedFile(this, itemIndex);
	const result = await dokobitApiRequest.call(this, 'POST', '/api/file/check.json', {
		body,
		headers,
		itemIndex,
		idempotent: true,
	});
	return { json: { fileName: file.fileName, ...result }, pairedItem: { item: itemIndex } };
}
