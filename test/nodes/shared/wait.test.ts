import type { IExecuteFunctions, INodeExecutionData, NodeExecutionHint } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { requireSingleItem, showSigningLinks } from '../../../nodes/shared/wait';

function context() {
	const hints: NodeExecutionHint[] = [];
	const ctx = {
		addExecutionHints: (...added: NodeExecutionHint[]) => hints.push(...added),
	} as unknown as IExecuteFunctions;
	return { ctx, hints };
}

describe('showSigningLinks', () => {
	it('adds one output-panel hint with a link per signer under the heading', () => {
		const { ctx, hints } = context();
		showSigningLinks(ctx, 'Signing links:', [
			{ label: 'Signer a', url: 'https://gateway.example/signing/s1?access_token=t1' },
			{ label: 'Signer b', url: 'https://gateway.example/signing/s1?access_token=t2' },
		]);
		expect(hints).toEqual([
			{
				type: 'info',
				location: 'outputPane',
				message:
					'Signing links:<br>' +
					'Signer a: <a href="https://gateway.example/signing/s1?access_token=t1" target="_blank" rel="noopener">https://gateway.example/signing/s1?access_token=t1</a><br>' +
					'Signer b: <a href="https://gateway.example/signing/s1?access_token=t2" target="_blank" rel="noopener">https://gateway.example/signing/s1?access_token=t2</a>',
			},
		]);
	});

	it('escapes what the vendor or the user supplied', () => {
		const { ctx, hints } = context();
		showSigningLinks(ctx, 'Links <b>', [
			{ label: 'Signer <img src=x>', url: 'https://x.example/a?b=1&c="2"' },
		]);
		expect(hints[0].message).toBe(
			'Links &lt;b&gt;<br>Signer &lt;img src=x&gt;: <a href="https://x.example/a?b=1&amp;c=&quot;2&quot;" target="_blank" rel="noopener">https://x.example/a?b=1&amp;c=&quot;2&quot;</a>',
		);
	});

	it('makes links only of web URLs and adds nothing without one', () => {
		const { ctx, hints } = context();
		showSigningLinks(ctx, 'Links:', [
			{ label: 'A', url: 'javascript:alert(1)' },
			{ label: 'B', url: 'undefined' },
		]);
		expect(hints).toEqual([]);
	});

	it('does nothing where n8n has no execution hints', () => {
		expect(() =>
			showSigningLinks({} as IExecuteFunctions, 'Links:', [
				{ label: 'A', url: 'https://x.example' },
			]),
		).not.toThrow();
	});
});

describe('requireSingleItem', () => {
	function withItems(count: number) {
		const items: INodeExecutionData[] = Array.from({ length: count }, () => ({ json: {} }));
		return {
			getInputData: () => items,
			getNode: () => ({ id: 'n', name: 'Node', type: 't', typeVersion: 1, position: [0, 0] }),
		} as unknown as IExecuteFunctions;
	}

	it('lets one item through', () => {
		expect(() => requireSingleItem(withItems(1), 'signing', 'Use Create')).not.toThrow();
	});

	it.each([0, 2])('refuses %p items, naming the count and what to use for batches', (count) => {
		let error: unknown;
		try {
			requireSingleItem(withItems(count), 'signing', 'Use Create with the Trigger');
		} catch (caught) {
			error = caught;
		}
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error).toMatchObject({
			message: `Send and wait handles one signing per execution; this node received ${count} items`,
			description:
				'Use Create with the Trigger for batches, or run one item per execution (e.g. through a sub-workflow).',
		});
	});
});
