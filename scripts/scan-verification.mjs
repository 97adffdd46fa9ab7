// n8n's verification scanner (@n8n/scan-community-package) on a commit that is not published yet.
//
//   node scripts/scan-verification.mjs <tag | version | scanner dir> <tarball>
//
// The scanner's CLI takes only a package name: it reads the packument and the provenance
// attestation from registry.npmjs.org (a constant, not npm's registry setting), fetches the attested
// commit from codeload.github.com and `npm pack`s the published tarball. A local registry
// (verdaccio) cannot stand in: it has no attestations and the scanner would not ask it. So this runs
// the scanner's own analysis entry (`analyzePackage`, exported) on the two things the CLI lints:
//   - the source: `git archive HEAD`, what codeload serves for the commit, reduced to the
//     package's root by the scanner's `findPackageRoot` and linted with its SOURCE_FILE_PATTERNS;
//   - the tarball: unpacked, linted with the patterns the scanner's analyzePackageByName passes
//     (read from the scanner's own source, so a scanner that changes them is followed).
// The provenance check needs a published version; publish.yml runs the real CLI after publishing.
// <tag | version> installs that scanner into a temporary folder; a tag the registry does not have
// (e.g. no `beta` published) is reported and skipped, not failed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const [spec, tarballArg] = process.argv.slice(2);
if (!spec || !tarballArg) {
	console.error(
		'usage: node scripts/scan-verification.mjs <tag | version | scanner dir> <tarball>',
	);
	process.exit(2);
}
const inActions = process.env.GITHUB_ACTIONS === 'true';
const notice = (level, text) =>
	console.log(inActions ? `::${level}::${text}` : `${level}: ${text}`);
const run = (cmd, args, options = {}) =>
	execFileSync(cmd, args, {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		...options,
	});

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'esign-scan-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));

let scannerDir = path.resolve(spec);
if (!fs.existsSync(path.join(scannerDir, 'scanner', 'scanner.mjs'))) {
	const name = `@n8n/scan-community-package@${spec}`;
	let version = '';
	try {
		// One version for a tag; the newest of several for a range.
		version = [JSON.parse(run('npm', ['view', name, 'version', '--json']) || '""')].flat().pop();
	} catch (error) {
		// A tag the registry lacks is E404; anything else (network, registry down) fails the run.
		if (!/E404/.test(String(error.stderr))) throw error;
	}
	if (!version) {
		notice('warning', `${name}: not on the registry, nothing scanned`);
		process.exit(0);
	}
	const prefix = path.join(work, 'scanner');
	fs.mkdirSync(prefix);
	fs.writeFileSync(path.join(prefix, 'package.json'), '{"private":true}\n');
	// eslint-plugin-n8n-nodes-base's preinstall runs `npx only-allow pnpm`: npx must not prompt.
	run(
		'npm',
		[
			'install',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
			`@n8n/scan-community-package@${version}`,
		],
		{ cwd: prefix, env: { ...process.env, npm_config_yes: 'true' } },
	);
	scannerDir = path.join(prefix, 'node_modules', '@n8n', 'scan-community-package');
}
const scannerFile = path.join(scannerDir, 'scanner', 'scanner.mjs');
const scannerVersion = JSON.parse(
	fs.readFileSync(path.join(scannerDir, 'package.json'), 'utf8'),
).version;
const scanner = await import(pathToFileURL(scannerFile).href);
const scannerSource = fs.readFileSync(scannerFile, 'utf8');

// The patterns the CLI lints the tarball with; 0.32.0: analyzePackage(packageDir, ['**/*.js', 'package.json']).
let tarballPatterns = ['**/*.js', 'package.json'];
const passed = /analyzePackage\(\s*packageDir\s*,\s*(\[[^\]]*\])\s*\)/.exec(scannerSource);
if (passed) tarballPatterns = JSON.parse(passed[1].replace(/'/g, '"'));
else
	notice(
		'warning',
		`scanner ${scannerVersion}: tarball patterns not found, using ${tarballPatterns}`,
	);
const sourcePatterns = scanner.SOURCE_FILE_PATTERNS ?? ['**/*.js', '**/*.ts', '**/*.json'];
if (!scanner.SOURCE_FILE_PATTERNS)
	notice('warning', `scanner ${scannerVersion}: no SOURCE_FILE_PATTERNS, using ${sourcePatterns}`);

const source = path.join(work, 'source');
fs.mkdirSync(source);
const commit = run('git', ['rev-parse', 'HEAD']).trim();
run('git', ['archive', '--format=tar', '-o', path.join(work, 'source.tar'), 'HEAD']);
run('tar', ['-xf', path.join(work, 'source.tar'), '-C', source]);
if (run('git', ['status', '--porcelain', '--untracked-files=no']).trim())
	notice('warning', `uncommitted changes are not scanned: the source is commit ${commit}`);
const packageName = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8')).name;
const sourceRoot = scanner.findPackageRoot?.(source, packageName) ?? source;

const unpacked = path.join(work, 'tarball');
fs.mkdirSync(unpacked);
run('tar', ['-xzf', path.resolve(tarballArg), '-C', unpacked, '--strip-components=1']);

console.log(`@n8n/scan-community-package ${scannerVersion} (${spec})`);
let ok = true;
for (const [label, dir, patterns] of [
	[`source, commit ${commit.slice(0, 7)}`, sourceRoot, sourcePatterns],
	[`tarball, ${path.basename(tarballArg)}`, unpacked, tarballPatterns],
]) {
	const result = await scanner.analyzePackage(dir, patterns);
	console.log(`${result.passed ? '✅ passed' : '❌ FAILED'}: ${label} (${patterns.join(', ')})`);
	if (!result.passed) {
		ok = false;
		console.log(result.message ?? '');
		if (result.details) console.log(result.details);
	}
}
process.exit(ok ? 0 : 1);
