// Test workflows where n8n's AI Agent uses the package's nodes as tools, with the scripted model
// (test/helpers/scripted-model.ts) behind n8n's own OpenAI Chat Model node.
import { randomUUID } from 'node:crypto';
import type { INodePropertyOptions, INodeType } from 'n8n-workflow';
import { activate, createCredential, createWorkflow, rest, webhookUrl, type Workflow } from './n8n';

/** A node of the test workflow, connected to the agent as a tool (`ai_tool`). */
export interface ToolSpec {
	name: string;
	/** The generated tool type, e.g. `n8n-nodes-esign.dokobitGatewayTool`. */
	type: string;
	parameters: Record<string, unknown>;
	credentials: Record<string, { id: string; name: string }>;
	/** 1 unless given (the package's nodes have one version). */
	typeVersion?: number;
}

/** The openAiApi credential pointing at the scripted model; its key must never reach a vendor. */
export async function scriptedModelCredential(url: string) {
	return await createCredential(`Scripted model ${randomUUID()}`, 'openAiApi', {
		apiKey: `sk-scripted-${randomUUID()}`,
		url,
	});
}

/**
 * Webhook "Start" (prompt = body.prompt) → AI Agent with the scripted model and the tools. With
 * `lastNode` the webhook answers with the agent's output; with `onReceived` at once (waiting tools).
 */
export async function agentWorkflow(options: {
	name: string;
	modelId: string;
	modelCredential: { id: string; name: string };
	tools: ToolSpec[];
	responseMode?: 'lastNode' | 'onReceived' | 'streaming';
	/** Webhook node version; streaming needs the one that offers it (`streamingWebhookVersion`). */
	webhookVersion?: number;
	/** OpenAI Chat Model 1.3 uses the Responses API unless told not to. */
	responsesApi?: boolean;
	/**
	 * A human-review node (e.g. `n8n-nodes-base.emailSendHitlTool`) between the tools named in
	 * `gates` and the agent: n8n runs those only once someone approves.
	 */
	review?: { node: ToolSpec; gates: string[] };
}): Promise<{ workflow: Workflow; url: string }> {
	const path = `agent-${randomUUID()}`;
	const nodes: Array<Record<string, unknown>> = [
		{
			id: randomUUID(),
			name: 'Start',
			type: 'n8n-nodes-base.webhook',
			typeVersion: options.webhookVersion ?? 2,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: {
				httpMethod: 'POST',
				path,
				responseMode: options.responseMode ?? 'lastNode',
				options: {},
			},
		},
		{
			id: randomUUID(),
			name: 'Agent',
			type: '@n8n/n8n-nodes-langchain.agent',
			typeVersion: 3,
			position: [240, 0],
			parameters: {
				promptType: 'define',
				text: '={{ $json.body.prompt }}',
				options: { maxIterations: 8, returnIntermediateSteps: true },
			},
		},
		{
			id: randomUUID(),
			name: 'Model',
			type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
			typeVersion: 1.3,
			position: [160, 220],
			parameters: {
				model: { __rl: true, mode: 'id', value: options.modelId },
				responsesApiEnabled: options.responsesApi ?? false,
				options: { maxRetries: 0 },
			},
			credentials: { openAiApi: options.modelCredential },
		},
		...[...options.tools, ...(options.review ? [options.review.node] : [])].map((tool, index) => ({
			id: randomUUID(),
			typeVersion: 1,
			position: [320 + 160 * index, 220],
			webhookId: randomUUID(),
			...tool,
		})),
	];
	const connections: Record<string, unknown> = {
		Start: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
		Model: { ai_languageModel: [[{ node: 'Agent', type: 'ai_languageModel', index: 0 }]] },
	};
	const toAgent = { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] };
	const gated = new Set(options.review?.gates);
	for (const tool of options.tools) {
		connections[tool.name] = gated.has(tool.name)
			? { ai_tool: [[{ node: options.review!.node.name, type: 'ai_tool', index: 0 }]] }
			: toAgent;
	}
	if (options.review) connections[options.review.node.name] = toAgent;
	const workflow = await createWorkflow({ name: options.name, nodes, connections });
	await activate(workflow);
	return { workflow, url: webhookUrl(path) };
}

