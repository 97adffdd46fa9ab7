import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { fileExtension, requireInputBinary } from '../../../../shared/binary';
import { field, invalidField, requireText } from '../../../../shared/validation';
import {
	ALLOWED_EXTENSIONS,
	isAllowedExtension,
	listOf,
	requireAttachmentUrl,
} from '../../../helpers/validation';
import { createSigningSessionFields as properties } from './fields';

export interface AttachmentSummary extends IDataObject {
	url?: string;
	binaryField?: string;
	fileName?: string;
}

export interface Attachments {
	urls: string[];
	summary: AttachmentSummary[];
}

/**
 * Attachment links as URLs, or as n8n signed URLs of binary fields.
 *
 * Why signed URLs are offered, and only as an opt-in: Documentolog takes files only as links it
 * downloads itself (docs/vendor-apis.md › Documentolog › `POST /json/external/oauth/token`), so a
 * file that exists only inside n8n needs a link. n8n's `createBinarySignedUrl` gives an expiring,
 * unguessable link without hosting anything else. Its limits are checked or documented here rather
 * than hidden:
 * - it needs binary data stored by id (filesystem, S3 or database mode); in-memory data is refused
 *   before any request;
 * - the link is `<N8N_WEBHOOK_URL>/rest/binary-data/signed?token=…`: Documentolog must reach that
 *   host, and in queue mode with separate webhook processes `/rest` is served by the main process
 *   only, so the webhook URL must route `/rest/binary-data/signed` to it;
 * - the link's path has no file extension. Whether Documentolog's extension check reads the path,
 *   or the downloaded file's name (n8n sends it in Content-Disposition), is undocumented; the
 *   binary's own file name is checked against the allowed list here;
 * - when Documentolog downloads the file is undocumented, hence a validity option (1 day by
 *   default) rather than a short fixed one. Anyone holding the link can read the file until then.
 * For anything long-lived or without a public n8n, host the file yourself (for example an S3
 * pre-signed URL ending in .pdf) and pass that URL instead.
 */
export function readAttachments(
	ctx: IExecuteFunctions,
	itemIndex: number,
	signedUrlExpiry: string | undefined,
): Attachments {
	const from = ctx.getNodeParameter('attachmentsFrom', itemIndex, 'urls') as string;
	if (from === 'binary') return signedBinaryLinks(ctx, itemIndex, signedUrlExpiry ?? '1 day');
	const urls = listOf(ctx.getNodeParameter('attachmentUrls', itemIndex, [])).map((url, index) =>
		requireAttachmentUrl(ctx, itemIndex, field(properties, `attachmentUrls[${index}]`), url),
	);
	return { urls, summary: urls.map((url) => ({ url })) };
}

function signedBinaryLinks(ctx: IExecuteFunctions, itemIndex: number, expiry: string): Attachments {
	const names = requireText(
		ctx,
		itemIndex,
		'Input Binary Fields',
		ctx.getNodeParameter('binaryPropertyNames', itemIndex),
	)
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	// Every name is looked up before any file is checked: a missing field is named first.
	const files = names.map((name) => ({
		name,
		meta: requireInputBinary(ctx, itemIndex, name, 'Input Binary Fields'),
	}));
	const prepared = files.map(({ name, meta }) => requireSignableFile(ctx, itemIndex, name, meta));
	return {
		urls: prepared.map(({ meta }) => ctx.helpers.createBinarySignedUrl(meta, expiry)),
		summary: prepared.map(({ name, fileName }) => ({ binaryField: name, fileName })),
	};
}

/** A binary file n8n can sign a link to, with a name Documentolog accepts. */
function requireSignableFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	meta: IBinaryData,
) {
	const fileName = meta.fileName ?? '';
	if (!isAllowedExtension(fileExtension(fileName))) {
		throw invalidField(
			ctx,
			itemIndex,
			'Input Binary Fields',
			`"${name}" holds "${fileName || 'a file without a name'}", whose extension Documentolog does not accept`,
			`Allowed: ${ALLOWED_EXTENSIONS}`,
		);
	}
	if (!meta.id) {
		throw invalidField(
			ctx,
			itemIndex,
			'Input Binary Fields',
			`"${name}" is held in memory, and n8n can only sign links to binary data stored by id`,
			'Run n8n with N8N_DEFAULT_BINARY_DATA_MODE=filesystem (or S3/database), or pass URLs instead',
		);
	}
	return { name, meta, fileName };
}
