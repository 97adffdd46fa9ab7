// Every operation of every action node tells a person in the node picker what it does, with a short
// action that also names a node added from the picker ("Create signing", as n8n's own nodes do),
// and a description. A model reads more: as an AI tool, the node's Description parameter, prefilled
// per operation with "<action> in <node>. <description>". The description says "legally binding"
// wherever a signing request is sent (plus the notice in the panel), and "read-only" wherever
// nothing changes. An operation that is neither must be listed below, so a new operation cannot
// slip through without that decision. The canvas subtitle names the operation and resource in
// words (the nodes hold the map as a literal, which lint requires).
import type {
	INode,
	INodeProperties,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import { Documentolog } from '../../nodes/Documentolog/Documentolog.node';
import { DokobitGateway } from '../../nodes/DokobitGateway/DokobitGateway.node';
import { OkDokument } from '../../nodes/OkDokument/OkDokument.node';

const nodes: INodeType[] = [new DokobitGateway(), new OkDokument(), new Documentolog()];

/** Operations that send a signing request or sign, as `<node> <resource>:<operation>`. */
const LEGALLY_BINDING = [
	'dokobitGateway signing:addSigners',
	'dokobitGateway signing:create',
	'dokobitGateway signing:createAndWait',
	'dokobitGateway signing:createBatch',
	'dokobitGateway signing:seal',
	'okDokument document:upload',
	'okDokument signatureRequest:create',
	'okDokument signatureRequest:createAndWait',
	'documentolog document:createAndWait',
	'documentolog document:createSigningSession',
];

/** Operations that change something at the vendor but send no signing request. */
const CHANGES_WITHOUT_SIGNING_REQUEST = [
	'dokobitGateway file:archive',
	'dokobitGateway file:delete',
	'dokobitGateway file:upload',
	'dokobitGateway signing:archive',
	'dokobitGateway signing:delete',
	'dokobitGateway signing:removeSigners',
	'okDokument document:delete',
	'okDokument signatureRequest:delete',
	'okDokument signatureRequest:update',
];

interface Operation {
	key: string;
	resource: string;
	operation: string;
	option: INodePropertyOptions;
	node: INodeType;
}

function operationsOf(node: INodeType): Operation[] {
	const { name, properties } = node.description;
	return properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) =>
			(property.options as INodePropertyOptions[]).map((option) => {
				const resource = String(property.displayOptions?.show?.resource?.[0]);
				const operation = String(option.value);
				return { key: `${name} ${resource}:${operation}`, resource, operation, option, node };
			}),
		);
}

const operations = nodes.flatMap(operationsOf);

/** Whether the property is shown for this resource and operation (any other condition aside). */
function shownFor(property: INodeProperties, { resource, operation }: Operation): boolean {
	const show = property.displayOptions?.show;
	return Boolean(show?.resource?.includes(resource) && show?.operation?.includes(operation));
}

/** The node type n8n generates for AI agents (`<name>Tool`), reduced to what its description uses. */
function toolType(node: INodeType): INodeTypeDescription {
	return { ...node.description, name: `${node.description.name}Tool`, outputs: ['ai_tool'] };
}

function newestVersion(node: INodeType): number {
	const version = node.description.version;
	return Array.isArray(version) ? version[version.length - 1] : version;
}

/**
 * What n8n tells the model about the tool: its parameters with their defaults as a workflow loads
 * them (`@tool` conditions hold in the tool variant only), then n8n's own tool description rule.
 */
function toolDescription({ node, resource, operation }: Operation): string {
	const description = toolType(node);
	const toolNode: INode = {
		id: 'tool',
		name: 'Tool',
		type: description.name,
		typeVersion: newestVersion(node),
		position: [0, 0],
		parameters: { resource, operation },
	};
	toolNode.parameters = NodeHelpers.getNodeParameters(
		description.properties,
		toolNode.parameters,
		true,
		false,
		toolNode,
		description,
	)!;
	return NodeHelpers.getToolDescriptionForNode(toolNode, { ...node, description });
}

/** The name n8n gives the node when it is added from the picker by this action. */
function pickerName({ node, resource, operation }: Operation): string {
	return NodeHelpers.makeNodeName({ resource, operation }, node.description);
}

/** The canvas subtitle as n8n's expression engine evaluates it for this node's parameters. */
function subtitle({ node, resource, operation }: Operation): unknown {
	const version = node.description.version;
	const canvasNode: INode = {
		id: 'node',
		name: 'Node',
		type: node.description.name,
		typeVersion: Array.isArray(version) ? version[version.length - 1] : version,
		position: [0, 0],
		parameters: { resource, operation },
	};
	const workflow = new Workflow({
		nodes: [canvasNode],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => node,
			getByNameAndVersion: () => node,
			getKnownTypes: () => ({}),
		},
	});
	return workflow.expression.getSimpleParameterValue(
		canvasNode,
		node.description.subtitle,
		'internal',
		{},
	);
}

