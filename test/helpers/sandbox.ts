/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions */
// Starts vendor emulators in a child process (they are plain ESM, outside jest's module system),
// one sandbox per test file, so files can run in parallel without sharing state.
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface Sandbox {
	urls: Record<string, string>;
	url(vendor: string): string;
	control<T = unknown>(
		vendor: string,
		method: string,
		pathname: string,
		body?: unknown,
	): Promise<T>;
	close(): Promise<void>;
}

const CLI = path.resolve(__dirname, '..', 'sandbox', 'cli.mjs');
/** Generous bounds for a loaded machine; each ends with the child killed, never left running. */
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

export async function startSandbox(
	vendors: string[],
	{
		timeScale = 0.001,
		options = {},
	}: { timeScale?: number; options?: Record<string, unknown> } = {},
): Promise<Sandbox> {
	const child = spawn(
		process.execPath,
		[
			CLI,
			`--vendor=${vendors.join(',')}`,
			'--port=0',
			`--time-scale=${timeScale}`,
			`--options=${JSON.stringify(options)}`,
			'--exit-with-parent',
		],
		{ stdio: ['pipe', 'pipe', 'inherit'] },
	);
	// A sandbox that does not come up is killed here: nobody else holds it yet.
	const urls = await new Promise<Record<string, string>>((resolve, reject) => {
		const fail = (error: Error) => {
			clearTimeout(timer);
			child.kill('SIGKILL');
			reject(error);
		};
		const timer = setTimeout(
			() => fail(new Error(`sandbox did not start in ${START_TIMEOUT_MS / 1000}s`)),
			START_TIMEOUT_MS,
		);
		let buffer = '';
		child.stdout.on('data', (chunk: Buffer) => {
			buffer += chunk.toString('utf8');
			if (!buffer.includes('\n')) return;
			clearTimeout(timer);
			try {
				resolve(JSON.parse(buffer.split('\n')[0]) as Record<string, string>);
			} catch {
				fail(new Error(`sandbox printed ${buffer.split('\n')[0]}`));
			}
		});
		child.once('error', fail);
		child.once('exit', (code) => fail(new Error(`sandbox exited with ${code}`)));
	});
	// Up and running, it never keeps jest alive: a sandbox a failed test file did not close (its
	// beforeAll timed out while it started) still exits with jest, when its stdin closes.
	child.unref();
	for (const stream of [child.stdin, child.stdout])
		(stream as unknown as { unref(): void }).unref();
	const url = (vendor: string) => {
		if (!urls[vendor]) throw new Error(`sandbox has no ${vendor} emulator`);
		return urls[vendor];
	};
	return {
		urls,
		url,
		async control<T>(vendor: string, method: string, pathname: string, body?: unknown) {
			const response = await fetch(`${url(vendor)}${pathname}`, {
				method,
				headers: body === undefined ? {} : { 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const text = await response.text();
			return (text ? JSON.parse(text) : undefined) as T;
		},
		async close() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
			await exited;
			clearTimeout(timer);
		},
	};
}

export async function fetchBytes(url: string): Promise<Buffer> {
	const response = await fetch(url);
	return Buffer.from(await response.arrayBuffer());
}
