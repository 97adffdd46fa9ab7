/**
 * Reads the digital signatures of a PDF from its signature dictionaries (ISO 32000-1 §12.8.1),
 * without verifying them: enough to say whether, and when, a file was signed.
 *
 * A signature dictionary is found by its `/ByteRange [0 a b c]`, which must leave out exactly the
 * `/Contents <hex>` string (the CMS) of the same dictionary. That check keeps out the text
 * "/ByteRange" anywhere else (a page, a comment, a compressed stream never matches the bytes).
 * Signing software writes signature dictionaries uncompressed, because the digest must skip the
 * /Contents bytes in the file itself.
 */

export interface PdfSignature {
	/** The signing time the dictionary states (`/M`), epoch ms; undefined when absent or zone-less. */
	signedAt?: number;
	/** Byte offset of the dictionary's /ByteRange. */
	offset: number;
}

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
const PDF_DATE =
	/^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:(Z)|([+-])(\d{2})'?(?:(\d{2})'?)?)?$/;

/**
 * A PDF date string (`D:YYYYMMDDHHmmSS+HH'mm'`, ISO 32000-1 §7.9.4) as epoch ms. Undefined when it is not one
 * down to the minute, or has no zone: the standard then leaves its relation to UTC unknown.
 */
export function parsePdfDate(value: string | undefined): number | undefined {
	const match = PDF_DATE.exec((value ?? '').trim());
	if (!match) return undefined;
	const [, year, month, day, hour, minute, second, zulu, sign, offsetHours, offsetMinutes] = match;
	if (!zulu && !sign) return undefined;
	const utc = Date.UTC(
		Number(year),
		Number(month) - 1,
		Number(day),
		Number(hour),
		Number(minute),
		Number(second ?? 0),
	);
	const offset = sign
		? (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes ?? 0)) * 60_000
		: 0;
	const ms = utc - offset;
	return Number.isFinite(ms) ? ms : undefined;
}

/** The object around `position`: from its `N G obj` to its `endobj`. */
function enclosingObject(text: string, position: number): [number, number] | undefined {
	let start = text.lastIndexOf('obj', position);
	while (start >= 3 && text.slice(start - 3, start) === 'end') {
		start = text.lastIndexOf('obj', start - 1);
	}
	const end = text.indexOf('endobj', position);
	if (start < 0 || end < 0) return undefined;
	return [start, end];
}

export function findPdfSignatures(bytes: Buffer): PdfSignature[] {
	const text = bytes.toString('latin1');
	const signatures: PdfSignature[] = [];
	for (const match of text.matchAll(BYTE_RANGE)) {
		const [first, gapStart, gapEnd, tailLength] = match.slice(1).map(Number);
		if (first !== 0 || gapStart <= 0 || gapEnd <= gapStart + 1) continue;
		if (gapEnd + tailLength > bytes.length) continue;
		// The gap is the /Contents hex string, `<` to `>`, holding a DER SEQUENCE (a CMS).
		if (text[gapStart] !== '<' || text[gapEnd - 1] !== '>') continue;
		const contents = text.slice(gapStart + 1, gapEnd - 1).replace(/\s+/g, '');
		if (!/^30[0-9A-Fa-f]*$/.test(contents)) continue;
		const offset = match.index ?? 0;
		const object = enclosingObject(text, offset);
		if (!object || gapStart < object[0] || gapEnd > object[1]) continue;
		const dictionary = text.slice(object[0], gapStart) + text.slice(gapEnd, object[1]);
		// A document timestamp (PAdES B-LTA) is a /ByteRange signature too, but nobody signed.
		if (/\/Type\s*\/DocTimeStamp\b|\/SubFilter\s*\/ETSI\.RFC3161\b/.test(dictionary)) continue;
		if (!/\/Filter\s*\//.test(dictionary)) continue;
		signatures.push({
			signedAt: parsePdfDate(/\/M\s*\(([^)]*)\)/.exec(dictionary)?.[1]),
			offset,
		});
	}
	return signatures;
}
