/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// A deterministic OpenAI-compatible chat model for the agent tests: n8n's OpenAI Chat Model node
// points its credential's Base URL here. Each workflow names its own model id; the test scripts
// what "the model" answers on each turn (tool calls or text), reading the tools n8n offered and the
// tool results it got back. Every request body is recorded, so a test can scan all the model saw.
// Speaks Chat Completions (streamed or not) and the Responses API (OpenAI Chat Model 1.3 default).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

/** A tool as n8n offered it: the name the model calls, its description and JSON schema. */
export interface OfferedTool {
	name: string;
	description: string;
	parameters: { type?: string; properties?: Record<string, unknown>; required?: string[] };
}

/** What a tool call returned to the model, in order of the conversation. */
export interface ToolResult {
	callId: string;
	name: string;
	content: string;
}

export interface Turn {
	/** 0 for the first request of this model id, 1 for the next, … */
	index: number;
	tools: OfferedTool[];
	/** The user's prompt (the last user message). */
	prompt: string;
	/** Every tool result in the conversation so far, oldest first. */
	results: ToolResult[];
	api: 'chat' | 'responses';
	stream: boolean;
}

export type Reply =
	| { toolCalls: Array<{ name: string; arguments: Record<string, unknown> }> }
	| { text: string };

export type Script = (turn: Turn) => Reply;

export interface RecordedRequest {
	model: string;
	path: string;
	/** The raw request body, for scanning what reached the model. */
	body: string;
}

export interface ScriptedModel {
	/** Base URL for the openAiApi credential (`…/v1`). */
	url: string;
	requests: RecordedRequest[];
	/** Registers the script of one model id; returns the id. */
	script(fn: Script, id?: string): string;
	/** The turns a model id was asked, as the script saw them. */
	turns(id: string): Turn[];
	close(): Promise<void>;
}

interface ChatMessage {
	role: string;
	content?: unknown;
	tool_call_id?: string;
	tool_calls?: Array<{ id: string; function: { name: string } }>;
}

interface ResponsesItem {
	type?: string;
	role?: string;
	content?: unknown;
	call_id?: string;
	name?: string;
	output?: unknown;
}

const text = (content: unknown): string => {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		return content
			.map((part: { text?: string }) => (typeof part === 'string' ? part : (part.text ?? '')))
			.join('');
	}
	return content === undefined || content === null ? '' : JSON.stringify(content);
};

function chatTurn(body: Record<string, unknown>): Omit<Turn, 'index'> {
	const messages = (body.messages ?? []) as ChatMessage[];
	const names = new Map<string, string>();
	const results: ToolResult[] = [];
	let prompt = '';
	for (const message of messages) {
		for (const call of message.tool_calls ?? []) names.set(call.id, call.function.name);
		if (message.role === 'user') prompt = text(message.content);
		if (message.role === 'tool') {
			const callId = message.tool_call_id ?? '';
			results.push({ callId, name: names.get(callId) ?? '', content: text(message.content) });
		}
	}
	const tools = ((body.tools ?? []) as Array<{ function: OfferedTool }>).map((tool) => ({
		name: tool.function.name,
		description: tool.function.description ?? '',
		parameters: tool.function.parameters ?? {},
	}));
	return { tools, prompt, results, api: 'chat', stream: body.stream === true };
}

function responsesTurn(body: Record<string, unknown>): Omit<Turn, 'index'> {
	const input = (
		typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : (body.input ?? [])
	) as ResponsesItem[];
	const names = new Map<string, string>();
	const results: ToolResult[] = [];
	let prompt = '';
	for (const item of input) {
		if (item.type === 'function_call' && item.call_id) names.set(item.call_id, item.name ?? '');
		if (item.role === 'user') prompt = text(item.content);
		if (item.type === 'function_call_output') {
			const callId = item.call_id ?? '';
			results.push({ callId, name: names.get(callId) ?? '', content: text(item.output) });
		}
	}
	const tools = ((body.tools ?? []) as Array<OfferedTool & { type: string }>)
		.filter((tool) => tool.type === 'function')
		.map((tool) => ({
			name: tool.name,
			description: tool.description ?? '',
			parameters: tool.parameters ?? {},
		}));
	return { tools, prompt, results, api: 'responses', stream: body.stream === true };
}

const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };

