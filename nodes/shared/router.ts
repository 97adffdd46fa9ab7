import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { AdaptiveLimit, setAdaptiveLimit } from './concurrency';
import { answeringToolErrors, assertCanWait } from './tool';

/** One operation, run once per input item. */
type ItemOperation = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<INodeExecutionData | INodeExecutionData[]>;

export interface OperationModule {
	description: INodeProperties[];
	execute: ItemOperation;
}

export interface RunPerItemOptions {
	/**
	 * How many items are in flight at once: a number (1, the default, runs them strictly one after
	 * another) or `'auto'`, adjusted during the run from the vendor's answers (see concurrency.ts).
	 * Output order, `pairedItem` and "continue on fail" do not depend on it.
	 */
	concurrency?: number | 'auto';
	/** The node's "continue on fail" setting, read by the node's execute(); read here when left out. */
	continueOnFail?: boolean;
}

/** Upper bound for a fixed concurrency setting: more only queues sockets and invites rate limits. */
const MAX_CONCURRENCY = 32;

/**
 * The stored value of "Request Concurrency" that means Auto. It is the parameter's default, so every
 * workflow that left the parameter alone (before Auto existed, the default was 5, and n8n does not
 * store a value equal to the default) now runs with Auto, and every number a user typed (1–32,
 * stored as such) keeps meaning that fixed number.
 */
export const AUTO_CONCURRENCY = 0;

/** Items in flight when "Request Concurrency" is left alone: Auto. */
export const DEFAULT_CONCURRENCY = AUTO_CONCURRENCY;

/**
 * "Request Concurrency", the same on every action node. Shown for every operation that runs once
 * per item; the wait operations take one item and pause, and Get Trigger URL sends nothing.
 */
export const requestConcurrencyProperty: INodeProperties = {
	displayName: 'Request Concurrency',
	name: 'requestConcurrency',
	type: 'number',
	default: DEFAULT_CONCURRENCY,
	typeOptions: { minValue: 0, maxValue: MAX_CONCURRENCY, numberPrecision: 0 },
	displayOptions: { hide: { operation: ['createAndWait', 'waitForSignature', 'getTriggerUrl'] } },
	hint: '0 = Auto: adapts to how fast the vendor answers and to its rate limit',
	description:
		'How many input items are sent to the vendor at the same time. 0 (Auto) starts with a few, sends more while the vendor answers quickly and fewer when it slows down or answers "too many requests". A number from 1 to 32 fixes it; 1 sends the items strictly one after another. The output keeps the input order. Creates are never retried; if an item fails and the node stops, items already in flight still complete.',
};

/** The node's "Request Concurrency" (one value for the whole run, read from the first item). */
function requestConcurrency(ctx: IExecuteFunctions): number | 'auto' {
	const value = Number(ctx.getNodeParameter('requestConcurrency', 0, DEFAULT_CONCURRENCY));
	return value === AUTO_CONCURRENCY ? 'auto' : value;
}

function clampConcurrency(value: unknown, itemCount: number): number {
	const requested = Math.floor(Number(value));
	const limit = Number.isFinite(requested) ? Math.min(Math.max(requested, 1), MAX_CONCURRENCY) : 1;
	return Math.max(1, Math.min(limit, itemCount));
}

/**
 * The item "continue on fail" puts out for a failed item: the JSON is what the next node reads. For
 * "Continue (using error output)" n8n recognizes an error item only by a JSON of `error` alone or
 * `error` and `message` (n8n-core 1.122; 2.x also takes `details`), so there the description goes
 * to `message` (the error names the status).
 */
function errorItem(ctx: IExecuteFunctions, error: unknown, itemIndex: number): INodeExecutionData {
	const failure = error as Partial<NodeApiError>;
	const message = failure.message ?? String(error);
	const description = typeof failure.description === 'string' ? failure.description : undefined;
	if (ctx.getNode().onError === 'continueErrorOutput') {
		return {
			json: { error: message, ...(description ? { message: description } : {}) },
			pairedItem: { item: itemIndex },
		};
	}
	return {
		json: {
			error: message,
			...(description ? { description } : {}),
			...(failure.httpCode ? { httpCode: failure.httpCode } : {}),
		},
		pairedItem: { item: itemIndex },
	};
}

/**
 * Every error of one item starts with "Item N: ", whichever layer raised it (validation, transport,
 * an operation's own check), so the message alone says which item failed, also in an error item.
 */
function namingTheItem(error: unknown, itemIndex: number): unknown {
	const prefix = `Item ${itemIndex}: `;
	if (error instanceof Error && !error.message.startsWith(prefix)) {
		error.message = `${prefix}${error.message}`;
	}
	return error;
}

/**
 * Starts `run(0)`, `run(1)` … in input order, each as soon as there is room, until `stopped()`;
 * resolves once none is running. With Auto the limit moves while the run goes (a lower one only
 * holds back the next start), and a read waiting out a 429 on its own leaves its place to the
 * others until it comes back (see AdaptiveLimit.stepOut).
 */
