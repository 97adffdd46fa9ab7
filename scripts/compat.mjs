// The compatibility suite: the e2e project on one n8n release, and the README's Compatibility table
// built from such runs (one row per release, each cell counted from the run's own test results).
//
//   node scripts/compat.mjs run      e2e on N8N_VERSION (installed once); writes .ci/out/e2e-<v>.json
//   node scripts/compat.mjs table    the table from every .ci/out/e2e-*.json, with date and commit
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { n8nDir, n8nVersion } from './lib/n8n-install.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, '.ci', 'out');

/** The columns, and which e2e tests prove each (by file, then by title). */
const COLUMNS = [
	['AI tools', (file) => /^test\/e2e\/agent[^/]*\.e2e\./.test(file)],
	['Credentials', (file, title) => /credential test/i.test(title)],
	// The fault suite's Send and Wait cases count here, its trigger cases under Triggers.
	[
		'Send and wait',
		(file, title) =>
			/-wait\.e2e\./.test(file) || (/faults\.e2e\./.test(file) && !/trigger/i.test(title)),
	],
	['Examples', (file, title) => /examples\.e2e\./.test(file) || /example/i.test(title)],
	['Editor', (file) => /editor\.e2e\./.test(file)],
	[
		'Triggers',
		(file, title) =>
			/trigger\.e2e\./.test(file) ||
			/trigger|postback|callback|event|secret|execution however often/i.test(title),
	],
	['Actions', () => true],
];

function columnOf(file, title) {
	return COLUMNS.find(([, matches]) => matches(file, title))[0];
}

function run() {
	const version = n8nVersion();
	execFileSync('bash', [path.join(ROOT, 'scripts', 'install-n8n.sh')], {
		stdio: ['ignore', 'ignore', 'inherit'],
		env: { ...process.env, N8N_VERSION: version },
	});
	fs.mkdirSync(OUT, { recursive: true });
	const output = path.join(OUT, `e2e-${version}.json`);
	// Bounded: a jest that does not exit, or leaves a process behind, is killed and fails.
	const result = spawnSync(
		'bash',
		[path.join(ROOT, 'scripts', 'run-jest.sh'), output, '--selectProjects', 'e2e'],
		{ cwd: ROOT, stdio: 'inherit', env: { ...process.env, N8N_VERSION: version } },
	);
	if (!fs.existsSync(output)) {
		console.error(`\ne2e on n8n ${version}: jest wrote no results (${output})`);
		process.exit(1);
	}
	const report = JSON.parse(fs.readFileSync(output, 'utf8'));
	const installed = JSON.parse(fs.readFileSync(path.join(n8nDir(version), '.installed'), 'utf8'));
	report.esign = {
		n8n: version,
		node: installed.nodeVersion,
		at: new Date().toISOString(),
		commit: commit(),
	};
	fs.writeFileSync(output, JSON.stringify(report));
	console.log(`\n${header()}\n${row(report)}`);
	process.exit(result.status ?? 1);
}

function commit() {
	try {
		return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
			cwd: ROOT,
			encoding: 'utf8',
		}).trim();
	} catch {
		return 'unknown';
	}
}

function header() {
	const names = ['n8n', 'Node', ...COLUMNS.map(([name]) => name), 'Run'];
	return `| ${names.join(' | ')} |\n|${names.map(() => ' --- ').join('|')}|`;
}

function row(report) {
	const counts = new Map(COLUMNS.map(([name]) => [name, { passed: 0, failed: 0 }]));
	for (const suite of report.testResults) {
		const file = path.relative(ROOT, suite.name);
		for (const test of suite.assertionResults) {
			const count = counts.get(columnOf(file, test.fullName));
			if (test.status === 'passed') count.passed++;
			else if (test.status === 'failed') count.failed++;
		}
		// A suite that failed before its tests ran (setup) fails every column it would have filled.
		if (suite.status === 'failed' && suite.assertionResults.length === 0) {
			counts.get(columnOf(file, '')).failed++;
		}
	}
	const cells = COLUMNS.map(([name]) => {
		const { passed, failed } = counts.get(name);
		return failed ? `✗ ${failed} of ${passed + failed} failed` : `✓ ${passed}`;
	});
	const { n8n, node, at, commit: sha } = report.esign;
	return `| ${n8n} | ${node} | ${cells.join(' | ')} | ${String(at).slice(0, 10)}, ${sha} |`;
}

function table() {
	const reports = fs
		.readdirSync(OUT)
		.filter((name) => /^e2e-\d+\.\d+\.\d+\.json$/.test(name))
		.map((name) => JSON.parse(fs.readFileSync(path.join(OUT, name), 'utf8')))
		.filter((report) => report.esign)
		.sort((a, b) =>
			a.esign.n8n.localeCompare(b.esign.n8n, 'en', { numeric: true, sensitivity: 'base' }),
		);
	console.log([header(), ...reports.map(row)].join('\n'));
}

const command = process.argv[2];
if (command === 'run') run();
else if (command === 'table') table();
else {
	console.error('usage: node scripts/compat.mjs run | table');
	process.exit(2);
}