function chatAnswer(model: string, reply: Reply, stream: boolean): { type: string; body: string } {
	const id = `chatcmpl-${randomUUID()}`;
	const created = Math.floor(Date.now() / 1000);
	const toolCalls =
		'toolCalls' in reply
			? reply.toolCalls.map((call, index) => ({
					index,
					id: `call_${randomUUID().replace(/-/g, '')}`,
					type: 'function',
					function: { name: call.name, arguments: JSON.stringify(call.arguments) },
				}))
			: undefined;
	const finish = toolCalls ? 'tool_calls' : 'stop';
	const content = 'text' in reply ? reply.text : null;
	if (!stream) {
		const message = { role: 'assistant', content, ...(toolCalls ? { tool_calls: toolCalls } : {}) };
		const answer = { id, object: 'chat.completion', created, model, usage };
		return {
			type: 'application/json',
			body: JSON.stringify({
				...answer,
				choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
			}),
		};
	}
	const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
		`data: ${JSON.stringify({
			id,
			object: 'chat.completion.chunk',
			created,
			model,
			choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
		})}\n\n`;
	const chunks = [
		chunk(
			toolCalls
				? { role: 'assistant', content: null, tool_calls: toolCalls }
				: { role: 'assistant', content },
			null,
		),
		chunk({}, finish),
		`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`,
		'data: [DONE]\n\n',
	];
	return { type: 'text/event-stream', body: chunks.join('') };
}

function responsesAnswer(
	model: string,
	reply: Reply,
	stream: boolean,
): { type: string; body: string } {
	const id = `resp_${randomUUID().replace(/-/g, '')}`;
	const output =
		'toolCalls' in reply
			? reply.toolCalls.map((call) => ({
					type: 'function_call',
					id: `fc_${randomUUID().replace(/-/g, '')}`,
					call_id: `call_${randomUUID().replace(/-/g, '')}`,
					name: call.name,
					arguments: JSON.stringify(call.arguments),
					status: 'completed',
				}))
			: [
					{
						type: 'message',
						id: `msg_${randomUUID().replace(/-/g, '')}`,
						role: 'assistant',
						status: 'completed',
						content: [{ type: 'output_text', text: reply.text, annotations: [] }],
					},
				];
	const response = {
		id,
		object: 'response',
		created_at: Math.floor(Date.now() / 1000),
		status: 'completed',
		model,
		output,
		usage: { input_tokens: 10, output_tokens: 10, total_tokens: 20 },
	};
	if (!stream) return { type: 'application/json', body: JSON.stringify(response) };
	const event = (type: string, data: Record<string, unknown>) =>
		`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
	const events = [
		event('response.created', { response: { ...response, status: 'in_progress', output: [] } }),
		...output.map((item, index) =>
			event('response.output_item.done', { output_index: index, item }),
		),
		event('response.completed', { response }),
	];
	return { type: 'text/event-stream', body: events.join('') };
}

export async function startScriptedModel(): Promise<ScriptedModel> {
	const scripts = new Map<string, Script>();
	const turns = new Map<string, Turn[]>();
	const requests: RecordedRequest[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			const path = new URL(req.url ?? '/', 'http://model').pathname;
			const send = (status: number, type: string, body: string) => {
				res.writeHead(status, { 'content-type': type });
				res.end(body);
			};
			if (req.method === 'GET' && path.endsWith('/models')) {
				const data = [...scripts.keys()].map((id) => ({ id, object: 'model', owned_by: 'test' }));
				return send(200, 'application/json', JSON.stringify({ object: 'list', data }));
			}
			let body: Record<string, unknown>;
			try {
				body = JSON.parse(raw) as Record<string, unknown>;
			} catch {
				return send(400, 'application/json', '{"error":{"message":"invalid JSON"}}');
			}
			const model = String(body.model ?? '');
			requests.push({ model, path, body: raw });
			const script = scripts.get(model);
			const isChat = path.endsWith('/chat/completions');
			const isResponses = path.endsWith('/responses');
			if (!script || (!isChat && !isResponses)) {
				const message = script ? `no route ${path}` : `no script for model "${model}"`;
				return send(404, 'application/json', JSON.stringify({ error: { message } }));
			}
			const seen = turns.get(model) ?? [];
			const turn: Turn = {
				index: seen.length,
				...(isChat ? chatTurn(body) : responsesTurn(body)),
			};
			seen.push(turn);
			turns.set(model, seen);
			let reply: Reply;
			try {
				reply = script(turn);
			} catch (error) {
				// A script that cannot go on ends the conversation with its reason as the answer.
				reply = { text: `SCRIPT ERROR: ${(error as Error).message}` };
			}
			const answer = isChat
				? chatAnswer(model, reply, turn.stream)
				: responsesAnswer(model, reply, turn.stream);
			send(200, answer.type, answer.body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/v1`,
		requests,
		script(fn, id = `scripted-${randomUUID()}`) {
			scripts.set(id, fn);
			return id;
		},
		turns: (id) => turns.get(id) ?? [],
		async close() {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

/** The offered tool whose name starts with `prefix` (n8n derives tool names from node names). */
export function toolNamed(turn: Turn, prefix: string): OfferedTool {
	const tool = turn.tools.find((candidate) => candidate.name.startsWith(prefix));
	if (!tool) {
		throw new Error(
			`no tool "${prefix}…" offered; got ${turn.tools.map((t) => t.name).join(', ')}`,
		);
	}
	return tool;
}
