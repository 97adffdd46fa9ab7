// An MCP client (the official SDK) for n8n's MCP Server Trigger, over either transport it serves.
/* eslint-disable import-x/no-unresolved -- the SDK's subpaths resolve through its "exports" map */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { sleep } from './n8n';

export type McpTransport = 'streamable' | 'sse';

/**
 * Connects with a bearer token, retrying while n8n registers the activated trigger's webhooks.
 * Streamable HTTP POSTs to the URL; SSE opens a GET stream on it (trigger version 2 and later).
 */
export async function connectMcp(
	url: string,
	bearer: string,
	transport: McpTransport = 'streamable',
): Promise<Client> {
	const authorization = { authorization: `Bearer ${bearer}` };
	const deadline = Date.now() + 20_000;
	let failure = '';
	while (Date.now() < deadline) {
		const client = new Client({ name: 'esign-e2e', version: '1.0.0' });
		const connected = await client
			.connect(
				transport === 'streamable'
					? new StreamableHTTPClientTransport(new URL(url), {
							requestInit: { headers: authorization },
						})
					: new SSEClientTransport(new URL(url), {
							requestInit: { headers: authorization },
							eventSourceInit: {
								fetch: async (input, init) =>
									await fetch(input, {
										...init,
										headers: { ...(init?.headers as Record<string, string>), ...authorization },
									}),
							},
						}),
			)
			.then(
				() => true,
				(error: Error) => {
					failure = error.message;
					return false;
				},
			);
		if (connected) return client;
		await client.close().catch(() => undefined);
		await sleep(300);
	}
	throw new Error(`could not connect over ${transport}: ${failure}`);
}

export interface McpCallResult {
	isError: boolean;
	/** The text parts of the result, joined. */
	text: string;
}

export async function callMcpTool(
	client: Client,
	name: string,
	args: Record<string, unknown>,
): Promise<McpCallResult> {
	const result = (await client.callTool({ name, arguments: args })) as {
		isError?: boolean;
		content: Array<{ type: string; text?: string }>;
	};
	return {
		isError: result.isError === true,
		text: result.content.map((part) => part.text ?? '').join('\n'),
	};
}
