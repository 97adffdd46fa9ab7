/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions */
// The sandbox's own PDF generator (test/sandbox/pdf.mjs, plain ESM outside jest's module system),
// run in a child process: unit tests read exactly the bytes the emulators serve.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const PDF_MODULE = path.resolve(__dirname, '..', 'sandbox', 'pdf.mjs');

export interface SandboxSignature {
	signer?: string;
	/** Epoch ms written as the signature's /M. */
	signedAt: number;
}

/**
 * `samplePdf()`, then one signed round per entry exactly as the OKdokument emulator signs
 * (`signedVariant` + `withPdfSignature`).
 */
export function sandboxPdf(signatures: SandboxSignature[] = []): Buffer {
	const script = `
		import { samplePdf, signedVariant, withPdfSignature } from ${JSON.stringify(PDF_MODULE)};
		let bytes = samplePdf();
		for (const { signer = 'sandbox', signedAt } of JSON.parse(process.argv[1])) {
			bytes = withPdfSignature(signedVariant(bytes, [signer]), { signer, signedAt });
		}
		process.stdout.write(bytes.toString('base64'));
	`;
	const out = execFileSync(
		process.execPath,
		['--input-type=module', '-e', script, JSON.stringify(signatures)],
		{ encoding: 'utf8' },
	);
	return Buffer.from(out, 'base64');
}
