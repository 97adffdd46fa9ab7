// Runs workflows through n8n-core's real execution engine (WorkflowExecute) with our node classes,
// against the sandbox emulators over real HTTP on loopback.
import { randomUUID } from 'crypto';
import {
	ExecutionLifecycleHooks,
	HookContext,
	PollContext,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsHelper,
	IConnections,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	ICredentialType,
	IWebhookData,
	IWebhookResponseData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { applyCredentialAuth } from './credentialAuth';

/** Emits the given items: the start of every test workflow. */
export class FixtureStart implements INodeType {
	description = {
		displayName: 'Fixture Start',
		name: 'fixtureStart',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	} as unknown as INodeType['description'];

	async execute(this: import('n8n-workflow').IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | INodeExecutionData[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as INodeExecutionData[];
		return [items.map((item, index) => ({ ...item, pairedItem: { item: index } }))];
	}
}

/** n8n's credentials helper, as the engine sees it: the given credentials, applied like n8n. */
function engineCredentialsHelper(
	credentialTypes: Record<string, ICredentialType>,
	credentials: Record<string, ICredentialDataDecryptedObject>,
): ICredentialsHelper {
	return {
		getParentTypes: () => [],
		isCredentialUsableByNode: () => true,
		getCredentialsProperties: () => [],
		getDecrypted: async (_data: unknown, _node: unknown, type: string) => ({
			...credentials[type],
		}),
		authenticate: async (
			decrypted: ICredentialDataDecryptedObject,
			type: string,
			request: IHttpRequestOptions,
		) => applyCredentialAuth(credentialTypes[type], decrypted, request),
		preAuthentication: async () => undefined,
		runPreAuthentication: async () => undefined,
		updateCredentials: async () => {},
		updateCredentialsOauthTokenData: async () => {},
		getCredentials: async () => ({}),
	} as unknown as ICredentialsHelper;
}

export interface RunOptions {
	nodes: INode[];
	connections: IConnections;
	nodeTypes: Record<string, INodeType>;
	credentialTypes: Record<string, ICredentialType>;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Receives the way to stop the execution as n8n's "Stop" does (cancels it, aborts its signal). */
	onStarted?: (stop: () => void) => void;
	/**
	 * A waiting run to continue as n8n's wait tracker does when its wait time has passed (the saved
	 * execution data, run again; no webhook call).
	 */
	resumeAtWaitTill?: IRun;
	/** Workflow settings on top of the v1 execution order (e.g. `binaryMode: 'combined'`). */
	settings?: IWorkflowSettings;
}

/** The additional data n8n-core needs to run nodes: credentials from `options`, URLs on 5678. */
function engineAdditionalData(
	options: Pick<RunOptions, 'nodes' | 'connections' | 'credentialTypes' | 'credentials'>,
): IWorkflowExecuteAdditionalData {
	const credentialsHelper = engineCredentialsHelper(options.credentialTypes, options.credentials);
	const base = 'http://127.0.0.1:5678';
	const additionalData = {
		credentialsHelper,
		executionId: 'exec-engine',
		currentNodeExecutionIndex: 0,
		variables: {},
		hooks: new ExecutionLifecycleHooks('manual', 'exec-engine', {
			id: 'wf-engine',
			name: 'engine test',
			nodes: options.nodes,
			connections: options.connections,
			active: false,
			settings: {},
		} as never),
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
		logAiEvent: () => {},
		startRunnerTask: async () => ({ ok: false }),
	} as unknown as IWorkflowExecuteAdditionalData;
	return additionalData;
}

export async function runWorkflow(options: RunOptions): Promise<IRun> {
	const types: Record<string, INodeType> = {
		fixtureStart: new FixtureStart(),
		...options.nodeTypes,
	};
	const nodeTypes = {
		getByName: (name: string) => types[name],
		getByNameAndVersion: (name: string) => types[name],
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		id: 'wf-engine',
		nodes: options.nodes,
		connections: options.connections,
		active: false,
		nodeTypes: nodeTypes as never,
		staticData: {},
		settings: { executionOrder: 'v1', ...options.settings },
	});
	const additionalData = engineAdditionalData(options);
	await workflow.expression.acquireIsolate?.();
	try {
		const waiting = options.resumeAtWaitTill;
		const running = waiting
			? // A copy, as n8n reads the waiting execution back from its database.
				new WorkflowExecute(
					additionalData,
					'manual',
					structuredClone(waiting.data),
				).processRunExecutionData(workflow)
			: new WorkflowExecute(additionalData, 'manual').run({
					workflow,
					startNode: workflow.getNode(options.nodes[0].name)!,
				} as never);
		options.onStarted?.(() => running.cancel());
		return await running;
	} finally {
		await workflow.expression.releaseIsolate?.();
	}
}

export interface PollOptions {
	node: INode;
	nodeType: INodeType;
	credentialTypes: Record<string, ICredentialType>;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** The node's static data; the poll changes it in place, as n8n stages it. */
	staticData: IDataObject;
	mode?: 'trigger' | 'manual';
}

/** One poll of a polling trigger through n8n-core's own PollContext (request helpers included). */
export async function runPoll(options: PollOptions): Promise<INodeExecutionData[][] | null> {
	const nodeTypes = {
		getByName: () => options.nodeType,
		getByNameAndVersion: () => options.nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		id: 'wf-engine',
		nodes: [options.node],
		connections: {},
		active: true,
		nodeTypes: nodeTypes as never,
		staticData: {},
		settings: { executionOrder: 'v1' },
	});
	const additionalData = engineAdditionalData({
		nodes: [options.node],
		connections: {},
		credentialTypes: options.credentialTypes,
		credentials: options.credentials,
	});
	const mode = options.mode ?? 'trigger';
	const context = new PollContext(
		workflow,
		options.node,
		additionalData,
		mode,
		mode === 'manual' ? 'manual' : 'init',
		undefined,
		undefined,
		undefined,
		undefined,
		() => options.staticData,
	);
	await workflow.expression.acquireIsolate?.();
	try {
		return await options.nodeType.poll!.call(context);
	} finally {
		await workflow.expression.releaseIsolate?.();
	}
}

