// The ports `./dev start` binds, and a check that each is free, run before anything installs: a
// port taken by another program should cost seconds, not an install and a stack trace. Needs only
// Node (no dependencies, any Node `./dev` may start on) and CommonJS so that jest can load it.
//   node scripts/lib/ports.cjs   exits 0 when every port is free, else prints one line and exits 1
// Linux: what holds a port is read from /proc; elsewhere the line just names the port.
'use strict';

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { DEFAULT_SANDBOX_BASE_PORT, SANDBOX_SERVERS } = require('../../test/sandbox/ports.cjs');

const DEFAULT_N8N_PORT = 5678;
/**
 * n8n's task broker (for Code nodes) sits this far above the editor port, clear of n8n's own
 * default (5679) that an n8n already running here holds.
 */
const BROKER_PORT_DISTANCE = 1000;
/** Every server binds this address (n8n through N8N_LISTEN_ADDRESS). */
const HOST = '127.0.0.1';

class PortSettingError extends Error {}

/** A whole port number from the environment, or `fallback` when unset. */
function portSetting(env, name, fallback, { room = 0 } = {}) {
	const raw = env[name];
	if (raw === undefined || raw.trim() === '') return fallback;
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 1 || port + room > 65535)
		throw new PortSettingError(
			`${name}=${raw} is not a port number (1–${65535 - room}); unset it for the default ${fallback}`,
		);
	return port;
}

/**
 * What `./dev start` listens on: `{ n8nPort, brokerPort, sandboxBasePort, bindings }`, each binding
 * `{ port, what, setting }` (`setting` is the variable that moves it). Throws PortSettingError for a
 * setting that is not a port number.
 */
function startPorts(env = process.env) {
	const n8nPort = portSetting(env, 'N8N_PORT', DEFAULT_N8N_PORT, { room: BROKER_PORT_DISTANCE });
	const brokerPort = n8nPort + BROKER_PORT_DISTANCE;
	const maxOffset = Math.max(...SANDBOX_SERVERS.map((server) => server.offset));
	const sandboxBasePort = portSetting(env, 'ESIGN_SANDBOX_PORT', DEFAULT_SANDBOX_BASE_PORT, {
		room: maxOffset,
	});
	return {
		n8nPort,
		brokerPort,
		sandboxBasePort,
		bindings: [
			{ port: n8nPort, what: 'n8n', setting: 'N8N_PORT' },
			{
				port: brokerPort,
				what: "n8n's task broker",
				setting: 'N8N_PORT',
			},
			...SANDBOX_SERVERS.map(({ label, offset }) => ({
				port: sandboxBasePort + offset,
				what: label,
				setting: 'ESIGN_SANDBOX_PORT',
			})),
		],
	};
}

/**
 * Binds `port` on 127.0.0.1 the way the servers do and lets it go again. Resolves to undefined
 * when it is free, else to the error code (EADDRINUSE, EACCES…).
 */
function probePort(port, host = HOST) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.once('error', (error) => resolve(error.code ?? error.message));
		server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(undefined)));
	});
}

/** Socket inodes listening on `port` (any address, IPv4 or IPv6), from /proc/net/tcp{,6}. */
function listeningInodes(port) {
	const inodes = new Set();
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text;
		try {
			text = fs.readFileSync(table, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n').slice(1)) {
			// sl local_address rem_address st … inode: "0: 0100007F:1005 00000000:0000 0A … 12345"
			const fields = line.trim().split(/\s+/);
			if (fields.length < 10 || fields[3] !== '0A') continue; // 0A: LISTEN
			if (parseInt(fields[1].split(':').pop(), 16) === port) inodes.add(fields[9]);
		}
	}
	return inodes;
}

/**
 * The process listening on `port`: `{ pid, command }`, or undefined when it cannot be told
 * (no /proc, another user's process, a listener in another network namespace).
 */
function portHolder(port) {
	const inodes = listeningInodes(port);
	if (inodes.size === 0) return undefined;
	let pids;
	try {
		pids = fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
	} catch {
		return undefined;
	}
	for (const pid of pids) {
		let fds;
		try {
			fds = fs.readdirSync(`/proc/${pid}/fd`);
		} catch {
			continue; // gone, or not ours to read
		}
		for (const fd of fds) {
			let target;
			try {
				target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
			} catch {
				continue;
			}
			const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
			if (inode && inodes.has(inode)) return { pid: Number(pid), command: commandOf(pid) };
		}
	}
	return undefined;
}

