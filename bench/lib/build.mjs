// Builds what the benchmarks run, without touching the repository's dist/ (others may be building
// or editing at the same time): every .ts under nodes/ and credentials/ is transpiled (no type
// check: `npm run typecheck` does that) with the repository's compiler options into
// .cache/bench/build/dist, icons and codex JSON are copied beside it, and test/helpers/engine.ts
// (with credentialAuth.ts, which it imports) is transpiled next to it for the engine scenarios.
// `stagePackage()` turns that into an npm tarball.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ROOT } from '../../scripts/lib/n8n.mjs';

export const BENCH_CACHE = path.join(ROOT, '.cache', 'bench');
export const BUILD = path.join(BENCH_CACHE, 'build');

function walk(dir, out = []) {
	if (!fs.existsSync(dir)) return out;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) walk(full, out);
		else out.push(full);
	}
	return out;
}

function compilerOptions() {
	const file = path.join(ROOT, 'tsconfig.json');
	const { config } = ts.readConfigFile(file, ts.sys.readFile);
	const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, ROOT);
	return { ...options, noEmit: false, declaration: false, sourceMap: false, isolatedModules: true };
}

function transpile(source, target, options) {
	const { outputText, diagnostics } = ts.transpileModule(fs.readFileSync(source, 'utf8'), {
		compilerOptions: options,
		fileName: source,
		reportDiagnostics: true,
	});
	if (diagnostics?.length) {
		const text = ts.formatDiagnostics(diagnostics, {
			getCanonicalFileName: (f) => f,
			getCurrentDirectory: () => ROOT,
			getNewLine: () => '\n',
		});
		throw new Error(`cannot transpile ${path.relative(ROOT, source)}:\n${text}`);
	}
	fs.mkdirSync(path.dirname(target), { recursive: true });
	fs.writeFileSync(target, outputText);
}

/** Returns { dist, engine }: the compiled package tree and the compiled engine helper. */
export function buildForBench() {
	fs.rmSync(BUILD, { recursive: true, force: true });
	const dist = path.join(BUILD, 'dist');
	const options = compilerOptions();
	for (const top of ['nodes', 'credentials']) {
		for (const source of walk(path.join(ROOT, top))) {
			const relative = path.relative(ROOT, source);
			if (source.endsWith('.ts') && !source.endsWith('.d.ts')) {
				transpile(source, path.join(dist, relative.replace(/\.ts$/, '.js')), options);
			} else if (/\.(svg|png|json)$/.test(source)) {
				fs.mkdirSync(path.dirname(path.join(dist, relative)), { recursive: true });
				fs.copyFileSync(source, path.join(dist, relative));
			}
		}
	}
	// engine.ts and the one helper it imports (credentialAuth.ts).
	for (const helper of ['engine', 'credentialAuth'])
		transpile(
			path.join(ROOT, 'test', 'helpers', `${helper}.ts`),
			path.join(BUILD, 'test', 'helpers', `${helper}.js`),
			options,
		);
	const engine = path.join(BUILD, 'test', 'helpers', 'engine.js');
	return { dist, engine };
}

/**
 * Packs the built tree the way `npm pack` packs the repository (package.json "files": ["dist"]).
 * Node and credential files that package.json registers but that do not exist (yet) are dropped
 * from the staged manifest, so a half-written vertical cannot stop n8n from starting.
 */
export function stagePackage(destination) {
	const stage = path.join(BENCH_CACHE, 'stage');
	fs.rmSync(stage, { recursive: true, force: true });
	fs.mkdirSync(stage, { recursive: true });
	fs.cpSync(path.join(BUILD, 'dist'), path.join(stage, 'dist'), { recursive: true });
	for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md', 'index.js']) {
		if (fs.existsSync(path.join(ROOT, file)))
			fs.copyFileSync(path.join(ROOT, file), path.join(stage, file));
	}
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const dropped = [];
	for (const key of ['nodes', 'credentials']) {
		pkg.n8n[key] = pkg.n8n[key].filter((file) => {
			const ok = fs.existsSync(path.join(stage, file));
			if (!ok) dropped.push(file);
			return ok;
		});
	}
	delete pkg.scripts;
	delete pkg.devDependencies;
	fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(pkg, null, '\t'));
	fs.mkdirSync(destination, { recursive: true });
	const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', destination], {
		cwd: stage,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	})
		.trim()
		.split('\n')
		.pop();
	const tarball = path.join(destination, name);
	const unpacked = walk(path.join(stage)).reduce((sum, file) => sum + fs.statSync(file).size, 0);
	return {
		tarball,
		packedBytes: fs.statSync(tarball).size,
		unpackedBytes: unpacked,
		nodes: pkg.n8n.nodes,
		credentials: pkg.n8n.credentials,
		dropped,
	};
}
