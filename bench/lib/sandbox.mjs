// The vendor sandbox in a child process (test/sandbox/cli.mjs), so its CPU and memory are not
// counted as ours, with its control API (/__faults, /__requests, /__signings…).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../scripts/lib/n8n.mjs';

export const TOKEN = 'example-dokobit-token';

export async function startBenchSandbox({
	options = {},
	timeScale = 0.001,
	vendors = ['dokobit'],
} = {}) {
	const child = spawn(
		process.execPath,
		[
			path.join(ROOT, 'test', 'sandbox', 'cli.mjs'),
			`--vendor=${vendors.join(',')}`,
			'--port=0',
			`--time-scale=${timeScale}`,
			`--options=${JSON.stringify(options)}`,
			'--exit-with-parent',
		],
		{ stdio: ['pipe', 'pipe', 'inherit'] },
	);
	// It exits by itself when we do (--exit-with-parent: its stdin closes); one that does not come
	// up is killed here.
	const urls = await new Promise((resolve, reject) => {
		const fail = (error) => {
			clearTimeout(timer);
			child.kill('SIGKILL');
			reject(error);
		};
		const timer = setTimeout(() => fail(new Error('sandbox did not start in 60s')), 60_000);
		let buffer = '';
		child.stdout.on('data', (chunk) => {
			buffer += chunk.toString('utf8');
			if (!buffer.includes('\n')) return;
			clearTimeout(timer);
			try {
				resolve(JSON.parse(buffer.split('\n')[0]));
			} catch {
				fail(new Error(`sandbox printed ${buffer.split('\n')[0]}`));
			}
		});
		child.once('error', fail);
		child.once('exit', (code) => fail(new Error(`sandbox exited with ${code}`)));
	});
	const url = urls.dokobit;
	async function control(method, pathname, body, base = url) {
		const response = await fetch(`${base}${pathname}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		return text ? JSON.parse(text) : undefined;
	}
	/** An API call as a client would make it (token in the query string). */
	async function api(method, pathname, body) {
		const response = await fetch(`${url}${pathname}?access_token=${TOKEN}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const json = await response.json();
		if (!response.ok || json.status === 'error')
			throw new Error(`${method} ${pathname} → ${response.status} ${JSON.stringify(json)}`);
		return json;
	}
	return {
		url,
		urls,
		pid: child.pid,
		control,
		api,
		async close() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
			await exited;
			clearTimeout(timer);
		},
	};
}
