// Child processes that never outlive their owner, whatever fails. Shared by the scripts (n8n,
// Chromium) and the tests; CommonJS so that both ESM scripts and jest can load it. Linux only:
// processes are found through /proc.
'use strict';

const fs = require('node:fs');

/** Every process we may read: pid, parent, process group and, when readable, its environment. */
function listProcesses() {
	const processes = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			// The command name, in parentheses, may hold spaces: the fields after it are what we need.
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (state === 'Z') continue; // exited, only waiting for its parent to reap it
			let environ = '';
			try {
				environ = fs.readFileSync(`/proc/${entry}/environ`, 'latin1');
			} catch {
				// another user's process
			}
			processes.push({ pid: Number(entry), ppid: Number(ppid), pgid: Number(pgid), environ });
		} catch {
			// gone meanwhile
		}
	}
	return processes;
}

/**
 * Processes whose environment holds `name=value`, and every member of the process groups they
 * lead (Chromium's zygote and renderers carry no environment of their own).
 */
function processesTagged(name, value) {
	const all = listProcesses();
	const entry = `${name}=${value}`;
	const tagged = all.filter(
		(p) => p.pid !== process.pid && `\0${p.environ}`.includes(`\0${entry}\0`),
	);
	const groups = new Set(tagged.filter((p) => p.pgid === p.pid).map((p) => p.pgid));
	return all.filter((p) => tagged.includes(p) || groups.has(p.pgid));
}

/** SIGKILLs what `processesTagged` finds, process groups first; returns what it found. */
function killTagged(name, value) {
	const found = processesTagged(name, value);
	for (const pgid of new Set(found.filter((p) => p.pgid === p.pid).map((p) => p.pgid)))
		signal(-pgid, 'SIGKILL');
	for (const p of found) signal(p.pid, 'SIGKILL');
	return found;
}

function signal(pid, name) {
	try {
		process.kill(pid, name);
		return true;
	} catch {
		return false; // already gone
	}
}

const sleep = async (ms) => await new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds (true) or `timeoutMs` passed (false). */
async function until(condition, { timeoutMs, everyMs = 100 }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await condition()) return true;
		if (Date.now() > deadline) return false;
		await sleep(everyMs);
	}
}

// ----- process groups that die with this process -------------------------------------------

/** Children started with `detached: true` (each leads its own process group) that we own. */
const groups = new Map();
let hooked = false;

function killGroups() {
	for (const pid of groups.keys()) signal(-pid, 'SIGKILL');
	groups.clear();
}

/**
 * On a signal nobody else handles, kill the groups and die of that signal as if we had not
 * listened; where the program has its own handler (e.g. `./dev start` stops n8n gently), it
 * decides, and the 'exit' hook takes whatever it left.
 */
function onSignal(name) {
	if (process.listenerCount(name) > 1) return;
	killGroups();
	process.removeListener(name, onSignal);
	process.kill(process.pid, name);
}

/**
 * Registers the process group led by `pid` (a child spawned with `detached: true`, which a
 * signal to our own group no longer reaches): it is SIGKILLed when this process exits or is
 * stopped by SIGINT, SIGTERM or SIGHUP. Inside a jest test file `process` is jest's copy,
 * whose events never fire: there the test's afterAll must stop its processes.
 */
function ownGroup(pid, name) {
	groups.set(pid, name);
	if (hooked) return;
	hooked = true;
	process.on('exit', killGroups);
	for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(name, onSignal);
}

/** SIGKILLs the group led by `pid` (what is left of a stopped child: n8n's task runner…). */
function killGroup(pid) {
	groups.delete(pid);
	return signal(-pid, 'SIGKILL');
}

module.exports = {
	killGroup,
	killTagged,
	ownGroup,
	processesTagged,
	until,
};
