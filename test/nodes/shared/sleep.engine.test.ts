// Stopping an execution ends the node's own waits at once, through n8n-core's execution engine:
// the Retry-After pause of a read and the polling of an upload. n8n marks a stopped execution
// canceled at once on every version; what must not go on is the node, asking the vendor again.
import type { INodeExecutionData, INodeParameters, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { DokobitGatewayApi } from '../../../credentials/DokobitGatewayApi.credentials';
import { DokobitGateway } from '../../../nodes/DokobitGateway/DokobitGateway.node';
import { runWorkflow, singleNodeWorkflow } from '../../helpers/engine';
import { startSandbox, type Sandbox } from '../../helpers/sandbox';
import { GOOD_TOKEN, apiRequests, clearLog } from '../DokobitGateway/harness';

let sandbox: Sandbox;
beforeAll(async () => (sandbox = await startSandbox(['dokobit'])));
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

/**
 * Runs one Dokobit node and stops the execution once the node has had the vendor's answer to a
 * request to `pausedBy` and gone into its wait. Resolves, once the node itself has finished (not
 * just the execution), with how often the node tried to ask `pausedBy` again after the stop (n8n
 * aborts such a request, so only the node's own attempts tell). A wait of 30 s that the stop did
 * not end would outlast the test's timeout.
 */
async function attemptsAfterStop(parameters: INodeParameters, pausedBy: RegExp): Promise<number> {
	let attempts = 0;
	let finished!: () => void;
	let isFinished = false;
	const nodeFinished = new Promise<void>((resolve) => (finished = resolve)).then(
		() => (isFinished = true),
	);
	let answered!: () => void;
	const firstAnswer = new Promise<void>((resolve) => (answered = resolve));
	const node = new DokobitGateway();
	const execute = node.execute!;
	node.execute = async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const request = this.helpers.httpRequestWithAuthentication;
		this.helpers.httpRequestWithAuthentication = async function (this: IExecuteFunctions, ...args) {
			if (pausedBy.test(String(args[1].url))) attempts++;
			try {
				return await request.apply(this, args);
			} finally {
				if (pausedBy.test(String(args[1].url))) answered();
			}
		};
		try {
			return await execute.call(this);
		} finally {
			finished();
		}
	};
	let stop!: () => void;
	const { nodes, connections } = singleNodeWorkflow('dokobitGateway', parameters, [{ json: {} }], {
		credentials: { dokobitGatewayApi: { id: '1', name: 'Dokobit sandbox' } },
	});
	let ended: string | undefined;
	void runWorkflow({
		nodes,
		connections,
		nodeTypes: { dokobitGateway: node },
		credentialTypes: { dokobitGatewayApi: new DokobitGatewayApi() },
		credentials: {
			dokobitGatewayApi: {
				environment: 'custom',
				baseUrl: sandbox.url('dokobit'),
				accessToken: GOOD_TOKEN,
			},
		},
		onStarted: (stopExecution) => (stop = stopExecution),
	}).then((run) => (ended = run.data.resultData.error?.message ?? run.status));
	await Promise.race([
		firstAnswer,
		nodeFinished.then(() => {
			throw new Error(`the node ended before it was answered: ${ended}`);
		}),
	]);
	// The answer's handling (the 429 pause, the next poll's delay) runs in microtasks: all of them
	// have run before the next macrotask, so the node is in its wait now.
	await sleep(0);
	expect(isFinished).toBe(false);
	const attemptsAtStop = attempts;
	stop();
	await nodeFinished;
	return attempts - attemptsAtStop;
}

describe('stopping an execution', () => {
	it('ends a Retry-After pause at once (429, Retry-After: 60): the node asks nothing more', async () => {
		const path = '^/api/signing/cancel-probe/status\\.json$';
		await sandbox.control('dokobit', 'POST', '/__faults', {
			match: { path },
			action: { status: 429, retryAfter: 60 },
		});
		const again = await attemptsAfterStop(
			{ resource: 'signing', operation: 'getStatus', signingToken: 'cancel-probe' },
			new RegExp(path),
		);
		expect(again).toBe(0);
		expect((await apiRequests(sandbox)).length).toBe(1);
	});

	it('ends the polling of an upload that stays pending: no further poll', async () => {
		const path = '^/api/file/upload/[^/]+/status\\.json$';
		await sandbox.control('dokobit', 'POST', '/__faults', {
			match: { path },
			action: { status: 200, body: { status: 'pending' } },
		});
		const again = await attemptsAfterStop(
			{
				resource: 'file',
				operation: 'upload',
				fileSource: 'url',
				fileUrl: `${sandbox.url('dokobit')}/__files/sample.pdf`,
				options: { maxWaitSeconds: 600 },
			},
			new RegExp(path),
		);
		expect(again).toBe(0);
	});
});
