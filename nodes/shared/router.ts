import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** One operation, run once per input item. */
export type ItemOperation = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<INodeExecutionData | INodeExecutionData[]>;

export interface OperationModule {
	description: INodeProperties[];
	execute: ItemOperation;
}

/**
 * Runs `operation` for every input item, in order. Owns `pairedItem` and "continue on fail", so
 * operation modules only describe one item. Errors always carry the item index.
 */
export async function runPerItem(
	this: IExecuteFunctions,
	operation: ItemOperation,
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await operation.call(this, itemIndex);
			output.push(
				...this.helpers.constructExecutionMetaData(Array.isArray(result) ? result : [result], {
					itemData: { item: itemIndex },
				}),
			);
		} catch (error) {
			if (this.continueOnFail()) {
				const failure = error as Partial<NodeApiError>;
				output.push({
					json: {
						error: failure.message ?? String(error),
						...(failure.description ? { description: failure.description } : {}),
						...(failure.httpCode ? { httpCode: failure.httpCode } : {}),
					},
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			if (error instanceof NodeApiError) {
				error.context.itemIndex ??= itemIndex;
				// Re-wrapping returns the same instance; it keeps the vendor's message and status.
				throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
			}
			throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		}
	}
	return output;
}

/** Dispatches `resource:operation` to its module. */
export async function route(
	this: IExecuteFunctions,
	operations: Record<string, OperationModule>,
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
	return [await runPerItem.call(this, module.execute)];
}
