// Packs the package and checks the tarball: only dist/ + package.json, README.md, LICENSE,
// CHANGELOG.md; every file listed in the n8n block present; then runs the verification scanner's
// lint on sources and tarball. Leaves the tarball in .ci/out for the e2e suite.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/n8n.mjs';

const out = path.join(ROOT, '.ci', 'out');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, 'pkg'), { recursive: true });
const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], {
	cwd: ROOT,
	encoding: 'utf8',
})
	.trim()
	.split('\n')
	.pop();
const tarball = path.join(out, name);
execFileSync('tar', ['-xzf', tarball, '-C', path.join(out, 'pkg'), '--strip-components=1']);
const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
	.trim()
	.split('\n')
	.map((f) => f.replace(/^package\//, ''));
const allowed = /^(dist\/.+|package\.json|README\.md|LICENSE|CHANGELOG\.md|index\.js)$/;
const stray = files.filter((file) => !allowed.test(file));
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const missing = [...pkg.n8n.nodes, ...pkg.n8n.credentials].filter((file) => !files.includes(file));
let failed = false;
if (stray.length) {
	console.error(`tarball holds files outside dist/: ${stray.join(', ')}`);
	failed = true;
}
if (missing.length) {
	console.error(`tarball lacks files listed in package.json "n8n": ${missing.join(', ')}`);
	failed = true;
}
if (Object.keys(pkg.dependencies ?? {}).length) {
	console.error('package.json has runtime dependencies');
	failed = true;
}
const size = fs.statSync(tarball).size;
console.log(`tarball ${name}: ${files.length} files, ${(size / 1024).toFixed(1)} KiB`);
try {
	execFileSync(
		process.execPath,
		[path.join(ROOT, 'test', 'scan-local.mjs'), path.join(out, 'pkg')],
		{ cwd: ROOT, stdio: 'inherit' },
	);
} catch {
	failed = true;
}
if (failed) process.exit(1);
console.log(tarball);
