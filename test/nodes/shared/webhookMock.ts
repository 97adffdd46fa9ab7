/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// Hand-built IWebhookFunctions (the way n8n core's trigger tests build theirs), plus a loopback
// HTTP receiver that turns each real request, e.g. an emulator's postback, into one webhook() call.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
	IBinaryData,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeType,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { credentialHttp } from '../../helpers/credentialHttp';

interface RecordedResponse {
	statusCode: number;
	body: unknown;
	headers: Record<string, string>;
	written: boolean;
}

interface MockRequest {
	method?: string;
	headers?: Record<string, string | string[] | undefined>;
	query?: Record<string, unknown>;
	/** What n8n's body parser would hand the node (`getBodyData()`). */
	body?: unknown;
	rawBody?: Buffer;
}

export interface MockWebhookOptions extends MockRequest {
	parameters?: Record<string, unknown>;
	mode?: 'webhook' | 'manual';
	staticData?: IDataObject;
	credentials?: Record<string, IDataObject>;
	/**
	 * httpRequestWithAuthentication; defaults to a real HTTP call with the named credential's own
	 * `authenticate` applied to `credentials` (test/helpers/credentialHttp.ts).
	 */
	http?: (credentialType: string, options: IHttpRequestOptions) => Promise<unknown>;
	node?: Partial<INode>;
	/** Scopes the trigger's in-memory dedupe copy; random unless given. */
	workflowId?: string;
	/** The waiting execution a resume call is for. */
	execution?: MockExecution;
}

export interface MockExecution {
	/** `getExecutionId()`; 'exec-1' unless given. */
	id?: string;
	/** The execution's custom data as the waiting execution saved it. */
	customData?: Record<string, string>;
	/**
	 * 'native': `this.customData`, as n8n-core 2.16 and later offer it. 'additionalKeys': no
	 * `customData` on the context (n8n before 2.16), only the `$execution` n8n-core builds for it.
	 */
	customDataApi?: 'native' | 'additionalKeys';
}

export interface MockWebhook {
	ctx: IWebhookFunctions;
	response: RecordedResponse;
	staticData: IDataObject;
	logs: Array<{ level: string; message: string; meta?: unknown }>;
	requests: IHttpRequestOptions[];
}

async function toBuffer(data: Buffer | NodeJS.ReadableStream): Promise<Buffer> {
	if (Buffer.isBuffer(data)) return data;
	const chunks: Buffer[] = [];
	for await (const chunk of data) chunks.push(Buffer.from(chunk as Buffer));
	return Buffer.concat(chunks);
}

export function mockWebhookFunctions(options: MockWebhookOptions = {}): MockWebhook {
	const parameters = options.parameters ?? {};
	const staticData = options.staticData ?? {};
	const credentials = options.credentials ?? {};
	const logs: MockWebhook['logs'] = [];
	const requests: IHttpRequestOptions[] = [];
	const response: RecordedResponse = {
		statusCode: 200,
		body: undefined,
		headers: {},
		written: false,
	};
	const res = {
		get headersSent() {
			return response.written;
		},
		setHeader(name: string, value: string) {
			response.headers[name.toLowerCase()] = value;
			return res;
		},
		status(code: number) {
			response.statusCode = code;
			return res;
		},
		json(body: unknown) {
			response.body = body;
			response.written = true;
			return res;
		},
		send(body: unknown) {
			response.body = body;
			response.written = true;
			return res;
		},
		end() {
			response.written = true;
			return res;
		},
	};
	const headers = options.headers ?? { 'content-type': 'application/json' };
	const req = {
		method: options.method ?? 'POST',
		headers,
		query: options.query ?? {},
		body: options.body,
		rawBody: options.rawBody,
	};
	const node: INode = {
		id: 'trigger',
		name: 'Trigger',
		type: 'n8n-nodes-esign.trigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INode['parameters'],
		...options.node,
	};
	const log =
		(level: string) =>
		(message: string, meta?: unknown): void => {
			logs.push({ level, message, meta });
		};
	const workflowId = options.workflowId ?? `wf-${randomUUID()}`;
	const customData = { ...(options.execution?.customData ?? {}) };
	const customDataApi = {
		get: (key: string) => customData[key],
		getAll: () => ({ ...customData }),
		set: (key: string, value: string) => (customData[key] = value),
		setAll: (values: Record<string, string>) => Object.assign(customData, values),
	};
	const executionData =
		options.execution?.customDataApi === 'additionalKeys'
			? { additionalKeys: { $execution: { id: options.execution.id, customData: customDataApi } } }
			: { customData: customDataApi };
	const ctx = {
		...executionData,
		getExecutionId: () => options.execution?.id ?? 'exec-1',
		getNode: () => node,
		getWorkflow: () => ({ id: workflowId, name: 'test', active: true }),
		getMode: () => options.mode ?? 'webhook',
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		getBodyData: () => options.body as IDataObject,
		getHeaderData: () => headers,
		getQueryData: () => options.query ?? {},
		getRequestObject: () => req,
		getResponseObject: () => res,
		getWorkflowStaticData: () => staticData,
		getCredentials: async (type: string) => {
			if (!credentials[type]) throw new Error(`No credentials of type ${type}`);
			return { ...credentials[type] };
		},
		getExecutionCancelSignal: () => undefined,
		getNodeWebhookUrl: () => 'http://127.0.0.1:5678/webhook/abc/webhook',
		logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
		helpers: {
			async httpRequestWithAuthentication(type: string, request: IHttpRequestOptions) {
				requests.push(request);
				return await (options.http ?? credentialHttp(credentials))(type, request);
			},
			async prepareBinaryData(
				data: Buffer | NodeJS.ReadableStream,
				fileName?: string,
				mimeType?: string,
			): Promise<IBinaryData> {
				const bytes = await toBuffer(data);
				return {
					data: bytes.toString('base64'),
					fileName,
					mimeType: mimeType ?? 'application/octet-stream',
					fileSize: String(bytes.length),
				};
			},
			returnJsonArray: (items: IDataObject | IDataObject[]) =>
				(Array.isArray(items) ? items : [items]).map((json) => ({ json })),
		},
	};
	return { ctx: ctx as unknown as IWebhookFunctions, response, staticData, logs, requests };
}

