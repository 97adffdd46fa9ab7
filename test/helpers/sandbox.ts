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
	const urls = await new Promise<Record<string, string>>((resolve, reject) => {
		let buffer = '';
		child.stdout.on('data', (chunk: Buffer) => {
			buffer += chunk.toString('utf8');
			const line = buffer.split('\n')[0];
			if (buffer.includes('\n')) resolve(JSON.parse(line) as Record<string, string>);
		});
		child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
	});
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
			if (child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		},
	};
}

export async function fetchBytes(url: string): Promise<Buffer> {
	const response = await fetch(url);
	return Buffer.from(await response.arrayBuffer());
}
