// The action nodes as tools of n8n's MCP Server Trigger in a real n8n, driven by a client built
// on the official MCP SDK over both transports n8n offers (Streamable HTTP and SSE).
import { randomUUID } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { DokobitGateway } from '../../nodes/DokobitGateway/DokobitGateway.node';
import { dokobitCreateFromAI, fromAI, packageToolDescription } from '../helpers/agent';
import { activate, createCredential, createWorkflow, e2eInfo, rest } from '../helpers/n8n';
import { startSandbox, type Sandbox } from '../helpers/sandbox';
import { type McpTransport, callMcpTool, connectMcp } from '../helpers/mcp';

jest.setTimeout(120_000);

const DOKOBIT_TOKEN = 'example-dokobit-token';
const OKDOKUMENT_KEY = 'example-okdokument-key';
const DOCUMENTOLOG_KEY = 'example-documentolog-key';
const BEARER = `mcp-bearer-${randomUUID()}`;
const SENDER = '900101300017';
const RECIPIENT = '900101300811';

let sandbox: Sandbox;
let mcpUrl: string;
const clients: Client[] = [];
/** Every tool result the clients received, to scan for secrets at the end. */
const received: string[] = [];

interface NodeTypeListing {
	name: string;
	version: number | number[];
}

/** The MCP Server Trigger versions this n8n offers (2 and up serve SSE and Streamable HTTP). */
async function mcpTriggerVersions(): Promise<number[]> {
	const types = await rest<NodeTypeListing[]>('GET', '/types/nodes.json');
	return types
		.filter((type) => type.name === '@n8n/n8n-nodes-langchain.mcpTrigger')
		.flatMap((type) => (Array.isArray(type.version) ? type.version : [type.version]));
}

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit', 'okdokument', 'documentolog']);
	const versions = await mcpTriggerVersions();
	// Version 2 serves both transports on one path; 1.x splits them (/sse, /messages).
	expect(versions).toContain(2);
	const [dokobit, okdokument, documentolog, bearer] = await Promise.all([
		createCredential('Dokobit (mcp)', 'dokobitGatewayApi', {
			environment: 'custom',
			baseUrl: sandbox.url('dokobit'),
			accessToken: DOKOBIT_TOKEN,
		}),
		createCredential('OKdokument (mcp)', 'okDokumentApi', {
			environment: 'custom',
			baseUrl: sandbox.url('okdokument'),
			apiKey: OKDOKUMENT_KEY,
		}),
		createCredential('Documentolog (mcp)', 'documentologApi', {
			host: 'custom',
			baseUrl: sandbox.url('documentolog'),
			apiKey: DOCUMENTOLOG_KEY,
		}),
		createCredential('MCP bearer', 'httpBearerAuth', { token: BEARER }),
	]);
	const path = `esign-${randomUUID()}`;
	const tools: Array<Record<string, unknown>> = [
		{
			name: 'Create signing',
			type: 'n8n-nodes-esign.dokobitGatewayTool',
			parameters: { ...dokobitCreateFromAI, operation: 'create' },
			credentials: { dokobitGatewayApi: dokobit },
		},
		{
			name: 'Get signing status',
			type: 'n8n-nodes-esign.dokobitGatewayTool',
			parameters: {
				resource: 'signing',
				operation: 'getStatus',
				signingToken: fromAI('token', 'Signing token'),
			},
			credentials: { dokobitGatewayApi: dokobit },
		},
		{
			name: 'Send and wait',
			type: 'n8n-nodes-esign.dokobitGatewayTool',
			parameters: { ...dokobitCreateFromAI, operation: 'createAndWait' },
			credentials: { dokobitGatewayApi: dokobit },
		},
		{
			name: 'Create signature request',
			type: 'n8n-nodes-esign.okDokumentTool',
			parameters: {
				resource: 'signatureRequest',
				operation: 'create',
				documentSource: 'upload',
				fileSource: 'url',
				fileUrl: fromAI('fileUrl', 'URL of the PDF to sign'),
				fileName: fromAI('fileName', 'File name, ending in .pdf'),
			},
			credentials: { okDokumentApi: okdokument },
		},
		{
			name: 'Create signing session',
			type: 'n8n-nodes-esign.documentologTool',
			parameters: {
				resource: 'document',
				operation: 'createSigningSession',
				attachmentsFrom: 'urls',
				attachmentUrls: fromAI('fileUrl', 'URL of the file to sign'),
				sender: SENDER,
				recipients: fromAI('recipient', 'IIN (12 digits) of the person who signs'),
			},
			credentials: { documentologApi: documentolog },
		},
	];
	const nodes = [
		{
			id: randomUUID(),
			name: 'MCP Server',
			type: '@n8n/n8n-nodes-langchain.mcpTrigger',
			typeVersion: 2,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: { path, authentication: 'bearerAuth' },
			credentials: { httpBearerAuth: bearer },
		},
		...tools.map((tool, index) => ({
			id: randomUUID(),
			typeVersion: 1,
			position: [160 * index, 220],
			webhookId: randomUUID(),
			...tool,
		})),
	];
	const connections = Object.fromEntries(
		tools.map((tool) => [
			tool.name,
			{ ai_tool: [[{ node: 'MCP Server', type: 'ai_tool', index: 0 }]] },
		]),
	);
	const workflow = await createWorkflow({ name: 'e2e mcp server', nodes, connections });
	await activate(workflow);
	mcpUrl = `${e2eInfo().baseUrl}/mcp/${path}`;
});

afterAll(async () => {
	await Promise.all(clients.map(async (client) => await client.close().catch(() => undefined)));
	await sandbox?.close();
});

