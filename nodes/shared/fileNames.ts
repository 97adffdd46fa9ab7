/**
 * File name from a Content-Disposition header, if it carries one. The RFC 5987 form
 * (`filename*=UTF-8'lang'percent-encoded`) wins; otherwise the quoted-string or token form.
 * Only the last path segment is kept: the name comes from the server and later nodes may write it
 * to disk.
 */
export function fileNameFromDisposition(header: unknown): string | undefined {
	if (typeof header !== 'string') return undefined;
	const star = /filename\*\s*=\s*(?:[\w!#$%&+^`{}~-]*'[^']*')?("?)([^";]+)\1/i.exec(header);
	if (star) {
		try {
			const decoded = baseName(decodeURIComponent(star[2].trim()));
			if (decoded) return decoded;
		} catch {
			// fall through to the plain form
		}
	}
	const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/i.exec(header);
	const value = plain?.[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain?.[2];
	return baseName(value ?? '') || undefined;
}

function baseName(name: string): string {
	const last = name.split(/[\\/]/).pop()?.trim() ?? '';
	return last === '.' || last === '..' ? '' : last;
}

const EXTENSION_MIME: Record<string, string> = {
	pdf: 'application/pdf',
	asice: 'application/vnd.etsi.asic-e+zip',
	sce: 'application/vnd.etsi.asic-e+zip',
	bdoc: 'application/vnd.etsi.asic-e+zip',
	edoc: 'application/vnd.etsi.asic-e+zip',
	adoc: 'application/vnd.lt.archyvai.adoc-2008',
	mdoc: 'application/vnd.lt.archyvai.adoc-2008',
	zip: 'application/zip',
	p7s: 'application/pkcs7-signature',
	cms: 'application/pkcs7-signature',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	doc: 'application/msword',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	xls: 'application/vnd.ms-excel',
};

/**
 * The extension of a file name, lower-case, without the dot; '' when it has none. As with Node's
 * `path.extname`, a leading dot starts a name (`.hidden`), not an extension.
 */
export function fileExtension(fileName: string): string {
	const dot = fileName.lastIndexOf('.');
	return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

export function mimeTypeForFileName(
	fileName: string,
	fallback = 'application/octet-stream',
): string {
	return EXTENSION_MIME[fileExtension(fileName)] ?? fallback;
}

/** The last segment of a URL's path, decoded, as a file name. */
export function fileNameFromUrl(url: string): string | undefined {
	const last = new URL(url).pathname.split('/').pop();
	return last ? decodeURIComponent(last) : undefined;
}
