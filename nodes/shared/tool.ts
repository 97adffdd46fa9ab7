import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Whether this run is the generated AI tool variant of the node (n8n registers every
 * `usableAsTool` node a second time as `<type>Tool`, used by AI Agents and the MCP Server Trigger).
 */
export function runsAsTool(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

/**
 * Runs the node; as an agent's tool, a failure becomes the tool's answer (`{ error, description }`)
 * so the model reads which field was wrong and can correct its call. n8n 2.x does the same for
 * tool nodes unless "On Error" is "Stop Workflow"; 1.x ends the whole agent execution instead,
 * leaving the model nothing to correct. A user's explicit "Stop Workflow" is kept. A tool called
 * outside an execution (the MCP Server Trigger) keeps throwing: n8n turns that into an MCP error
 * result (`isError`), which is what MCP clients look for.
 */
export async function answeringToolErrors(
	ctx: IExecuteFunctions,
	run: () => Promise<INodeExecutionData[][]>,
): Promise<INodeExecutionData[][]> {
	const inAgentExecution = runsAsTool(ctx) && Boolean(ctx.getExecutionId());
	if (!inAgentExecution || ctx.getNode().onError === 'stopWorkflow') return await run();
	try {
		return await run();
	} catch (caught) {
		const error = caught as { message?: string; description?: string | null };
		const message = error.message ?? String(caught);
		const description =
			error.description && !message.includes(error.description) ? error.description : undefined;
		return [[{ json: { error: message, ...(description ? { description } : {}) } }]];
	}
}

/** n8n's MCP Server Trigger, whose tools must answer their client at once. */
const MCP_TRIGGER_TYPE = '@n8n/n8n-nodes-langchain.mcpTrigger';

/**
 * Whether this tool run answers an MCP client. Outside queue mode the MCP Server Trigger calls tools
 * straight from its webhook, before any execution exists. In queue mode (n8n 2.x) a worker runs
 * the MCP execution to its end and only then calls the tool, with the trigger as the tool's parent
 * (n8n's job processor, `invokeTool`): an execution id exists, but nothing can wait any more. The
 * parent is not in n8n's public types, so it is read where the context carries it.
 */
function answersMcpClient(ctx: IExecuteFunctions): boolean {
	const parent = (ctx as { parentNode?: { type?: unknown } }).parentNode;
	return parent?.type === MCP_TRIGGER_TYPE;
}

/**
 * Send and Wait needs an execution that can pause and later be resumed by the vendor. A tool that
 * answers an MCP client has none: creating the document there would send a legally binding
 * request whose outcome nobody could receive. Refused before anything is sent.
 */
export function assertCanWait(ctx: IExecuteFunctions): void {
	const executionId = ctx.getExecutionId() as string | undefined;
	if (executionId && !answersMcpClient(ctx)) return;
	throw new NodeOperationError(
		ctx.getNode(),
		'Send and Wait cannot run here: there is no workflow execution that could wait for the signature',
		{
			description: runsAsTool(ctx)
				? 'Tools called through an MCP Server Trigger answer at once and cannot pause. Nothing was sent. Use the create operation instead and follow the document with the read operations or a trigger.'
				: 'Nothing was sent.',
		},
	);
}

/**
 * The Description a model reads about each operation when the node is an AI tool, shown only in
 * the tool variant (`@tool`) and prefilled per operation: "<action> in <node>. <description>".
 * n8n's automatic tool description is "<action> in <node>" alone, and the same `action` names a
 * node added from the picker, so it must stay short; the operation's description says the rest
 * (legally binding, read-only, what comes back). n8n adds no description parameters of its own to
 * a node that has a `toolDescription`, and reads this one at run time (1.x and 2.x alike).
 */
export function toolDescriptionProperties(
	nodeName: string,
	properties: INodeProperties[],
): INodeProperties[] {
	return properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) =>
			(property.options as INodePropertyOptions[]).map(
				(option): INodeProperties => ({
					displayName: 'Description',
					name: 'toolDescription',
					type: 'string',
					default: `${option.action} in ${nodeName}. ${option.description}`,
					required: true,
					typeOptions: { rows: 3 },
					description:
						'What the model reads about this tool; the default says what the operation sends and returns',
					displayOptions: {
						show: {
							'@tool': [true],
							resource: property.displayOptions?.show?.resource ?? [],
							operation: [option.value],
						},
					},
				}),
			),
		);
}