async function connect(transport: McpTransport): Promise<Client> {
	const client = await connectMcp(mcpUrl, BEARER, transport);
	clients.push(client);
	return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>) {
	const result = await callMcpTool(client, name, args);
	received.push(result.text);
	return result;
}

async function dokobitSignings(name: string) {
	const all = await sandbox.control<Array<{ name: string; token: string }>>(
		'dokobit',
		'GET',
		'/__signings',
	);
	return all.filter((signing) => signing.name === name);
}

const dokobitArguments = (name: string, code = '38001010000') => ({
	name,
	fileUrl: `${sandbox.url('dokobit')}/__files/sample.pdf`,
	signers: [{ id: 'ona', name: 'Ona', surname: 'Onaitė', code }],
});

describe('MCP Server Trigger with the e-signature tools (Streamable HTTP)', () => {
	let client: Client;
	beforeAll(async () => {
		client = await connect('streamable');
	});

	it('lists the tools with descriptions and JSON schemas', async () => {
		const { tools } = await client.listTools();
		received.push(JSON.stringify(tools));
		expect(tools.map((tool) => tool.name).sort()).toEqual([
			'Create_signature_request',
			'Create_signing',
			'Create_signing_session',
			'Get_signing_status',
			'Send_and_wait',
		]);
		const create = tools.find((tool) => tool.name === 'Create_signing')!;
		expect(create.description).toBe(
			packageToolDescription(new DokobitGateway(), 'signing', 'create'),
		);
		expect(create.inputSchema).toMatchObject({
			type: 'object',
			properties: {
				name: { type: 'string', description: 'Title of the document' },
				fileUrl: { type: 'string' },
				signers: expect.any(Object),
			},
			required: expect.arrayContaining(['name', 'fileUrl', 'signers']),
		});
	});

	it('creates exactly one signing with valid arguments and reads it back', async () => {
		const name = `MCP contract ${randomUUID()}`;
		const created = await call(client, 'Create_signing', dokobitArguments(name));
		expect(created.isError).toBe(false);
		const signings = await dokobitSignings(name);
		expect(signings).toHaveLength(1);
		expect(created.text).toContain(signings[0].token);
		expect(created.text).toContain(`${sandbox.url('dokobit')}/signing/`);
		const status = await call(client, 'Get_signing_status', { token: signings[0].token });
		expect(status.isError).toBe(false);
		expect(status.text).toContain('pending');
	});

	it('answers invalid arguments with an error result naming the field; nothing is created', async () => {
		const name = `MCP bad contract ${randomUUID()}`;
		const bad = await call(client, 'Create_signing', dokobitArguments(name, '12345'));
		expect(bad).toEqual({
			isError: true,
			text: expect.stringContaining(
				'Item 0: Signers (JSON) › Signer 1 › code (signers[0].code) "12345" is not a valid LT, EE or FI personal code',
			),
		});
		expect(await dokobitSignings(name)).toHaveLength(0);
		const badRecipient = await call(client, 'Create_signing_session', {
			fileUrl: `${sandbox.url('documentolog')}/__files/contract.pdf`,
			recipient: '12345',
		});
		expect(badRecipient.isError).toBe(true);
		expect(badRecipient.text).toContain('Item 0: Recipients › 1 (recipient[0])');
	});

	it('answers a vendor 404 with an error result', async () => {
		const missing = await call(client, 'Get_signing_status', { token: 'a'.repeat(40) });
		expect(missing.isError).toBe(true);
		expect(missing.text).toMatch(/404|not found/i);
	});

	it('creates on OKdokument and Documentolog', async () => {
		const ok = await call(client, 'Create_signature_request', {
			fileUrl: `${sandbox.url('okdokument')}/__files/sample.pdf`,
			fileName: 'MCP offer.pdf',
		});
		expect(ok.isError).toBe(false);
		expect(ok.text).toContain('signatureRequestId');
		const documentolog = await call(client, 'Create_signing_session', {
			fileUrl: `${sandbox.url('documentolog')}/__files/contract.pdf`,
			recipient: RECIPIENT,
		});
		expect(documentolog.isError).toBe(false);
		expect(documentolog.text).toContain('embedUrl');
	});

	it('refuses Send and Wait, which cannot pause behind MCP, before anything is sent', async () => {
		const name = `MCP wait ${randomUUID()}`;
		await sandbox.control('dokobit', 'DELETE', '/__requests');
		const refused = await call(client, 'Send_and_wait', dokobitArguments(name));
		expect(refused.isError).toBe(true);
		expect(refused.text).toContain('Send and Wait cannot run here');
		expect(await dokobitSignings(name)).toHaveLength(0);
		expect(await sandbox.control<unknown[]>('dokobit', 'GET', '/__requests')).toEqual([]);
	});
});

describe('MCP Server Trigger with the e-signature tools (SSE)', () => {
	it('lists the tools and creates one signing', async () => {
		const client = await connect('sse');
		const { tools } = await client.listTools();
		expect(tools.map((tool) => tool.name)).toContain('Create_signing');
		const name = `MCP SSE contract ${randomUUID()}`;
		const created = await call(client, 'Create_signing', dokobitArguments(name));
		expect(created.isError).toBe(false);
		expect(await dokobitSignings(name)).toHaveLength(1);
	});
});

describe('what reached the MCP client', () => {
	it('holds no credential secret, trigger secret or signed resume URL', () => {
		expect(received.length).toBeGreaterThan(5);
		for (const text of received) {
			for (const secret of [DOKOBIT_TOKEN, OKDOKUMENT_KEY, DOCUMENTOLOG_KEY, BEARER]) {
				expect(text).not.toContain(secret);
			}
			expect(text).not.toMatch(/signature=|esignProof|webhook-waiting/);
		}
	});
});