/** A Start → Node workflow for one node under test. */
export function singleNodeWorkflow(
	type: string,
	parameters: INodeParameters,
	inputItems: INodeExecutionData[],
	extra: Partial<INode> = {},
): { nodes: INode[]; connections: IConnections } {
	const start: INode = {
		id: 'start',
		name: 'Start',
		type: 'fixtureStart',
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(inputItems) },
	};
	const node: INode = {
		id: 'node',
		name: 'Node',
		type,
		typeVersion: 1,
		position: [200, 0],
		parameters,
		...extra,
	};
	return {
		nodes: [start, node],
		connections: { Start: { main: [[{ node: 'Node', type: 'main' as never, index: 0 }]] } },
	};
}

export function outputOf(run: IRun, nodeName = 'Node'): INodeExecutionData[] {
	const task = run.data.resultData.runData[nodeName]?.[0];
	return (task?.data?.main?.[0] ?? []) as INodeExecutionData[];
}

export function errorOf(
	run: IRun,
): (Error & { description?: string; context?: { itemIndex?: number } }) | undefined {
	return run.data.resultData.error as never;
}

export interface TriggerCall {
	query?: Record<string, unknown>;
	body?: unknown;
	headers?: Record<string, string>;
	method?: string;
}

export interface TriggerAnswer {
	result: IWebhookResponseData;
	/** What the node wrote itself (`noWebhookResponse`), if anything. */
	response?: { statusCode: number; body: unknown };
	/** Whether the call changed the workflow's static data (n8n saves it only then). */
	changed: boolean;
}

/**
 * One trigger node in a workflow, driven the way n8n drives it: activation runs the node's
 * `checkExists` and, when it answers false, `create` through n8n-core's HookContext; each call runs
 * `webhook()` through n8n-core's WebhookContext on a workflow built from the saved static data.
 * Static data is saved (a JSON copy, as n8n's database holds it) after activation and after
 * production calls when it changed, as n8n 2.41.1 does (`workflow-trigger-activator.js`,
 * `live-webhooks.js`); test-mode (`manual`) calls save nothing, as `test-webhooks.js`.
 */
