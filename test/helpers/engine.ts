// Runs workflows through n8n-core's real execution engine (WorkflowExecute) with our node classes,
// against the sandbox emulators over real HTTP on loopback.
import { ExecutionLifecycleHooks, PollContext, WorkflowExecute } from 'n8n-core';
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
	ICredentialType,
	IAuthenticateGeneric,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

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

/**
 * Applies a credential's `authenticate` the way n8n does: a function is called with the decrypted
 * credential and the request; a generic block's headers / qs are filled in from the credential.
 */
async function applyGenericAuth(
	type: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	if (typeof type.authenticate === 'function') return await type.authenticate(credentials, options);
	const auth = type.authenticate as IAuthenticateGeneric | undefined;
	if (!auth || auth.type !== 'generic') return options;
	const resolve = (template: unknown) =>
		String(template).replace(/^=\{\{\s*\$credentials\.(\w+)\s*\}\}$/, (_m, key: string) =>
			String(credentials[key] ?? ''),
		);
	const next = { ...options };
	for (const [key, value] of Object.entries(auth.properties.headers ?? {})) {
		next.headers = { ...(next.headers ?? {}), [key]: resolve(value) };
	}
	for (const [key, value] of Object.entries(auth.properties.qs ?? {})) {
		next.qs = { ...(next.qs ?? {}), [key]: resolve(value) };
	}
	return next;
}

export interface RunOptions {
	nodes: INode[];
	connections: IConnections;
	nodeTypes: Record<string, INodeType>;
	credentialTypes: Record<string, ICredentialType>;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Receives the way to stop the execution as n8n's "Stop" does (cancels it, aborts its signal). */
	onStarted?: (stop: () => void) => void;
}

/** The additional data n8n-core needs to run nodes: credentials from `options`, URLs on 5678. */
function engineAdditionalData(
	options: Pick<RunOptions, 'nodes' | 'connections' | 'credentialTypes' | 'credentials'>,
): IWorkflowExecuteAdditionalData {
	const credentialsHelper = {
		getParentTypes: () => [],
		isCredentialUsableByNode: () => true,
		getCredentialsProperties: () => [],
		getDecrypted: async (_data: unknown, _node: unknown, type: string) => ({
			...options.credentials[type],
		}),
		authenticate: async (
			credentials: ICredentialDataDecryptedObject,
			type: string,
			request: IHttpRequestOptions,
		) => applyGenericAuth(options.credentialTypes[type], credentials, request),
		preAuthentication: async () => undefined,
		runPreAuthentication: async () => undefined,
		updateCredentials: async () => {},
		updateCredentialsOauthTokenData: async () => {},
		getCredentials: async () => ({}),
	} as unknown as ICredentialsHelper;
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
		settings: { executionOrder: 'v1' },
	});
	const additionalData = engineAdditionalData(options);
	await workflow.expression.acquireIsolate?.();
	try {
		const running = new WorkflowExecute(additionalData, 'manual').run({
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