async function startInOrder(
	count: number,
	run: (itemIndex: number) => Promise<void>,
	room: { auto?: AdaptiveLimit; fixed: number },
	stopped: () => boolean,
	crashed: (error: unknown) => void,
): Promise<void> {
	const { auto, fixed } = room;
	let next = 0;
	await new Promise<void>((resolve) => {
		let running = 0;
		const hasRoom = () => (auto ? auto.hasRoom() : running < fixed);
		const startMore = () => {
			while (!stopped() && next < count && hasRoom()) {
				running++;
				auto?.enter();
				void run(next++).then(finished, (error: unknown) => {
					crashed(error);
					finished();
				});
			}
			if (running === 0) resolve();
		};
		const finished = () => {
			running--;
			// With Auto, leaving hands the place on and calls startMore (onRoom).
			if (auto) auto.leave();
			else startMore();
		};
		auto?.onRoom(startMore);
		startMore();
	});
}

/** The earliest failing item's error, as the node's error, with the item index. */
function nodeErrorOf(ctx: IExecuteFunctions, itemIndex: number, error: unknown): Error {
	if (error instanceof NodeApiError) {
		error.context.itemIndex ??= itemIndex;
		// Re-wrapping returns the same instance; it keeps the vendor's message and status.
		return new NodeApiError(ctx.getNode(), error as unknown as JsonObject);
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/**
 * Runs `operation` for every input item. Owns `pairedItem` and "continue on fail", so operation
 * modules only describe one item. Errors always carry the item index.
 *
 * With `concurrency` > 1 up to that many items run at once, started in input order; the output is
 * still in input order. With Auto the number moves during the run: the limiter is registered for
 * this context, and the transport (`vendorRequest`) reports every answer to it. When an item fails and the node does not continue on fail, no further item
 * is started, the ones already in flight are allowed to finish (they may be legally binding
 * requests that were already sent; abandoning them would hide their outcome, not undo them), and
 * the error of the earliest failing item in input order is thrown. Nothing is ever retried here.
 */
async function runPerItem(
	this: IExecuteFunctions,
	operation: ItemOperation,
	options: RunPerItemOptions = {},
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const results: INodeExecutionData[][] = new Array(items.length);
	let failure: { itemIndex: number; error: unknown } | undefined;

	const runItem = async (itemIndex: number) => {
		try {
			const result = await operation.call(this, itemIndex);
			results[itemIndex] = this.helpers.constructExecutionMetaData(
				Array.isArray(result) ? result : [result],
				{ itemData: { item: itemIndex } },
			);
		} catch (caught) {
			const error = namingTheItem(caught, itemIndex);
			if (options.continueOnFail ?? this.continueOnFail()) {
				results[itemIndex] = [errorItem(this, error, itemIndex)];
				return;
			}
			if (failure === undefined || itemIndex < failure.itemIndex) failure = { itemIndex, error };
		}
	};
	const auto = options.concurrency === 'auto' ? new AdaptiveLimit() : undefined;
	const fixed = auto ? 0 : clampConcurrency(options.concurrency ?? 1, items.length);
	if (auto) setAdaptiveLimit(this, auto);
	try {
		await startInOrder(
			items.length,
			runItem,
			{ auto, fixed },
			() => failure !== undefined,
			(error) => (failure ??= { itemIndex: items.length, error }),
		);
	} finally {
		if (auto) {
			auto.onRoom(undefined);
			setAdaptiveLimit(this, undefined);
		}
	}

	if (failure !== undefined) throw nodeErrorOf(this, failure.itemIndex, failure.error);
	const output: INodeExecutionData[] = [];
	for (const result of results) if (result) output.push(...result);
	return output;
}

/** Dispatches `resource:operation` to its module. */
async function route(
	this: IExecuteFunctions,
	operations: Record<string, OperationModule>,
	options: RunPerItemOptions = {},
): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = operations[`${resource}:${operation}`];
	if (!module) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not supported`,
		);
	}
	return [await runPerItem.call(this, module.execute, options)];
}

/** An operation that takes one item and pauses the execution until the vendor resumes it. */
export type WaitOperation = (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

/**
 * A wait operation runs once, for the single input item. With "continue on fail" its failure (a
 * refused field, a create whose answer was lost) becomes an error item like any other operation's:
 * left to n8n, the failed node would pass its input on unchanged, on the success output.
 */
async function runWait(
	this: IExecuteFunctions,
	wait: WaitOperation,
	continueOnFail: boolean,
): Promise<INodeExecutionData[][]> {
	const run = async () => {
		assertCanWait(this);
		return await wait.call(this);
	};
	if (!continueOnFail) return await run();
	try {
		return await run();
	} catch (error) {
		return [[errorItem(this, error, 0)]];
	}
}

/**
 * The action nodes' entry point: a wait operation runs once and pauses (refused where no
 * execution can wait), every other operation runs per item with the node's Request Concurrency.
 * As an AI agent's tool, a failure answers the model instead of ending the agent's run.
 */
export async function routeOperations(
	this: IExecuteFunctions,
	operations: Record<string, OperationModule>,
	waitOperations: Record<string, WaitOperation>,
	{ continueOnFail }: Pick<RunPerItemOptions, 'continueOnFail'> = {},
): Promise<INodeExecutionData[][]> {
	return await answeringToolErrors(this, async () => {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		const wait = waitOperations[`${resource}:${operation}`];
		if (wait) return await runWait.call(this, wait, continueOnFail ?? this.continueOnFail());
		return await route.call(this, operations, {
			concurrency: requestConcurrency(this),
			continueOnFail,
		});
	});
}
