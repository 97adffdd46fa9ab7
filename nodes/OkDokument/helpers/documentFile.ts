/**
 * The document file OKdokument takes (docs/vendor-apis.md › OKdokument › Limits): at most 10 MB, a
 * PDF or an Office file it converts. Checked before the first request, naming the item.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import {
	type FileContent,
	type FileInput,
	resolveFileContent,
	resolveFileInput,
	fileExtension,
} from '../../shared/binary';
import { invalidField } from '../../shared/validation';
import { CONVERTIBLE_EXTENSIONS, DOCUMENT_EXTENSIONS } from './types';

/**
 * "Max 10 MB" (decoded). Inferred: read as 10 MiB; if the service means 10,000,000 bytes it refuses
 * the few files in between with its own message.
 */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** "PDF, DOC, DOCX, XLS and XLSX", as error texts name the file types. */
const TYPES_TAKEN = (() => {
	const names = DOCUMENT_EXTENSIONS.map((extension) => extension.toUpperCase());
	return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
})();

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

export function isPdf(bytes: Buffer): boolean {
	return bytes.subarray(0, 5).toString('latin1') === '%PDF-';
}

/** The document limits by size alone: not empty and at most 10 MB. Needs no byte of the file. */
export function checkDocumentSize(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	size: number,
): void {
	if (size === 0) throw invalidField(ctx, itemIndex, 'File', `"${name}" is empty`);
	if (size > MAX_FILE_BYTES) {
		const mb = (size / 1024 / 1024).toFixed(1);
		throw invalidField(
			ctx,
			itemIndex,
			'File',
			`"${name}" is ${mb} MB; OKdokument takes at most 10 MB`,
		);
	}
}

/**
 * The document limits by content: a PDF (checked by its first bytes) or a DOC/DOCX/XLS/XLSX file,
 * which OKdokument converts to PDF and which therefore needs its name.
 */
export function checkDocumentType(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	bytes: Buffer,
): void {
	const extension = fileExtension(name);
	if ((CONVERTIBLE_EXTENSIONS as readonly string[]).includes(extension)) {
		const magic = extension.endsWith('x') ? ZIP_MAGIC : OLE_MAGIC;
		if (!bytes.subarray(0, magic.length).equals(magic)) {
			throw invalidField(
				ctx,
				itemIndex,
				'File',
				`"${name}" is not a ${extension.toUpperCase()} file (its content does not match the extension)`,
			);
		}
		return;
	}
	if (!isPdf(bytes)) {
		throw invalidField(
			ctx,
			itemIndex,
			'File',
			extension === 'pdf' || extension === ''
				? `"${name}" is not a PDF (it does not start with %PDF-)`
				: `"${name}" has the type .${extension}; OKdokument takes ${TYPES_TAKEN} files`,
		);
	}
}

/** The document limits (docs/vendor-apis.md › OKdokument › Limits), size and content. */
export function checkDocumentFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	file: FileInput,
): FileInput {
	checkDocumentSize(ctx, itemIndex, file.fileName, file.bytes.length);
	checkDocumentType(ctx, itemIndex, file.fileName, file.bytes);
	return file;
}
/** The File Source parameters of one item, resolved and checked against the document limits. */
export async function readDocumentFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<FileInput> {
	return checkDocumentFile(
		ctx,
		itemIndex,
		await resolveFileInput(ctx, itemIndex, { maxBytes: MAX_FILE_BYTES }),
	);
}

/**
 * Like `readDocumentFile`, but a stored binary is not read here (see `resolveFileContent`): only its
 * size is checked now; check its content with `checkDocumentType` once its bytes are read.
 */
export async function readDocumentContent(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<FileContent> {
	const file = await resolveFileContent(ctx, itemIndex, { maxBytes: MAX_FILE_BYTES });
	checkDocumentSize(ctx, itemIndex, file.fileName, file.size);
	return file;
}
