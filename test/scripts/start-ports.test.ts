/* eslint-disable @typescript-eslint/no-require-imports, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions */
// `./dev start`'s ports: the check that runs before anything installs (a real listener on a real
// port, found through /proc), `./dev help`, and the example workflows pointed at the ports chosen.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

interface Binding {
	port: number;
	what: string;
	setting: string;
}
interface PortsLib {
	PortSettingError: new (message: string) => Error;
	startPorts(env: Record<string, string | undefined>): {
		n8nPort: number;
		brokerPort: number;
		sandboxBasePort: number;
		bindings: Binding[];
	};
	probePort(port: number): Promise<string | undefined>;
	portHolder(port: number): { pid: number; command: string } | undefined;
	checkStartPorts(
		env: Record<string, string | undefined>,
		options?: { ignorePid?: number },
	): Promise<string | undefined>;
}
type Origins = Record<string, string>;
interface ExamplesLib {
	EXAMPLE_ORIGINS: Origins;
	pointExamplesAt(text: string, origins: Origins, from?: Origins): string;
	originsDiffer(a: Origins, b: Origins): boolean;
}

const ROOT = path.resolve(__dirname, '..', '..');
const ports = require('../../scripts/lib/ports.cjs') as PortsLib;
const examples = require('../../scripts/lib/examples.cjs') as ExamplesLib;

/** Listens on a port the system picks; resolves to the server and its port. */
async function listener(): Promise<{ server: net.Server; port: number }> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { server, port: (server.address() as net.AddressInfo).port };
}

/** A port where it and the one 1000 above are both free now (an N8N_PORT for the tests). */
async function freeN8nPort(): Promise<number> {
	for (let port = 20_000; port < 30_000; port += 7) {
		if (
			(await ports.probePort(port)) === undefined &&
			(await ports.probePort(port + 1000)) === undefined
		)
			return port;
	}
	throw new Error('no free port pair between 20000 and 31000');
}

/** Runs a command in a process group of its own, killed with its children if it overruns. */
async function run(
	command: string,
	args: string[],
	env: Record<string, string>,
	timeoutMs = 30_000,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
	const started = Date.now();
	const child = spawn(command, args, {
		cwd: ROOT,
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), timeoutMs);
	const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
	clearTimeout(timer);
	return { code, stdout, stderr, ms: Date.now() - started };
}

describe('the ports ./dev start binds', () => {
	it('are n8n, its task broker and the five sandbox servers, moved by N8N_PORT and ESIGN_SANDBOX_PORT', () => {
		const defaults = ports.startPorts({});
		expect(defaults.bindings.map((b) => b.port)).toEqual([
			5678, 6678, 4101, 4102, 4103, 4104, 4105,
		]);
		const moved = ports.startPorts({ N8N_PORT: '5700', ESIGN_SANDBOX_PORT: '4200' });
		expect(moved.bindings.map((b) => `${b.setting} ${b.port}`)).toEqual([
			'N8N_PORT 5700',
			'N8N_PORT 6700',
			'ESIGN_SANDBOX_PORT 4201',
			'ESIGN_SANDBOX_PORT 4202',
			'ESIGN_SANDBOX_PORT 4203',
			'ESIGN_SANDBOX_PORT 4204',
			'ESIGN_SANDBOX_PORT 4205',
		]);
	});

	it.each([
		['N8N_PORT', 'abc'],
		['N8N_PORT', '0'],
		['N8N_PORT', '65000'], // its task broker would be above 65535
		['ESIGN_SANDBOX_PORT', '5.5'],
		['ESIGN_SANDBOX_PORT', '65533'],
	])('refuses %s=%s, naming it', (name, value) => {
		expect(() => ports.startPorts({ [name]: value })).toThrow(ports.PortSettingError);
		expect(() => ports.startPorts({ [name]: value })).toThrow(`${name}=${value} is not a port`);
	});

	it('finds a taken port by binding it, and the process that listens on it through /proc', async () => {
		const { server, port } = await listener();
		try {
			expect(await ports.probePort(port)).toBe('EADDRINUSE');
			const holder = ports.portHolder(port);
			expect(holder?.pid).toBe(process.pid);
			expect(holder?.command).toMatch(/node|jest/);
		} finally {
			await new Promise((resolve) => server.close(resolve));
		}
		expect(await ports.probePort(port)).toBeUndefined();
		expect(ports.portHolder(port)).toBeUndefined();
	});
});

