import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import type { EsignFile, EsignFileKind } from '../../../shared/events';
import { invalidField, requireText, isObject } from '../../../shared/validation';
import { completionFiles, documentIdOf, parseDelivery } from '../../helpers/delivery';
import { type DownloadTarget, documentologDownload, downloadPath } from '../../transport';

/** The kinds a completion offers as downloads (the view page is not a file). */
export const DOWNLOAD_KINDS = ['signed', 'original', 'signed-ez', 'archive-zip'] as const;
export type DownloadKind = (typeof DOWNLOAD_KINDS)[number];

/** The four kinds of file a completion links to, as one picker everywhere files are downloaded. */
export const FILE_KIND_OPTIONS: INodePropertyOptions[] = [
	{
		name: 'All Files as One Archive',
		value: 'archive-zip',
		description: 'The download_all_files link (a ZIP)',
	},
	{
		name: 'Files With EDS',
		value: 'signed',
		description:
			'Each file with its electronic digital signatures attached (download_files_with_eds)',
	},
	{
		name: 'Files With EDS in Ez Format',
		value: 'signed-ez',
		description: 'The signatures in Documentolog’s "Ez" format (download_files_with_eds_ez)',
	},
	{
		name: 'Original Files',
		value: 'original',
		description: 'The files as uploaded, without signatures (download_files)',
	},
];

/** The chosen kind, or files with EDS when the parameter holds anything else. */
export function downloadKindOf(value: unknown): DownloadKind {
	return DOWNLOAD_KINDS.includes(value as DownloadKind) ? (value as DownloadKind) : 'signed';
}

const properties: INodeProperties[] = [
	{
		displayName: 'Completion Event',
		name: 'completionEvent',
		type: 'json',
		default: '={{ $json }}',
		required: true,
		description:
			'The document_completed event: the Documentolog Trigger’s output, or the webhook body as Documentolog sent it (flat, or wrapped in "content")',
	},
	{
		displayName: 'Files',
		name: 'fileKind',
		type: 'options',
		default: 'signed',
		options: FILE_KIND_OPTIONS,
	},
	{
		displayName: 'Which Files',
		name: 'which',
		type: 'options',
		default: 'all',
		displayOptions: { hide: { fileKind: ['archive-zip'] } },
		options: [
			{ name: 'All', value: 'all', description: 'Every file of that kind' },
			{ name: 'One', value: 'one', description: 'One file, by name' },
		],
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		placeholder: 'e.g. contract.pdf',
		description: 'The name as the event lists it. Empty takes the first file.',
		displayOptions: { show: { which: ['one'] }, hide: { fileKind: ['archive-zip'] } },
	},
	{
		displayName: 'Put Output Files in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'One file goes to this field; several go to FIELD_0, FIELD_1, …',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['document'], operation: ['downloadFiles'] } },
	properties,
);

const FIELD = 'Completion Event';

/**
 * The files of a completion, from whichever form the input has: the trigger's normalized event
 * (`files`), the raw body it keeps (`raw.body`), or a webhook body in either documented shape.
 */
export function filesFromEvent(
	ctx: IExecuteFunctions,
	itemIndex: number,
	input: unknown,
): { documentId?: string; files: EsignFile[] } {
	let value = input;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			throw invalidField(ctx, itemIndex, FIELD, 'is not valid JSON');
		}
	}
	if (!isObject(value)) throw invalidField(ctx, itemIndex, FIELD, 'must be a JSON object');
	if (value.vendor === 'documentolog' && typeof value.event === 'string') {
		if (value.event !== 'document.completed') {
			throw invalidField(
				ctx,
				itemIndex,
				FIELD,
				`is a ${value.event} event, not document.completed`,
			);
		}
		const files = Array.isArray(value.files) ? value.files.filter(isEsignFile) : [];
		if (files.length) {
			return {
				documentId: typeof value.documentId === 'string' ? value.documentId : undefined,
				files,
			};
		}
		if (isObject(value.raw) && isObject(value.raw.body)) value = value.raw.body;
	}
	const parsed = parseDelivery(value as Record<string, unknown>);
	if (!parsed.ok) {
		throw invalidField(ctx, itemIndex, FIELD, `is not a Documentolog event: ${parsed.problem}`);
	}
	if (parsed.delivery.event !== 'document_completed') {
		throw invalidField(
			ctx,
			itemIndex,
			FIELD,
			`is a ${parsed.delivery.event} event, not document_completed`,
		);
	}
	return {
		documentId: parsed.delivery.docId ?? documentIdOf(parsed.delivery),
		files: completionFiles(parsed.delivery.completion),
	};
}

