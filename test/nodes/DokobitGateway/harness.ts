import type { INode, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { DokobitGatewayApi } from '../../../credentials/DokobitGatewayApi.credentials';
import { DokobitGateway } from '../../../nodes/DokobitGateway/DokobitGateway.node';
import { runWorkflow, singleNodeWorkflow } from '../../helpers/engine';
import type { Sandbox } from '../../helpers/sandbox';

/** The emulator's accepted sandbox token (test/sandbox/dokobit.mjs). */
export const GOOD_TOKEN = 'example-dokobit-token';

export interface LoggedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	body: Record<string, unknown>;
}

export async function apiRequests(sandbox: Sandbox): Promise<LoggedRequest[]> {
	return await sandbox.control<LoggedRequest[]>('dokobit', 'GET', '/__requests');
}

export async function runDokobit(
	sandbox: Sandbox,
	parameters: INodeParameters,
	items: INodeExecutionData[] = [{ json: {} }],
	{ accessToken = GOOD_TOKEN, node = {} as Partial<INode> } = {},
) {
	const { nodes, connections } = singleNodeWorkflow('dokobitGateway', parameters, items, {
		credentials: { dokobitGatewayApi: { id: '1', name: 'Dokobit sandbox' } },
		...node,
	});
	return await runWorkflow({
		nodes,
		connections,
		nodeTypes: { dokobitGateway: new DokobitGateway() },
		credentialTypes: { dokobitGatewayApi: new DokobitGatewayApi() },
		credentials: {
			dokobitGatewayApi: { environment: 'custom', baseUrl: sandbox.url('dokobit'), accessToken },
		},
	});
}
