import type { IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { answeringToolErrors, assertCanWait, runsAsTool } from '../../../nodes/shared/tool';

function context(type: string, executionId: string | undefined, onError?: INode['onError']) {
	const node: INode = {
		id: 'n1',
		name: 'Create signing',
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		...(onError ? { onError } : {}),
	};
	return {
		getNode: () => node,
		getExecutionId: () => executionId,
	} as unknown as IExecuteFunctions;
}

const tool = 'n8n-nodes-esign.dokobitGatewayTool';
const plain = 'n8n-nodes-esign.dokobitGateway';
const failing = async (): Promise<INodeExecutionData[][]> => {
	throw new NodeOperationError(
		{ name: 'x' } as INode,
		'Item 0: Signers (JSON) › Signer 1 › code (signers[0].code) "12345" is not a valid LT, EE or FI personal code',
		{ description: 'Use the signer’s national personal code' },
	);
};

describe('runsAsTool', () => {
	it('recognizes the generated tool variant by its type name', () => {
		expect(runsAsTool(context(tool, '1'))).toBe(true);
		expect(runsAsTool(context(plain, '1'))).toBe(false);
	});
});

describe('answeringToolErrors', () => {
	it('hands an agent tool’s failure to the model as its answer', async () => {
		await expect(answeringToolErrors(context(tool, '7'), failing)).resolves.toEqual([
			[
				{
					json: {
						error:
							'Item 0: Signers (JSON) › Signer 1 › code (signers[0].code) "12345" is not a valid LT, EE or FI personal code',
						description: 'Use the signer’s national personal code',
					},
				},
			],
		]);
	});

	it('keeps throwing for the plain node, outside an execution (MCP) and with "Stop Workflow"', async () => {
		for (const ctx of [
			context(plain, '7'),
			context(tool, undefined),
			context(tool, '7', 'stopWorkflow'),
		]) {
			await expect(answeringToolErrors(ctx, failing)).rejects.toThrow('Signer 1 › code');
		}
	});

	it('passes a success through unchanged', async () => {
		const output = [[{ json: { token: 'abc' } }]];
		await expect(answeringToolErrors(context(tool, '7'), async () => output)).resolves.toBe(output);
	});
});

describe('assertCanWait', () => {
	it('allows waiting inside an execution', () => {
		expect(() => assertCanWait(context(tool, '7'))).not.toThrow();
		expect(() => assertCanWait(context(plain, '7'))).not.toThrow();
	});

	it('refuses behind the MCP Server Trigger in queue mode, where the execution already ended', () => {
		// n8n's queue-mode job processor calls the tool after the MCP execution, with the trigger as parent.
		const behindMcp = Object.assign(context(tool, '7'), {
			parentNode: { name: 'MCP Server', type: '@n8n/n8n-nodes-langchain.mcpTrigger' },
		});
		expect(() => assertCanWait(behindMcp)).toThrow('Send and Wait cannot run here');
		const behindAgent = Object.assign(context(tool, '7'), {
			parentNode: { name: 'AI Agent', type: '@n8n/n8n-nodes-langchain.agent' },
		});
		expect(() => assertCanWait(behindAgent)).not.toThrow();
	});

	it('refuses where no execution exists, saying nothing was sent', () => {
		let refusal: NodeOperationError | undefined;
		try {
			assertCanWait(context(tool, undefined));
		} catch (error) {
			refusal = error as NodeOperationError;
		}
		expect(refusal).toBeInstanceOf(NodeOperationError);
		expect(refusal?.message).toContain('Send and Wait cannot run here');
		expect(refusal?.description).toContain('Nothing was sent');
	});
});
