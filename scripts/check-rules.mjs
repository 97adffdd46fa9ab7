// n8n's community-node rules that the bundled lint plugin does not run yet (scripts/lib/rules.cjs),
// checked on the built package in dist/ (run `npm run build` first). One line per violation and
// exit 1, or one line of summary.
//   node scripts/check-rules.mjs
import { createRequire } from 'node:module';
import { ROOT } from './lib/n8n.mjs';

const require = createRequire(import.meta.url);
const { loadPackage, checkPackage, formatViolation } = require('./lib/rules.cjs');

const loaded = loadPackage(ROOT);
const violations = checkPackage(loaded);
for (const found of violations) console.log(formatViolation(found));
if (violations.length) {
	console.log(`${violations.length} rule violation(s)`);
	process.exit(1);
}
console.log(
	`community-node rules: OK (${loaded.nodes.length} nodes, ${loaded.credentials.length} credentials, package.json)`,
);
