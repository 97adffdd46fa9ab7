import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { itemPrefix } from './http';

/** One operation, run once per input item. */
export type ItemOperation = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<INodeExecutionData | INodeExecutionData[]>;

export interface OperationModule {
	description: INodeProperties[];
	execute: ItemOperation;
}

export interface RunPerItemOptions {
	/**
	 * How many items are in flight at once. 1 (the default) runs them strictly one after another.
	 * Output order, `pairedItem` and "continue on fail" do not depend on it.
	 */
	concurrency?: number;
}

/** Upper bound for any concurrency setting: more only queues sockets and invites rate limits. */
export const MAX_CONCURRENCY = 32;

/**
 * Items in flight at once when "Request Concurrency" is left alone: several times faster than one
 * at a time over a real network, yet gentle on the vendors' rate limits.
 */
export const DEFAULT_CONCURRENCY = 5;

/**
 * "Request Concurrency", the same on every action node. Shown for every operation that runs once
 * per item; the wait operations take one item and pause, and Get Trigger URL sends nothing.
 */
export const requestConcurrencyProperty: INodeProperties = {
	displayName: 'Request Concurrency',
	name: 'requestConcurrency',
	type: 'number',
	default: DEFAULT_CONCURRENCY,
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY, numberPrecision: 0 },
	displayOptions: { hide: { operation: ['createAndWait', 'waitForSignature', 'getTriggerUrl'] } },
	description:
		'How many input items are sent to the vendor at the same time. The output keeps the input order. Use 1 to send them strictly one after another. Creates are never retried; if an item fails and the node stops, items already in flight still complete.',
};

/** The node's "Request Concurrency" (one value for the whole run, read from the first item). */
export function requestConcurrency(ctx: IExecuteFunctions): number {
	return Number(ctx.getNodeParameter('requestConcurrency', 0, DEFAULT_CONCURRENCY));
}

export function clampConcurrency(value: unknown, itemCount: number): number {
	const requested = Math.floor(Number(value));
	const limit = Number.isFinite(requested) ? Math.min(Math.max(requested, 1), MAX_CONCURRENCY) : 1;
	return Math.max(1, Math.min(limit, itemCount));
}

function errorItem(error: unknown, itemIndex: number): INodeExecutionData {
	const failure = error as Partial<NodeApiError>;
	return {
		json: {
			error: failure.message ?? String(error),
			...(failure.description ? { description: failure.description } : {}),
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
	const prefix = itemPrefix(itemIndex);
	if (error instanceof Error && !error.message.startsWith(prefix)) {
		error.message = `${prefix}${error.message}`;
	}
	return error;
}

/**
 * Runs `operation` for every input item. Owns `pairedItem` and "continue on fail", so operation
 * modules only describe one item. Errors always carry the item index.
 *
 * With `concurrency` > 1 up to that many items run at once, started in input order; the output is
 * still in input order. When an item fails and the node does not continue on fail, no further item
 * is started, the ones already in flight are allowed to finish (they may be legally binding
 * requests that were already sent; abandoning them would hide their outcome, not undo them), and
 * the error of the earliest failing item in input order is thrown. Nothing is ever retried here.
 */
export async function runPerItem(
	this: IExecuteFunctions,
	operation: ItemOperation,
	options: RunPerItemOptions = {},
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const results: INodeExecutionData[][] = new Array(items.length);
	let failure: { itemIndex: number; error: unknown } | undefined;
	let next = 0;

	const runItem = async (itemIndex: number) => {
		try {
			const result = await operation.call(this, itemIndex);
			results[itemIndex] = this.helpers.constructExecutionMetaData(
				Array.isArray(result) ? result : [result],
				{ itemData: { item: itemIndex } },
			);
		} catch (caught) {
			const error = namingTheItem(caught, itemIndex);
			if (this.continueOnFail()) {
				results[itemIndex] = [errorItem(error, itemIndex)];
				return;
			}
			if (failure === undefined || itemIndex < failure.itemIndex) failure = { itemIndex, error };
		}
	};
	// Each worker takes the next unstarted item; items therefore start in input order.
	const worker = async () => {
		while (failure === undefined && next < items.length) {
			await runItem(next++);
		}
	};
	const workers = clampConcurrency(options.concurrency ?? 1, items.length);
	await Promise.all(Array.from({ length: workers }, worker));

	if (failure !== undefined) {
		const { itemIndex, error } = failure;
		if (error instanceof NodeApiError) {
			error.context.itemIndex ??= itemIndex;
			// Re-wrapping returns the same instance; it keeps the vendor's message and status.
			throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
		}
		throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
	}
	const output: INodeExecutionData[] = [];
	for (const result of results) if (result) output.push(...result);
	return output;
}

/** Dispatches `resource:operation` to its module. */
export async function route(
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