/** `$fromAI(key, description, type)` as a parameter expression. */
export const fromAI = (key: string, description: string, type = 'string') =>
	`={{ $fromAI('${key}', ${JSON.stringify(description)}, '${type}') }}`;

/** Dokobit Signing → Create (or Send and Wait) with what a model fills in: title, file URL, signers. */
export const dokobitCreateFromAI = {
	resource: 'signing',
	name: fromAI('name', 'Title of the document'),
	type: 'pdf',
	filesFrom: 'upload',
	fileSource: 'url',
	fileUrl: fromAI('fileUrl', 'URL of the PDF to sign'),
	signersInput: 'json',
	signersJson: fromAI(
		'signers',
		'Signers: array of { id, name, surname, code (personal code) }',
		'json',
	),
};

/**
 * Whether this n8n offers human review in front of a tool (Approve/Deny; n8n generates a
 * `…HitlTool` type for each node with a Send and Wait operation): here, the Send Email node's.
 */
export async function hasHumanReview(): Promise<boolean> {
	const types = await rest<NodeTypeListing[]>('GET', '/types/nodes.json');
	return types.some((type) => type.name === EMAIL_REVIEW_TYPE);
}

export const EMAIL_REVIEW_TYPE = 'n8n-nodes-base.emailSendHitlTool';

/** The link of an n8n approval mail's button that answers `approved` (Approve, or Decline). */
export function approvalLink(html: string, approved: boolean): string {
	const link = [...html.matchAll(/href="([^"]+)"/g)]
		.map((match) => match[1].replace(/&amp;/g, '&'))
		.find((href) => new URL(href).searchParams.get('approved') === String(approved));
	if (!link) throw new Error(`no ${approved ? 'approve' : 'decline'} link in the mail`);
	return link;
}

/** A person's click in a browser: n8n answers link checkers and bots without resuming. */
export const clickAsPerson = async (link: string) =>
	await fetch(link, {
		headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0' },
	});

interface NodeTypeListing {
	name: string;
	version: number | number[];
	properties: Array<{
		name: string;
		options?: Array<{ value?: unknown }>;
		displayOptions?: { show?: { '@version'?: unknown[] } };
	}>;
}

/**
 * The highest Webhook node version whose "Respond" offers Streaming (responses streamed from
 * the AI Agent), or undefined where this n8n has none.
 */
export async function streamingWebhookVersion(): Promise<number | undefined> {
	const types = await rest<NodeTypeListing[]>('GET', '/types/nodes.json');
	const versions = types
		.filter((type) => type.name === 'n8n-nodes-base.webhook')
		.filter((type) =>
			type.properties.some(
				(property) =>
					property.name === 'responseMode' &&
					(property.options ?? []).some((option) => option.value === 'streaming'),
			),
		)
		.flatMap((type) => (Array.isArray(type.version) ? type.version : [type.version]));
	return versions.length ? Math.max(...versions) : undefined;
}

/**
 * What the package's tool for this operation tells a model unless the user rewrote it: the
 * operation's short action, the node, and the operation's whole description, from the node's texts.
 */
export function packageToolDescription(node: INodeType, resource: string, operation: string) {
	const option = node.description.properties
		.filter(
			(property) =>
				property.name === 'operation' &&
				property.displayOptions?.show?.resource?.includes(resource),
		)
		.flatMap((property) => property.options as INodePropertyOptions[])
		.find((candidate) => candidate.value === operation);
	if (!option)
		throw new Error(`${node.description.name} has no operation ${resource}:${operation}`);
	return `${option.action} in ${node.description.defaults.name}. ${option.description}`;
}