describe('the port check', () => {
	let server: net.Server;
	let held: number;
	let env: Record<string, string>;

	beforeAll(async () => {
		({ server, port: held } = await listener());
		// The sandbox base one below the held port: the Dokobit emulator would listen on it.
		env = { ESIGN_SANDBOX_PORT: String(held - 1), N8N_PORT: String(await freeN8nPort()) };
	});
	afterAll(async () => await new Promise((resolve) => server.close(resolve)));

	it('names the taken port, what it is for, who holds it, and settings with free ports', async () => {
		const line = await ports.checkStartPorts(env);
		expect(line).toBeDefined();
		expect(line).not.toContain('\n');
		expect(line).toContain(`${held} (Dokobit sandbox; held by pid ${process.pid} `);
		// The N8N_PORT given is kept; the sandbox moves to a base whose five ports are free.
		const suggestion = /e\.g\. ESIGN_SANDBOX_PORT=(\d+) N8N_PORT=(\d+) \.\/dev start/.exec(line!);
		expect(suggestion?.[2]).toBe(env.N8N_PORT);
		const base = Number(suggestion![1]);
		expect(base % 100).toBe(0);
		expect(base).toBeGreaterThan(held - 1);
		for (const offset of [1, 2, 3, 4, 5])
			expect(await ports.probePort(base + offset)).toBeUndefined();
	});

	it('leaves out ports this process holds itself (its own sandbox, once started)', async () => {
		expect((await ports.checkStartPorts(env, { ignorePid: process.pid })) ?? '').not.toContain(
			`${held} (`,
		);
	});

	it('stops `./dev start` within seconds, before it installs anything, with that one line', async () => {
		const result = await run(path.join(ROOT, 'dev'), ['start'], env);
		expect(result.code).toBe(1);
		expect(result.ms).toBeLessThan(20_000);
		expect(result.stdout).toBe('');
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toContain(`./dev start: port ${held} (Dokobit sandbox; held by pid`);
		expect(result.stderr).toMatch(/choose other ports, e\.g\. ESIGN_SANDBOX_PORT=\d+ N8N_PORT=/);
	});

	it('refuses a setting that is not a port in one line', async () => {
		const result = await run(path.join(ROOT, 'dev'), ['start'], { ...env, N8N_PORT: 'x' });
		expect(result.code).toBe(2);
		expect(result.stderr.trim()).toBe(
			'./dev start: N8N_PORT=x is not a port number (1–64535); unset it for the default 5678',
		);
	});
});

describe('./dev help', () => {
	it.each([['help'], ['--help'], ['-h']])('`./dev %s` prints the usage', async (argument) => {
		const result = await run(path.join(ROOT, 'dev'), [argument], {});
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^usage: \.\/dev start \| \.\/dev test/);
		expect(result.stdout).toContain('ESIGN_SANDBOX_PORT');
	});
});

describe('the example workflows on other ports', () => {
	const dir = path.join(ROOT, 'examples');
	const files = fs.readdirSync(dir).filter((file) => file.endsWith('.json'));
	const texts = files.map((file) => fs.readFileSync(path.join(dir, file), 'utf8'));
	const DEFAULT_ORIGIN = /http:\/\/127\.0\.0\.1:(4101|4102|4103|4104|4105|5678)(?!\d)/g;
	const moved = {
		n8n: 'http://127.0.0.1:5700',
		dokobit: 'http://127.0.0.1:4201',
		okdokument: 'http://127.0.0.1:4202',
		documentolog: 'http://127.0.0.1:4203',
		mail: 'http://127.0.0.1:4204',
	};

	it('name the default ports, and stay as they are on them', () => {
		expect(texts.join('\n').match(DEFAULT_ORIGIN)?.length).toBeGreaterThan(20);
		for (const text of texts)
			expect(examples.pointExamplesAt(text, examples.EXAMPLE_ORIGINS)).toBe(text);
	});

	it('name only the chosen ports once pointed at them, each origin where its default was', () => {
		for (const text of texts) {
			const pointed = examples.pointExamplesAt(text, moved);
			expect(pointed.match(DEFAULT_ORIGIN)).toBeNull();
			const expected = text.replace(DEFAULT_ORIGIN, (_, port: string) => {
				const name = { 4101: 'dokobit', 4102: 'okdokument', 4103: 'documentolog', 4104: 'mail' }[
					port
				] as keyof typeof moved | undefined;
				return moved[name ?? 'n8n'];
			});
			expect(pointed).toBe(expected);
			expect(() => JSON.parse(pointed)).not.toThrow();
		}
		const upload = JSON.parse(
			examples.pointExamplesAt(
				fs.readFileSync(path.join(dir, 'dokobit-upload-create-get-urls.json'), 'utf8'),
				moved,
			),
		) as { nodes: Array<{ parameters: { fileUrl?: string } }> };
		expect(upload.nodes.find((node) => node.parameters.fileUrl)?.parameters.fileUrl).toBe(
			'http://127.0.0.1:4201/__files/sample.pdf',
		);
	});

	it('move again from the ports of an earlier start, leaving other URLs alone', () => {
		const text =
			'http://127.0.0.1:4201/__files/a.pdf http://localhost:5700/webhook/x ' +
			'http://127.0.0.1:42010/ http://127.0.0.1:4101/ http://example.com:4201/';
		const again = { ...moved, dokobit: 'http://127.0.0.1:4301', n8n: 'http://127.0.0.1:5800/' };
		expect(examples.pointExamplesAt(text, again, moved)).toBe(
			'http://127.0.0.1:4301/__files/a.pdf http://127.0.0.1:5800/webhook/x ' +
				'http://127.0.0.1:42010/ http://127.0.0.1:4101/ http://example.com:4201/',
		);
		expect(examples.originsDiffer(moved, { ...moved })).toBe(false);
		expect(examples.originsDiffer(moved, again)).toBe(true);
	});
});
