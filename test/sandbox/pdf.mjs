// A small, valid PDF built on the fly (no fixtures in git), the "signed" variant the emulators
// serve (the same bytes plus a recognisable trailer comment), and a PDF signature dictionary
// (withPdfSignature) for emulators whose signed files carry one.
export function samplePdf(title = 'Sandbox contract', pages = 2, padBytes = 0) {
	const objects = [];
	const kids = [];
	objects.push('<< /Type /Catalog /Pages 2 0 R >>');
	objects.push(null); // pages, filled below
	objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
	for (let page = 1; page <= pages; page++) {
		const text = `BT /F1 18 Tf 72 720 Td (${title} - page ${page}) Tj ET`;
		objects.push(`<< /Length ${text.length} >>\nstream\n${text}\nendstream`);
		const contentRef = objects.length;
		objects.push(
			`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${contentRef} 0 R /Resources << /Font << /F1 3 0 R >> >> >>`,
		);
		kids.push(`${objects.length} 0 R`);
	}
	objects[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages} >>`;
	let out = '%PDF-1.4\n';
	const offsets = [];
	objects.forEach((body, index) => {
		offsets.push(Buffer.byteLength(out));
		out += `${index + 1} 0 obj\n${body}\nendobj\n`;
	});
	if (padBytes > 0) out += `%${'x'.repeat(padBytes)}\n`;
	const xref = Buffer.byteLength(out);
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

export const SIGNED_MARK = '%n8n-esign-sandbox: signed';

export function signedVariant(bytes, signers = []) {
	return Buffer.concat([
		bytes,
		Buffer.from(`\n${SIGNED_MARK} by ${signers.join(', ') || 'sandbox'}\n`),
	]);
}

/** `D:YYYYMMDDHHmmSS+00'00'`, the PDF date form (ISO 32000-1 §7.9.4), in UTC. */
export function pdfDate(ms) {
	const iso = new Date(ms).toISOString();
	return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+00'00'`;
}

/** Room for the CMS in /Contents, in bytes (hex-encoded in the file: twice as many characters). */
const SIGNATURE_ROOM = 1024;
/** A DER SEQUENCE holding the CMS signedData OID: the start of a CMS, not a verifiable one. */
const CMS_START = '3082000B06092A864886F70D010702';
const BYTE_RANGE_WIDTH = 10;

/**
 * A digital signature the way signing software adds one (ISO 32000-1 §12.8): an incremental
 * update with a signature dictionary whose /ByteRange covers the whole file except the /Contents
 * hex string, plus the signature field that holds it. The CMS is a placeholder; the structure is
 * real, so a reader of signature dictionaries sees a signature made at `signedAt`. Works on any
 * file: without a trailer to extend, the update names object 1 as the root.
 */
export function withPdfSignature(bytes, { signer = 'sandbox', signedAt = Date.now() } = {}) {
	const text = bytes.toString('latin1');
	const lastMatch = (pattern) => [...text.matchAll(pattern)].at(-1);
	const previousXref = lastMatch(/startxref\s+(\d+)/g)?.[1];
	const root = lastMatch(/\/Root\s+(\d+\s+\d+\s+R)/g)?.[1] ?? '1 0 R';
	const size = Math.max(
		Number(lastMatch(/\/Size\s+(\d+)/g)?.[1] ?? 0),
		...[...text.matchAll(/(\d+)\s+\d+\s+obj\b/g)].map((match) => Number(match[1]) + 1),
		Number.parseInt(root, 10) + 1,
	);
	const signature = size;
	const field = size + 1;
	// The name as UTF-16BE hex, so names outside Latin-1 survive.
	const name = `FEFF${Buffer.from(signer, 'utf16le').swap16().toString('hex').toUpperCase()}`;
	const placeholder = `[0 ${'0'.repeat(BYTE_RANGE_WIDTH)} ${'0'.repeat(BYTE_RANGE_WIDTH)} ${'0'.repeat(BYTE_RANGE_WIDTH)}]`;
	const contents = `<${CMS_START.padEnd(SIGNATURE_ROOM * 2, '0')}>`;
	let update = '\n';
	const signatureOffset = bytes.length + update.length;
	update += `${signature} 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange ${placeholder} /Contents ${contents} /M (${pdfDate(signedAt)}) /Name <${name}> /Reason (Signed in the e-signature sandbox) >>\nendobj\n`;
	const fieldOffset = bytes.length + update.length;
	update += `${field} 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature${signature}) /V ${signature} 0 R /Rect [0 0 0 0] /F 132 >>\nendobj\n`;
	const xrefOffset = bytes.length + update.length;
	const entry = (offset) => `${String(offset).padStart(10, '0')} 00000 n \n`;
	update += `xref\n${signature} 2\n${entry(signatureOffset)}${entry(fieldOffset)}`;
	update += `trailer\n<< /Size ${field + 1} /Root ${root}${previousXref ? ` /Prev ${previousXref}` : ''} >>\nstartxref\n${xrefOffset}\n%%EOF\n`;

	const out = Buffer.concat([bytes, Buffer.from(update, 'latin1')]);
	const gapStart = bytes.length + update.indexOf(contents);
	const gapEnd = gapStart + contents.length;
	const range = [0, gapStart, gapEnd, out.length - gapEnd]
		.map((value, index) => (index === 0 ? '0' : String(value).padStart(BYTE_RANGE_WIDTH, ' ')))
		.join(' ');
	out.write(`[${range}]`, bytes.length + update.indexOf(placeholder), 'latin1');
	return out;
}
