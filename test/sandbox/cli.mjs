// The local sandbox of the vendor services.
//   npm run sandbox                          all emulators on 127.0.0.1:4101… (ESIGN_SANDBOX_PORT=4100)
//   node test/sandbox/cli.mjs --vendor=dokobit --port=0 --time-scale=0.001 --options='{"pendingPolls":1}'
// Prints one JSON line {"<vendor>": "<base URL>", …} once listening; stops on SIGINT/SIGTERM or stdin EOF
// when --exit-with-parent is given (test helpers use that so no emulator outlives its test).
import { startDocumentolog } from './documentolog.mjs';
import { startDokobit } from './dokobit.mjs';
import { startMail } from './mail.mjs';
import { startOkDokument } from './okdokument.mjs';
import sandboxLayout from './ports.cjs';

const { DEFAULT_SANDBOX_BASE_PORT, SANDBOX_SERVERS } = sandboxLayout;
const offset = (name) => SANDBOX_SERVERS.find((server) => server.name === name).offset;

export const SANDBOX_VENDORS = [
	{ name: 'dokobit', offset: offset('dokobit'), start: startDokobit },
	{ name: 'okdokument', offset: offset('okdokument'), start: startOkDokument },
	{ name: 'documentolog', offset: offset('documentolog'), start: startDocumentolog },
	// Not a vendor: the SMTP server the business-flow examples mail through, and its mail page.
	{
		name: 'mail',
		offset: offset('mail'),
		start: async ({ port }) =>
			await startMail({ port, smtpPort: port ? port - offset('mail') + offset('smtp') : 0 }),
	},
];

export async function startSandbox({
	basePort = DEFAULT_SANDBOX_BASE_PORT,
	timeScale = 1,
	vendors,
	options = {},
} = {}) {
	const running = [];
	for (const vendor of SANDBOX_VENDORS) {
		if (vendors && !vendors.includes(vendor.name)) continue;
		running.push(
			await vendor.start({ ...options, port: basePort ? basePort + vendor.offset : 0, timeScale }),
		);
	}
	return {
		emulators: Object.fromEntries(running.map((emulator) => [emulator.name, emulator])),
		async close() {
			await Promise.all(running.map((emulator) => emulator.close()));
		},
	};
}

function parseArgs(argv) {
	const args = {};
	for (const arg of argv) {
		const [key, ...rest] = arg.replace(/^--/, '').split('=');
		args[key] = rest.length ? rest.join('=') : true;
	}
	return args;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const sandbox = await startSandbox({
		basePort:
			args.port !== undefined
				? Number(args.port)
				: Number(process.env.ESIGN_SANDBOX_PORT ?? DEFAULT_SANDBOX_BASE_PORT),
		timeScale: args['time-scale'] !== undefined ? Number(args['time-scale']) : 1,
		vendors: args.vendor ? String(args.vendor).split(',') : undefined,
		options: args.options ? JSON.parse(args.options) : {},
	});
	const urls = Object.fromEntries(
		Object.values(sandbox.emulators).map((emulator) => [emulator.name, emulator.baseUrl]),
	);
	console.log(JSON.stringify(urls));
	const stop = async () => {
		await sandbox.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	if (args['exit-with-parent']) {
		process.stdin.resume();
		process.stdin.on('end', stop);
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