describe('operation texts (node picker and AI tool descriptions)', () => {
	it('finds the operations of all three action nodes', () => {
		expect(operations.length).toBeGreaterThan(30);
		expect(new Set(operations.map((op) => op.key)).size).toBe(operations.length);
		for (const key of [...LEGALLY_BINDING, ...CHANGES_WITHOUT_SIGNING_REQUEST]) {
			expect(operations.map((op) => op.key)).toContain(key);
		}
	});

	it.each(operations.map((op) => [op.key, op] as const))(
		'%s has a short action in sentence case, the name of a node added from the picker',
		(_key, op) => {
			const action = op.option.action ?? '';
			expect(action).toMatch(/^[A-Z][a-z]+( [a-z]+| URL)*$/);
			expect(action.length).toBeLessThanOrEqual(30);
			expect(pickerName(op)).toBe(action);
			expect(op.option.description?.trim()).toBeTruthy();
		},
	);

	it('no two operations of a node share an action', () => {
		for (const node of nodes) {
			const mine = operations.filter((op) => op.node === node);
			const actions = mine.map((op) => op.option.action);
			expect(new Set(actions).size).toBe(actions.length);
		}
	});

	it.each(operations.map((op) => [op.key, op] as const))(
		'%s tells a model the action, the node and the whole description',
		(_key, op) => {
			expect(toolDescription(op)).toBe(
				`${op.option.action} in ${op.node.description.defaults.name}. ${op.option.description}`,
			);
		},
	);

	it.each(operations.map((op) => [op.key, op] as const))(
		'%s is legally binding, read-only, or listed as changing without a signing request',
		(key, op) => {
			const binding = LEGALLY_BINDING.includes(key);
			const readOnly = /read-only/.test(op.option.description ?? '');
			const listed = CHANGES_WITHOUT_SIGNING_REQUEST.includes(key);
			expect([binding, readOnly, listed].filter(Boolean)).toHaveLength(1);
			if (readOnly) expect(toolDescription(op)).toMatch(/read-only/);
			if (!binding) expect(toolDescription(op)).not.toMatch(/legally binding/);
		},
	);

	it.each(LEGALLY_BINDING.map((key) => [key] as const))(
		'%s says "legally binding" in its description, tool description and panel notice',
		(key) => {
			const op = operations.find((candidate) => candidate.key === key)!;
			expect(op.option.description).toMatch(/legally binding/);
			expect(toolDescription(op)).toMatch(/legally binding/);
			const notices = op.node.description.properties.filter(
				(property) =>
					property.type === 'notice' &&
					/legally binding/.test(property.displayName) &&
					shownFor(property, op),
			);
			expect(notices).toHaveLength(1);
		},
	);

	it.each(nodes.map((node) => [node.description.displayName, node] as const))(
		'%s shows the tool Description in its tool variant only',
		(_name, node) => {
			const parameters = (description: INodeTypeDescription) =>
				NodeHelpers.getNodeParameters(
					description.properties,
					{},
					true,
					false,
					{ typeVersion: newestVersion(node) } as INode,
					description,
				)!;
			expect(parameters(node.description)).not.toHaveProperty('toolDescription');
			expect(parameters(toolType(node))).toHaveProperty('toolDescription');
		},
	);

	it('the create tool descriptions say what comes back', () => {
		const byKey = (key: string) => toolDescription(operations.find((op) => op.key === key)!);
		expect(byKey('dokobitGateway signing:create')).toBe(
			"Create signing in Dokobit Documents Gateway. Send a document for signature: a legally binding signing request to the signers. Returns the signing token and each signer's signing link. Never retried automatically.",
		);
		expect(byKey('okDokument signatureRequest:create')).toMatch(/Returns .* the signing link/);
		expect(byKey('documentolog document:createSigningSession')).toMatch(
			/Returns the embedded signing page/,
		);
	});

	it.each(operations.map((op) => [op.key, op] as const))(
		'%s shows its operation and resource in words on the canvas',
		(_key, op) => {
			const resourceName = (
				op.node.description.properties.find((property) => property.name === 'resource')!
					.options as INodePropertyOptions[]
			).find((option) => option.value === op.resource)!.name;
			expect(subtitle(op)).toBe(`${op.option.name}: ${resourceName}`);
		},
	);

	it('the subtitle of Send and Wait for Signature names the operation and the resource', () => {
		const op = operations.find(
			(candidate) => candidate.key === 'dokobitGateway signing:createAndWait',
		)!;
		expect(subtitle(op)).toBe('Send and Wait for Signature: Signing');
	});
});
