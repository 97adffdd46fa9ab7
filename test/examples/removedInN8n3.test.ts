/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// n8n 3.0 removes nodes, node versions and modes that workflows written for 1.x and 2.x may still
// use (n8n-io/n8n-docs, docs/changelog/v30-breaking-changes.md). n8n 3.x cannot run on these
// machines, so this reads every shipped example for them instead: an example a 3.x user imports
// must not break on import or change behaviour.
import fs from 'node:fs';
import path from 'node:path';

interface WorkflowNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters?: Record<string, unknown>;
	alwaysOutputData?: boolean;
}

const REMOVED_NODE_TYPES: Record<string, string> = {
	'n8n-nodes-base.function': 'Function (use Code, "Run Once for All Items")',
	'n8n-nodes-base.functionItem': 'Function Item (use Code, "Run Once for Each Item")',
	'n8n-nodes-base.itemLists': 'Item Lists (use Split Out, Aggregate, Sort, Limit, …)',
	'@n8n/n8n-nodes-langchain.code': 'LangChain Code',
	'n8n-nodes-base.aiTransform': 'AI Transform (migrated to Code on upgrade)',
};

/** Nodes with several main outputs, where 3.0 changes what Always Output Data emits. */
const MULTI_OUTPUT_NODE_TYPES = new Set(['n8n-nodes-base.if', 'n8n-nodes-base.switch']);

/** What in one workflow n8n 3.0 removes or changes, one line per finding. */
function removedInN8n3(workflow: { nodes: WorkflowNode[] }): string[] {
	const findings: string[] = [];
	for (const node of workflow.nodes) {
		const at = `node "${node.name}"`;
		const removed = REMOVED_NODE_TYPES[node.type];
		if (removed) findings.push(`${at}: the ${removed} node is removed`);
		if (node.type === '@n8n/n8n-nodes-langchain.agent' && node.typeVersion < 2) {
			findings.push(`${at}: AI Agent version ${node.typeVersion} is removed`);
		}
		if (node.type === 'n8n-nodes-base.executeWorkflow' && node.parameters?.mode === 'each') {
			findings.push(`${at}: Execute Workflow's "Run once for each item" mode is removed`);
		}
		if (MULTI_OUTPUT_NODE_TYPES.has(node.type) && node.alwaysOutputData) {
			findings.push(`${at}: Always Output Data on a node with several outputs changes in 3.0`);
		}
		const text = JSON.stringify(node.parameters ?? {});
		if (text.includes('$getPairedItem')) {
			findings.push(`${at}: the $getPairedItem expression helper is removed`);
		}
		if (node.type === 'n8n-nodes-base.code' && text.includes('$evaluateExpression(')) {
			findings.push(`${at}: $evaluateExpression() is removed from the Code node`);
		}
	}
	return findings;
}

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const exampleFiles = fs.readdirSync(EXAMPLES).filter((file) => file.endsWith('.json'));

describe('examples on n8n 3.x', () => {
	it('finds the examples', () => {
		expect(exampleFiles.length).toBeGreaterThan(10);
	});

	it.each(exampleFiles)('%s uses no node, version or mode that n8n 3.0 removes', (file) => {
		const workflow = JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')) as {
			nodes: WorkflowNode[];
		};
		expect(removedInN8n3(workflow)).toEqual([]);
	});
});

describe('removedInN8n3', () => {
	const node = (extra: Partial<WorkflowNode>): WorkflowNode => ({
		name: 'Node',
		type: 'n8n-nodes-base.set',
		typeVersion: 3,
		parameters: {},
		...extra,
	});

	it.each([
		[node({ type: 'n8n-nodes-base.function' }), 'Function'],
		[node({ type: 'n8n-nodes-base.functionItem' }), 'Function Item'],
		[node({ type: 'n8n-nodes-base.itemLists', typeVersion: 3 }), 'Item Lists'],
		[node({ type: '@n8n/n8n-nodes-langchain.code' }), 'LangChain Code'],
		[node({ type: 'n8n-nodes-base.aiTransform' }), 'AI Transform'],
		[node({ type: '@n8n/n8n-nodes-langchain.agent', typeVersion: 1.7 }), 'AI Agent version 1.7'],
		[
			node({
				type: 'n8n-nodes-base.executeWorkflow',
				typeVersion: 1.2,
				parameters: { mode: 'each' },
			}),
			'Run once for each item',
		],
		[node({ type: 'n8n-nodes-base.if', alwaysOutputData: true }), 'Always Output Data'],
		[node({ parameters: { value: '={{ $getPairedItem("A", "B", 0) }}' } }), '$getPairedItem'],
		[
			node({ type: 'n8n-nodes-base.code', parameters: { jsCode: "$evaluateExpression('{{1}}')" } }),
			'$evaluateExpression',
		],
	])('flags %o (%s)', (flagged, words) => {
		expect(removedInN8n3({ nodes: [flagged] })).toEqual([expect.stringContaining(words)]);
	});

	it('passes what 3.0 keeps', () => {
		const kept = [
			node({ type: '@n8n/n8n-nodes-langchain.agent', typeVersion: 3 }),
			node({
				type: 'n8n-nodes-base.executeWorkflow',
				typeVersion: 1.2,
				parameters: { mode: 'once' },
			}),
			node({ type: 'n8n-nodes-base.set', alwaysOutputData: true }),
			node({ type: 'n8n-nodes-base.code', parameters: { jsCode: 'return $input.all();' } }),
		];
		expect(removedInN8n3({ nodes: kept })).toEqual([]);
	});
});