/** Like express's query parser: a repeated key becomes a list. */
function expressQuery(params: URLSearchParams): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const key of new Set(params.keys())) {
		const values = params.getAll(key);
		out[key] = values.length === 1 ? values[0] : values;
	}
	return out;
}

export interface Delivery {
	method: string;
	path: string;
	query: Record<string, string | string[]>;
	headers: http.IncomingHttpHeaders;
	body: unknown;
	response: RecordedResponse;
	result?: IWebhookResponseData;
	error?: unknown;
	logs: MockWebhook['logs'];
	/**
	 * True once webhook() has returned (or thrown) and the receiver has answered or cut the request.
	 * Not the same as `response.written`: a node may answer first and download after (Send and Wait
	 * does), so `result` comes later. The request is recorded on arrival, before either.
	 */
	settled: boolean;
}

export interface WebhookReceiver {
	url: string;
	deliveries: Delivery[];
	/** Deliveries that started an execution, in arrival order. */
	executions(): Delivery[];
	/**
	 * Resolves with all deliveries once at least `count` have settled. Wait on this, not on
	 * `deliveries.length` or `response.written`, before reading results or executions.
	 */
	settled(count: number): Promise<Delivery[]>;
	/** Runs webhook() but then cuts the connection instead of answering, `times` times. */
	dropResponses(times: number): void;
	/** The workflow's static data as n8n would store it between requests. */
	staticData: IDataObject;
	/** Changes the context of the following requests (node parameters, mode, credentials). */
	configure(changes: Partial<ReceiverOptions>): void;
	close(): Promise<void>;
}

/**
 * Serves POSTs on loopback and hands each to `nodeType.webhook()` through a fresh mock context.
 * Static data survives between requests through a JSON round trip, as it does through n8n's DB.
 */
export type ReceiverOptions = Omit<MockWebhookOptions, keyof MockRequest | 'staticData'>;

export async function startWebhookReceiver(
	nodeType: INodeType,
	initial: ReceiverOptions,
): Promise<WebhookReceiver> {
	let options: ReceiverOptions = { workflowId: `wf-${randomUUID()}`, ...initial };
	const deliveries: Delivery[] = [];
	let stored: IDataObject = {};
	let drops = 0;
	/** Re-checked whenever a delivery settles. */
	const waiters = new Set<() => void>();

	/** webhook() through `mock`, then the answer it chose (or a cut connection, or a 500). */
	async function handle(
		delivery: Delivery,
		mock: MockWebhook,
		req: http.IncomingMessage,
		res: http.ServerResponse,
	): Promise<void> {
		try {
			delivery.result = await nodeType.webhook!.call(mock.ctx);
			stored = JSON.parse(JSON.stringify(mock.staticData)) as IDataObject;
		} catch (error) {
			delivery.error = error;
			res.writeHead(500, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({ message: 'Workflow Webhook Error: Workflow could not be started!' }),
			);
			return;
		}
		if (drops > 0) {
			drops--;
			req.socket.destroy();
			return;
		}
		if (!mock.response.written) {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ message: 'Webhook call received' }));
			return;
		}
		res.writeHead(mock.response.statusCode, {
			'content-type': 'application/json',
			...mock.response.headers,
		});
		res.end(JSON.stringify(mock.response.body));
	}

	const server = http.createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks);
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const contentType = String(req.headers['content-type'] ?? '')
			.split(';')[0]
			.trim();
		let body: unknown = {};
		if (contentType === 'application/json' && rawBody.length) {
			try {
				body = JSON.parse(rawBody.toString('utf8'));
			} catch {
				res.writeHead(422).end('{"message":"Failed to parse request body"}');
				return;
			}
		} else if (contentType === 'text/plain') body = rawBody.toString('utf8');
		const staticData = JSON.parse(JSON.stringify(stored)) as IDataObject;
		const mock = mockWebhookFunctions({
			...options,
			method: req.method,
			headers: req.headers as Record<string, string>,
			query: expressQuery(url.searchParams),
			body,
			rawBody,
			staticData,
		});
		const delivery: Delivery = {
			method: req.method ?? '',
			path: url.pathname,
			query: expressQuery(url.searchParams),
			headers: req.headers,
			body,
			response: mock.response,
			logs: mock.logs,
			settled: false,
		};
		deliveries.push(delivery);
		await handle(delivery, mock, req, res);
		delivery.settled = true;
		for (const wake of [...waiters]) wake();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		deliveries,
		executions: () => deliveries.filter((delivery) => delivery.result?.workflowData !== undefined),
		settled: async (count: number) =>
			await new Promise<Delivery[]>((resolve) => {
				const check = () => {
					if (deliveries.filter((delivery) => delivery.settled).length < count) return;
					waiters.delete(check);
					resolve(deliveries);
				};
				waiters.add(check);
				check();
			}),
		dropResponses(times: number) {
			drops = times;
		},
		get staticData() {
			return stored;
		},
		configure(changes: Partial<ReceiverOptions>) {
			options = { ...options, ...changes };
		},
		async close() {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
