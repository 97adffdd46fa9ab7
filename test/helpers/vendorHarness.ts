// What every vendor's test harness (test/nodes/<Vendor>/harness.ts) shares: the emulator's request
// log, and the vendor's action node run through the engine against the sandbox. Each harness
// configures it with its node, credential and sandbox credentials.
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IWorkflowSettings,
} from 'n8n-workflow';
import { errorOf, outputOf, runWorkflow, singleNodeWorkflow } from './engine';
import type { Sandbox } from './sandbox';

/** The trailer the emulators append to a signed file (test/sandbox/pdf.mjs `SIGNED_MARK`). */
export const SIGNED_MARK = '%n8n-esign-sandbox: signed';

/** One entry of an emulator's request log (`GET /__requests`, test/sandbox/frame.mjs). */
export interface LoggedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	contentType?: string;
	body: Record<string, unknown>;
	bytes: number;
}

/** What every vendor run takes besides its credential options. */
export interface RunOptions {
	node?: Partial<INode>;
	settings?: IWorkflowSettings;
	/** A waiting run to continue as n8n's wait tracker does (test/helpers/engine.ts). */
	resumeAtWaitTill?: IRun;
}

export interface VendorConfig<Options> {
	/** The emulator's name in the sandbox (test/sandbox/cli.mjs). */
	vendor: string;
	/** The node's type name; its AI tool variant is the same node under `<nodeType>Tool`. */
	nodeType: string;
	node: () => INodeType;
	credentialType: string;
	credential: () => ICredentialType;
	/** The name of the saved credential the node refers to. */
	credentialName: string;
	/** The node version the runs use, when not the first. */
	typeVersion?: number;
	/** The decrypted credential a run uses. */
	credentials: (sandbox: Sandbox, options: Options) => ICredentialDataDecryptedObject;
}

export interface VendorHarness<Options> {
	apiRequests(sandbox: Sandbox): Promise<LoggedRequest[]>;
	/** Forgets what the emulator has logged and every injected fault. */
	clearLog(sandbox: Sandbox): Promise<void>;
	/** Runs the node once over `items` (one empty item unless given) and returns the whole run. */
	run(
		sandbox: Sandbox,
		parameters: INodeParameters,
		items?: INodeExecutionData[],
		options?: Options & RunOptions,
	): Promise<IRun>;
	/** Runs the node and insists it succeeded; returns the output items. */
	runOk(
		sandbox: Sandbox,
		parameters: INodeParameters,
		items?: INodeExecutionData[],
		options?: Options & RunOptions,
	): Promise<INodeExecutionData[]>;
}

export function vendorHarness<Options extends object>(
	config: VendorConfig<Options>,
): VendorHarness<Options> {
	const run: VendorHarness<Options>['run'] = async (
		sandbox,
		parameters,
		items = [{ json: {} }],
		options = {} as Options & RunOptions,
	) => {
		const { node = {}, settings, resumeAtWaitTill } = options;
		const { nodes, connections } = singleNodeWorkflow(config.nodeType, parameters, items, {
			credentials: { [config.credentialType]: { id: '1', name: config.credentialName } },
			...(config.typeVersion === undefined ? {} : { typeVersion: config.typeVersion }),
			...node,
		});
		return await runWorkflow({
			nodes,
			connections,
			nodeTypes: { [config.nodeType]: config.node(), [`${config.nodeType}Tool`]: config.node() },
			credentialTypes: { [config.credentialType]: config.credential() },
			credentials: { [config.credentialType]: config.credentials(sandbox, options) },
			resumeAtWaitTill,
			settings,
		});
	};
	return {
		apiRequests: async (sandbox) =>
			await sandbox.control<LoggedRequest[]>(config.vendor, 'GET', '/__requests'),
		async clearLog(sandbox) {
			await sandbox.control(config.vendor, 'DELETE', '/__requests');
			await sandbox.control(config.vendor, 'DELETE', '/__faults');
		},
		run,
		async runOk(sandbox, parameters, items, options) {
			const result = await run(sandbox, parameters, items, options);
			const error = errorOf(result);
			if (error) throw new Error(`run failed: ${error.message} (${error.description ?? ''})`);
			return outputOf(result);
		},
	};
}
