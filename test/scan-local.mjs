// The lint half of n8n's verification scanner (@n8n/scan-community-package), run locally on the
// sources and on the unpacked tarball. The scanner ignores inline eslint-disable comments.
import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const unpacked = process.argv[2];
if (!unpacked) {
	console.error('usage: node test/scan-local.mjs <unpacked-tarball-dir>');
	process.exit(2);
}
const source = await analyzePackage(process.cwd(), SOURCE_FILE_PATTERNS);
const tarball = await analyzePackage(unpacked, ['**/*.js', 'package.json']);
for (const [label, result] of [
	['sources', source],
	['tarball', tarball],
]) {
	console.log(`scanner (${label}): ${result.passed ? 'passed' : 'FAILED'}`);
	if (!result.passed) console.error(result.details ?? result.message ?? result);
}
process.exit(source.passed && tarball.passed ? 0 : 1);