function isEsignFile(value: unknown): value is EsignFile {
	return isObject(value) && typeof value.url === 'string' && typeof value.kind === 'string';
}

/** The chosen files as download targets, named as the event names them. */
export function downloadTargets(
	chosen: EsignFile[],
	kind: DownloadKind,
	documentId?: string,
): DownloadTarget[] {
	return chosen.map((file, index) => ({
		url: file.url,
		name:
			file.name ?? (kind === 'archive-zip' ? `${documentId ?? 'documents'}.zip` : `file-${index}`),
	}));
}

/**
 * The first target whose link is not on the credential's host, if any. Checked for all of them
 * BEFORE the first request: links come from a webhook body, and downloads carry the API key.
 */
export async function firstRefusal(
	this: IExecuteFunctions | IWebhookFunctions,
	targets: DownloadTarget[],
): Promise<{ target: DownloadTarget; refused: string } | undefined> {
	for (const target of targets) {
		const checked = await downloadPath.call(this, target.url);
		if ('refused' in checked) return { target, refused: checked.refused };
	}
	return undefined;
}

/** Streams each target into binary: one file into `field`, several into FIELD_0, FIELD_1, … */
export async function downloadAll(
	this: IExecuteFunctions | IWebhookFunctions,
	targets: DownloadTarget[],
	field: string,
	itemIndex?: number,
): Promise<{ binary: Record<string, IBinaryData>; files: IDataObject[] }> {
	const binary: Record<string, IBinaryData> = {};
	const files: IDataObject[] = [];
	for (const [index, target] of targets.entries()) {
		const property = targets.length === 1 ? field : `${field}_${index}`;
		const file = await documentologDownload.call(this, target, itemIndex);
		binary[property] = file;
		files.push({
			name: target.name,
			binaryField: property,
			mimeType: file.mimeType,
			fileSize: file.fileSize ?? null,
		});
	}
	return { binary, files };
}

/** One completion's files of one kind as binary, named as the event names them. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const kind = this.getNodeParameter('fileKind', itemIndex, 'signed') as DownloadKind;
	if (!(DOWNLOAD_KINDS as readonly string[]).includes(kind)) {
		throw invalidField(this, itemIndex, 'Files', `must be one of ${DOWNLOAD_KINDS.join(', ')}`);
	}
	const field = requireText(
		this,
		itemIndex,
		'Put Output Files in Field',
		this.getNodeParameter('binaryPropertyName', itemIndex),
	);
	const event = filesFromEvent(
		this,
		itemIndex,
		this.getNodeParameter('completionEvent', itemIndex),
	);
	let chosen = event.files.filter((file) => file.kind === (kind as EsignFileKind));
	if (chosen.length === 0) {
		throw invalidField(this, itemIndex, FIELD, `has no ${kind} files`);
	}
	if (kind !== 'archive-zip' && this.getNodeParameter('which', itemIndex, 'all') === 'one') {
		const name = (this.getNodeParameter('fileName', itemIndex, '') as string).trim();
		const match = name ? chosen.find((file) => file.name === name) : chosen[0];
		if (!match) {
			throw invalidField(
				this,
				itemIndex,
				'File Name',
				`"${name}" is not among the event's files`,
				`Files: ${chosen.map((file) => file.name).join(', ')}`,
			);
		}
		chosen = [match];
	}
	const targets = downloadTargets(chosen, kind, event.documentId);
	// Every link is checked against the credential's host before the first request.
	const refusal = await firstRefusal.call(this, targets);
	if (refusal) {
		throw invalidField(
			this,
			itemIndex,
			FIELD,
			`links "${refusal.target.name}" to a foreign host: ${refusal.refused}`,
			'Downloads carry the API key, so they only go to the host the credential names',
		);
	}
	const { binary, files } = await downloadAll.call(this, targets, field, itemIndex);
	return {
		json: { documentId: event.documentId ?? null, kind, files },
		binary,
		pairedItem: { item: itemIndex },
	};
}
