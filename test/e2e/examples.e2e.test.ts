/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
	activate,
	createCredential,
	createWorkflow,
	e2eInfo,
	executeWithCli,
} from '../helpers/n8n';

// A real n8n process; CLI runs start their own n8n instance each.
jest.setTimeout(180_000);

/** The sandbox URL the examples are written for (`./dev start`); e2e emulators use free ports. */
const START_SANDBOX = {
	dokobit: 'http://127.0.0.1:4101',
	okdokument: 'http://127.0.0.1:4102',
	documentolog: 'http://127.0.0.1:4103',
};
const SANDBOX_CREDENTIALS: Record<
	string,
	{ vendor: keyof typeof START_SANDBOX; data: Record<string, string> }
> = {
	dokobitGatewayApi: {
		vendor: 'dokobit',
		data: { environment: 'custom', accessToken: 'example-dokobit-token' },
	},
	okDokumentApi: {
		vendor: 'okdokument',
		data: { environment: 'custom', apiKey: 'example-okdokument-key' },
	},
	documentologApi: {
		vendor: 'documentolog',
		data: { host: 'custom', apiKey: 'example-documentolog-key' },
	},
};

interface ExampleNode {
	type: string;
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
}
interface Example {
	name: string;
	nodes: ExampleNode[];
	connections: unknown;
	settings?: unknown;
}

const examplesDir = path.resolve(__dirname, '..', '..', 'examples');
const examples = fs
	.readdirSync(examplesDir)
	.filter((file) => file.endsWith('.json'))
	.map((file) => ({ file, text: fs.readFileSync(path.join(examplesDir, file), 'utf8') }));

const credentialIds: Record<string, { id: string; name: string }> = {};

async function importExample(
	text: string,
): Promise<{ id: string; versionId: string; example: Example }> {
	let adjusted = text;
	for (const [vendor, url] of Object.entries(START_SANDBOX)) {
		adjusted = adjusted.split(url).join(e2eInfo().sandbox[vendor]);
	}
	const example = JSON.parse(adjusted) as Example;
	for (const node of example.nodes) {
		// Examples carry fixed webhook ids; other suites import the same files into this instance.
		if (node.webhookId) node.webhookId = randomUUID();
		for (const type of Object.keys(node.credentials ?? {})) {
			const spec = SANDBOX_CREDENTIALS[type];
			if (!spec) throw new Error(`no sandbox credential for ${type}`);
			credentialIds[type] ??= await createCredential(`${type} (examples)`, type, {
				...spec.data,
				baseUrl: e2eInfo().sandbox[spec.vendor],
			});
			node.credentials![type] = credentialIds[type];
		}
	}
	const workflow = await createWorkflow({
		name: example.name,
		nodes: example.nodes,
		connections: example.connections,
	});
	return { ...workflow, example };
}

describe('example workflows', () => {
	it('are all valid JSON with a name, nodes and connections', () => {
		expect(examples.length).toBeGreaterThan(0);
		for (const { file, text } of examples) {
			const example = JSON.parse(text) as Example;
			expect({ file, name: typeof example.name }).toEqual({ file, name: 'string' });
			expect(Array.isArray(example.nodes) && example.nodes.length > 1).toBe(true);
		}
	});

	const manual = examples.filter(
		({ text }) =>
			text.includes('n8n-nodes-base.manualTrigger') && !text.includes('"createAndWait"'),
	);
	it.each(manual.map(({ file, text }) => [file, text]))(
		'%s imports and runs against the sandbox',
		async (_file, text) => {
			const { id, example } = await importExample(text);
			const run = (await executeWithCli(id)) as {
				data: { resultData: { error?: { message: string }; runData: Record<string, unknown[]> } };
			};
			expect(run.data.resultData.error).toBeUndefined();
			// Every node of the example ran.
			for (const node of example.nodes as Array<ExampleNode & { name: string }>) {
				expect(Object.keys(run.data.resultData.runData)).toContain(node.name);
			}
		},
	);

	const activatable = examples.filter(
		({ text }) => /Trigger"/.test(text) && !text.includes('manualTrigger'),
	);
	it.each(activatable.map(({ file, text }) => [file, text]))(
		'%s imports and activates',
		async (_file, text) => {
			const workflow = await importExample(text);
			await expect(activate(workflow)).resolves.toBeUndefined();
		},
	);

	it('send-and-wait examples import cleanly (their run is covered by the send-and-wait e2e suite)', async () => {
		for (const { text } of examples.filter(({ text }) => text.includes('"createAndWait"'))) {
			const { id } = await importExample(text);
			expect(id).toBeTruthy();
		}
	});
});