/** A process's command line, shortened to fit one line. */
function commandOf(pid) {
	try {
		const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
		const command = argv.map((arg, i) => (i === 0 ? path.basename(arg) : arg)).join(' ');
		return command.length > 80 ? `${command.slice(0, 79)}…` : command;
	} catch {
		return '';
	}
}

/**
 * The first base above `current`, at round hundreds, whose ports (base + each offset) are all free
 * and not in `avoid`.
 */
async function freeBase(current, offsets, avoid) {
	for (
		let base = Math.floor(current / 100) * 100 + 100;
		base + Math.max(...offsets) <= 65535;
		base += 100
	) {
		const ports = offsets.map((offset) => base + offset);
		if (ports.some((port) => avoid.has(port))) continue;
		const results = await Promise.all(ports.map((port) => probePort(port)));
		if (results.every((result) => result === undefined)) return base;
	}
	return undefined;
}

/**
 * Probes every port of `./dev start`. Resolves to undefined when all are free (or held by process
 * `ignorePid`), else to the one line to print: each taken port, what holds it when that can be
 * told, and a command line with settings whose ports were just found free.
 */
async function checkStartPorts(env = process.env, { ignorePid } = {}) {
	const { n8nPort, brokerPort, sandboxBasePort, bindings } = startPorts(env);
	const results = await Promise.all(bindings.map(({ port }) => probePort(port)));
	const taken = bindings
		.map((binding, i) => {
			const code = results[i];
			const holder = code === 'EADDRINUSE' ? portHolder(binding.port) : undefined;
			return { ...binding, code, holder };
		})
		.filter(({ code, holder }) => code !== undefined && !(holder && holder.pid === ignorePid));
	if (taken.length === 0) return undefined;

	// Ports one process holds are named together: a running `./dev start` holds all seven.
	const groups = new Map();
	for (const binding of taken) {
		const key = binding.holder ? `pid ${binding.holder.pid}` : `${binding.port}`;
		if (!groups.has(key)) groups.set(key, []);
		groups.get(key).push(binding);
	}
	const described = [...groups.values()].map((bindings) => {
		const { holder, code } = bindings[0];
		const by = holder
			? `; held by pid ${holder.pid}${holder.command ? ` ${holder.command}` : ''}`
			: '';
		const why = code === 'EADDRINUSE' ? '' : `; ${code}`;
		const ports = bindings.map(({ port }) => port).join(', ');
		return `${ports} (${bindings.map(({ what }) => what).join(', ')}${by}${why})`;
	});
	const settings = new Map();
	for (const name of ['ESIGN_SANDBOX_PORT', 'N8N_PORT', 'N8N_VERSION'])
		if (env[name]?.trim()) settings.set(name, env[name].trim());
	const busy = new Set(taken.map(({ setting }) => setting));
	const sandboxOffsets = SANDBOX_SERVERS.map((server) => server.offset);
	const chosen = new Set(bindings.map(({ port }) => port));
	if (busy.has('ESIGN_SANDBOX_PORT')) {
		const base = await freeBase(sandboxBasePort, sandboxOffsets, new Set([n8nPort, brokerPort]));
		if (base !== undefined) {
			settings.set('ESIGN_SANDBOX_PORT', String(base));
			for (const offset of sandboxOffsets) chosen.add(base + offset);
		}
	}
	if (busy.has('N8N_PORT')) {
		const port = await freeBase(n8nPort, [0, BROKER_PORT_DISTANCE], chosen);
		if (port !== undefined) settings.set('N8N_PORT', String(port));
	}
	const command = [...settings].map(([name, value]) => `${name}=${value}`).join(' ');
	const noun = taken.length === 1 ? 'port' : 'ports';
	const verb = taken.length === 1 ? 'is' : 'are';
	return (
		`./dev start: ${noun} ${described.join(', ')} ${verb} already in use; ` +
		`choose other ports, e.g. ${command} ./dev start (README: "Ports")`
	);
}

module.exports = {
	DEFAULT_N8N_PORT,
	PortSettingError,
	checkStartPorts,
	portHolder,
	probePort,
	startPorts,
};

if (require.main === module) {
	checkStartPorts().then(
		(problem) => {
			if (problem) {
				console.error(problem);
				process.exit(1);
			}
		},
		(error) => {
			console.error(error instanceof PortSettingError ? `./dev start: ${error.message}` : error);
			process.exit(2);
		},
	);
}
