// A small, valid PDF built on the fly (no fixtures in git), and the "signed" variant the emulators
// serve: the same bytes plus a recognisable trailer comment.
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