export function triggerRig(options: {
	nodeType: INodeType;
	node: INode;
	credentialTypes: Record<string, ICredentialType>;
	credentials: Record<string, ICredentialDataDecryptedObject>;
}) {
	const types: Record<string, INodeType> = { [options.node.type]: options.nodeType };
	const nodeTypes = {
		getByName: (name: string) => types[name],
		getByNameAndVersion: (name: string) => types[name],
		getKnownTypes: () => ({}),
	};
	let credentials = options.credentials;
	let saved: IDataObject = {};
	const workflowId = `wf-${randomUUID()}`;
	const workflowOf = () =>
		new Workflow({
			id: workflowId,
			nodes: [options.node],
			connections: {},
			active: true,
			nodeTypes: nodeTypes as never,
			staticData: JSON.parse(JSON.stringify(saved)) as IDataObject,
			settings: { executionOrder: 'v1' },
		});
	const additionalData = (extra: Record<string, unknown> = {}) =>
		({
			credentialsHelper: engineCredentialsHelper(options.credentialTypes, credentials),
			executionId: 'exec-trigger',
			variables: {},
			webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
			webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
			...extra,
		}) as unknown as IWorkflowExecuteAdditionalData;
	const save = (workflow: Workflow): boolean => {
		const changed = workflow.staticData.__dataChanged === true;
		if (changed) saved = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		return changed;
	};
	const webhookData = (workflow: Workflow) =>
		({
			node: options.node.name,
			workflowId: workflow.id,
			webhookDescription: options.nodeType.description.webhooks![0],
		}) as unknown as IWebhookData;

	return {
		/** The static data as saved. */
		get saved() {
			return saved;
		},
		/** Changes the credentials of the following activations and calls (e.g. a new API key). */
		setCredentials(next: Record<string, ICredentialDataDecryptedObject>) {
			credentials = next;
		},
		/** Activation: `checkExists`, then `create` if it answered false; saved when changed. */
		async activate(mode: WorkflowExecuteMode = 'trigger') {
			const workflow = workflowOf();
			const methods = options.nodeType.webhookMethods!.default!;
			const context = () =>
				new HookContext(workflow, options.node, additionalData(), mode, 'activate');
			const existed = await methods.checkExists.call(context());
			if (!existed) await methods.create.call(context());
			return { created: !existed, changed: mode === 'manual' ? false : save(workflow) };
		},
		/** Deactivation: `delete`; saved when changed. */
		async deactivate() {
			const workflow = workflowOf();
			const context = new HookContext(
				workflow,
				options.node,
				additionalData(),
				'trigger',
				'activate',
			);
			await options.nodeType.webhookMethods!.default!.delete.call(context);
			return { changed: save(workflow) };
		},
		/** One HTTP call to the trigger's webhook. */
		async call(
			request: TriggerCall,
			mode: 'webhook' | 'manual' = 'webhook',
		): Promise<TriggerAnswer> {
			const workflow = workflowOf();
			let response: TriggerAnswer['response'];
			const res = {
				headersSent: false,
				setHeader: () => res,
				status(statusCode: number) {
					response = { statusCode, body: undefined };
					return res;
				},
				json(body: unknown) {
					response = { statusCode: response?.statusCode ?? 200, body };
					res.headersSent = true;
					return res;
				},
			};
			const req = {
				method: request.method ?? 'POST',
				headers: request.headers ?? { 'content-type': 'application/json' },
				query: request.query ?? {},
				body: request.body,
				params: {},
			};
			const context = new WebhookContext(
				workflow,
				options.node,
				additionalData({ httpRequest: req, httpResponse: res }),
				mode,
				webhookData(workflow),
				[],
				null,
			);
			await workflow.expression.acquireIsolate?.();
			try {
				const result = await options.nodeType.webhook!.call(context);
				const changed = workflow.staticData.__dataChanged === true;
				if (mode !== 'manual') save(workflow);
				return { result, response, changed };
			} finally {
				await workflow.expression.releaseIsolate?.();
			}
		},
	};
}
