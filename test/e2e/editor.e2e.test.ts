/* eslint-disable @typescript-eslint/no-require-imports */
// The real n8n editor in headless Chromium: one workflow holds every node of the package; each
// node's parameter panel (NDV) must open, show the node and its parameters with the sandbox
// credential selected, and the browser console must stay free of errors throughout.
import { randomUUID } from 'node:crypto';
import type { INodeType, INodePropertyOptions } from 'n8n-workflow';
import { Documentolog } from '../../nodes/Documentolog/Documentolog.node';
import { DokobitGateway } from '../../nodes/DokobitGateway/DokobitGateway.node';
import { OkDokument } from '../../nodes/OkDokument/OkDokument.node';
import { OkDokumentPollingTrigger } from '../../nodes/OkDokument/OkDokumentPollingTrigger.node';
import { packageToolDescription } from '../helpers/agent';
import {
	createCredential,
	createWorkflow,
	e2eInfo,
	latestExecution,
	nodeOutput,
} from '../helpers/n8n';

jest.setTimeout(120_000);

/** The little of playwright-core this test uses, through scripts/lib/editor.cjs. */
interface Locator {
	locator(selector: string): Locator;
	filter(options: { hasText: string }): Locator;
	waitFor(options?: { timeout?: number }): Promise<void>;
	getAttribute(name: string): Promise<string | null>;
	innerText(): Promise<string>;
	inputValue(): Promise<string>;
	evaluate<T, A>(fn: (element: A) => T): Promise<T>;
	first(): Locator;
	click(): Promise<void>;
}
interface Page {
	locator(selector: string): Locator;
	goto(url: string, options?: { timeout?: number }): Promise<unknown>;
}
interface Browser {
	close(): Promise<void>;
}
interface EditorLib {
	byTestId(id: string): string;
	LAUNCH_TIMEOUT_MS: number;
	startBrowser(): { browser: Promise<Browser>; stop(): Promise<void> };
	openEditor(
		browser: Browser,
		options: { baseUrl: string; cookie: string },
	): Promise<{ page: Page; consoleErrors: { errors: string[]; ignored: string[] } }>;
	openWorkflow(page: Page, baseUrl: string, workflowId: string): Promise<void>;
	openNodePanel(page: Page, nodeName: string): Promise<Locator>;
	closeNodePanel(page: Page): Promise<void>;
	closeOpenNodePanel(page: Page): Promise<void>;
	panelLabels(page: Page, options?: { including?: string[] }): Promise<string[]>;
	searchNodes(page: Page, query: string, expected: string[]): Promise<string[]>;
	pickerEntries(page: Page): Promise<Array<{ name: string; description: string }>>;
	openPickerEntry(page: Page, query: string, entryName: string): Promise<string>;
	pickerActionNames(page: Page, options?: { including?: string[] }): Promise<string[]>;
	addNodeByAction(page: Page, actionName: string): Promise<string>;
	canvasNodeNames(page: Page): Promise<string[]>;
	openWorkflowDiscardingChanges(page: Page, baseUrl: string, workflowId: string): Promise<void>;
}

// Plain CommonJS shared with scripts/docs-screenshots.mjs; jest loads it untransformed.
const editor = require('../../scripts/lib/editor.cjs') as EditorLib;

interface NodeCase {
	type: string;
	displayName: string;
	credential: 'dokobitGatewayApi' | 'okDokumentApi' | 'documentologApi';
	parameters: Record<string, unknown>;
	/** Labels the Parameters tab must show (operation-specific ones prove displayOptions work). */
	labels: string[];
	/** The selected operation as the panel shows it (action nodes). */
	operation?: string;
	/** The subtitle the canvas shows under the node's name (action nodes: words, not values). */
	subtitle?: string;
	/** Node version; the newest unless given. */
	typeVersion?: number;
	/** Labels the panel must not show (the other version's signer block). */
	absentLabels?: string[];
	webhook?: boolean;
	/**
	 * The node's own entry in the node picker: its name there, the node whose texts it must show,
	 * and the action to add one through the picker by. Triggers named like their action node have
	 * none: n8n lists them under the action node's entry.
	 */
	picker?: { entry: string; node: INodeType; addBy?: string };
	/** The Description an AI-tool variant shows, which is what the model reads. */
	toolDescription?: string;
}

/** A Dokobit signer as node version 1.1 stores it: required fields first, the rest nested. */
const SIGNER_V1_1 = {
	name: 'Jonas',
	surname: 'Jonaitis',
	code: '50001018865',
	signing_purpose: 'signature',
	additionalFields: { country_code: 'lt', email: 'jonas@example.com' },
};

/** The same signer as version 1 stored it: every field flat, the ID beside the personal code. */
const SIGNER_V1 = {
	id: '50001018865',
	name: 'Jonas',
	surname: 'Jonaitis',
	signing_purpose: 'signature',
	code: '50001018865',
	country_code: 'lt',
	email: 'jonas@example.com',
};

const NODES: NodeCase[] = [
	{
		type: 'dokobitGateway',
		displayName: 'Dokobit Documents Gateway',
		credential: 'dokobitGatewayApi',
		parameters: {
			resource: 'signing',
			operation: 'create',
			signersInput: 'fields',
			signers: { signer: [SIGNER_V1_1] },
		},
		labels: [
			'Resource',
			'Operation',
			'Document Name',
			'Signing Type',
			'Signers',
			'First Name',
			'Last Name',
			'Personal Code',
			'Signing Purpose',
			'Additional Fields',
			'eID Country',
			'Email',
			'Options',
		],
		absentLabels: ['Signer ID', 'Country Code', 'Structural Subdivision', 'Postal Code'],
		operation: 'Create',
		subtitle: 'Create: Signing',
		picker: {
			entry: 'Dokobit Documents Gateway',
			node: new DokobitGateway(),
			addBy: 'Create signing',
		},
	},
	{
		type: 'dokobitGateway',
		displayName: 'Dokobit Documents Gateway v1 (saved before 1.1)',
		credential: 'dokobitGatewayApi',
		typeVersion: 1,
		parameters: {
			resource: 'signing',
			operation: 'createAndWait',
			signersInput: 'fields',
			signers: { signer: [SIGNER_V1] },
		},
		labels: ['Signers', 'Signer ID', 'First Name', 'Personal Code', 'Country Code', 'Email'],
		absentLabels: ['Additional Fields', 'eID Country'],
		operation: 'Send and Wait for Signature',
		subtitle: 'Send and Wait for Signature: Signing',
	},
	{
		type: 'okDokument',
		displayName: 'OKdokument',
		credential: 'okDokumentApi',
		parameters: { resource: 'signatureRequest', operation: 'create' },
		labels: ['Resource', 'Operation', 'Document', 'File Source', 'Signing Rules'],
		operation: 'Create',
		subtitle: 'Create: Signature Request',
		picker: { entry: 'OKdokument', node: new OkDokument(), addBy: 'Create signature request' },
	},
	{
		type: 'documentolog',
		displayName: 'Documentolog',
		credential: 'documentologApi',
		parameters: { resource: 'document', operation: 'createSigningSession' },
		labels: ['Resource', 'Operation', 'Attachments From', 'Sender IIN/BIN', 'Recipients'],
		operation: 'Create Signing Session',
		subtitle: 'Create Signing Session: Document',
		picker: { entry: 'Documentolog', node: new Documentolog(), addBy: 'Create signing session' },
	},
	{
		type: 'dokobitGatewayTool',
		displayName: 'Dokobit Documents Gateway as an AI tool',
		credential: 'dokobitGatewayApi',
		typeVersion: 1.1,
		parameters: { resource: 'signing', operation: 'getStatus' },
		labels: ['Description', 'Resource', 'Operation', 'Signing Token'],
		operation: 'Get Status',
		toolDescription: packageToolDescription(new DokobitGateway(), 'signing', 'getStatus'),
	},
	{
		type: 'dokobitGatewayTrigger',
		displayName: 'Dokobit Documents Gateway Trigger',
		credential: 'dokobitGatewayApi',
		parameters: {},
		labels: ['Events', 'Verification', 'Secret', 'Options'],
		webhook: true,
	},
	{
		type: 'okDokumentTrigger',
		displayName: 'OKdokument Trigger',
		credential: 'okDokumentApi',
		parameters: {},
		labels: ['Events', 'Verification', 'Secret', 'Options'],
		webhook: true,
	},
	{
		type: 'okDokumentPollingTrigger',
		displayName: 'OKdokument Polling Trigger',
		credential: 'okDokumentApi',
		parameters: {},
		labels: ['Poll Times', 'Events'],
		picker: { entry: 'OKdokument Polling', node: new OkDokumentPollingTrigger() },
	},
	{
		type: 'documentologTrigger',
		displayName: 'Documentolog Trigger',
		credential: 'documentologApi',
		parameters: {},
		labels: ['Events', 'Options'],
		webhook: true,
	},
];

const CREDENTIALS = {
	dokobitGatewayApi: {
		vendor: 'dokobit',
		data: { environment: 'custom', accessToken: 'example-dokobit-token' },
	},
	okDokumentApi: {
		vendor: 'okdokument',
		data: { environment: 'custom', apiKey: 'example-okdokument-key' },
	},
	documentologApi: {
		vendor: 'documentolog',
		data: { host: 'custom', apiKey: 'example-documentolog-key' },
	},
} as const;

let chromium: ReturnType<EditorLib['startBrowser']> | undefined;
let page: Page;
let consoleErrors: { errors: string[]; ignored: string[] };
/** The workflow of every node, which the tests after the picker's find open again. */
let everyNodeWorkflowId: string;
const credentialNames: Record<string, string> = {};
const credentialRefs: Record<string, { id: string; name: string }> = {};

beforeAll(async () => {
	const info = e2eInfo();
	const credentials: Record<string, { id: string; name: string }> = {};
	for (const [type, spec] of Object.entries(CREDENTIALS)) {
		const created = await createCredential(`Editor test ${spec.vendor}`, type, {
			...spec.data,
			baseUrl: info.sandbox[spec.vendor],
		});
		credentials[type] = { id: created.id, name: created.name };
		credentialNames[type] = created.name;
		credentialRefs[type] = credentials[type];
	}
	const workflow = await createWorkflow({
		name: 'Editor: every node of n8n-nodes-esign',
		connections: {},
		nodes: NODES.map((node, index) => ({
			id: randomUUID(),
			name: node.displayName,
			type: `n8n-nodes-esign.${node.type}`,
			typeVersion: node.typeVersion ?? (node.type === 'dokobitGateway' ? 1.1 : 1),
			position: [(index % 4) * 260, Math.floor(index / 4) * 240],
			parameters: node.parameters,
			credentials: { [node.credential]: credentials[node.credential] },
			...(node.webhook ? { webhookId: randomUUID() } : {}),
		})),
	});
	chromium = editor.startBrowser();
	({ page, consoleErrors } = await editor.openEditor(await chromium.browser, {
		baseUrl: info.baseUrl,
		cookie: info.cookie,
	}));
	everyNodeWorkflowId = workflow.id;
	await editor.openWorkflow(page, info.baseUrl, workflow.id);
	// Chromium's start and the editor's first load (60 s each at most) on top of the REST calls.
}, editor.LAUNCH_TIMEOUT_MS + 180_000);

// Stops Chromium whatever state its launch is in (scripts/lib/editor.cjs).
afterAll(async () => await chromium?.stop(), 60_000);

// A failed check leaves its panel open over the canvas; the next test must still reach its node.
afterEach(async () => {
	if (page) await editor.closeOpenNodePanel(page);
}, 30_000);

describe('n8n editor with the installed package', () => {
	it('draws every node of the package on the canvas, with its own icon loaded', async () => {
		for (const node of NODES) {
			const icon = await page
				.locator(`${editor.byTestId('canvas-node')}[data-node-name="${node.displayName}"] img`)
				.first()
				.evaluate((img: { src: string; complete: boolean; naturalWidth: number }) => ({
					src: img.src,
					loaded: img.complete && img.naturalWidth > 0,
				}));
			// Served by n8n from the installed package (not a placeholder) and decoded by the browser.
			expect({ node: node.displayName, ...icon }).toEqual({
				node: node.displayName,
				src: expect.stringMatching(/\/icons\/n8n-nodes-esign\/dist\/nodes\/\w+\/\w+\.svg$/),
				loaded: true,
			});
			// The dark-theme variant beside it is served too.
			const dark = await fetch(icon.src.replace(/\.svg$/, '.dark.svg'), {
				headers: { cookie: e2eInfo().cookie },
			});
			expect([node.displayName, dark.status, dark.headers.get('content-type')]).toEqual([
				node.displayName,
				200,
				expect.stringContaining('image/svg+xml'),
			]);
		}
		expect(consoleErrors.errors).toEqual([]);
	});

	it.each(NODES.map((node) => [node.displayName, node] as const))(
		'opens the parameter panel of %s without console errors',
		async (_name, node) => {
			const before = consoleErrors.errors.length;
			const ndv = await editor.openNodePanel(page, node.displayName);
			expect(await ndv.locator(editor.byTestId('node-title-container')).innerText()).toContain(
				node.displayName,
			);
			const labels = await editor.panelLabels(page, { including: node.labels });
			expect(labels).toEqual(expect.arrayContaining(node.labels));
			for (const label of node.absentLabels ?? []) expect(labels).not.toContain(label);
			const credential = ndv.locator(`${editor.byTestId('node-credentials-select')} input`);
			expect(await credential.inputValue()).toBe(credentialNames[node.credential]);
			if (node.operation) {
				const operation = ndv.locator(`${editor.byTestId('parameter-input-operation')} input`);
				expect(await operation.inputValue()).toBe(node.operation);
			}
			if (node.toolDescription) {
				const description = ndv.locator(
					`${editor.byTestId('parameter-input-toolDescription')} textarea`,
				);
				expect(await description.inputValue()).toBe(node.toolDescription);
			}
			await editor.closeNodePanel(page);
			expect(consoleErrors.errors.slice(before)).toEqual([]);
		},
	);

	it.each(NODES.filter((node) => node.subtitle).map((node) => [node.displayName, node] as const))(
		'shows the operation of %s in words under its name on the canvas',
		async (_name, node) => {
			const text = await page
				.locator(`${editor.byTestId('canvas-node')}[data-node-name="${node.displayName}"]`)
				.first()
				.innerText();
			expect(text).toContain(node.subtitle);
		},
	);

	it('finds every vendor in the node picker by the alias "e-signature" (codex)', async () => {
		const before = consoleErrors.errors.length;
		// n8n lists a trigger under its action node's entry when their names match; the polling
		// trigger has its own entry. searchNodes waits for each of these names (10 s at most).
		const expected = [
			'Dokobit Documents Gateway',
			'OKdokument',
			'OKdokument Polling',
			'Documentolog',
		];
		const found = await editor.searchNodes(page, 'e-signature', expected);
		expect(found).toEqual(expect.arrayContaining(expected));
		// Each entry describes its own node; the one an action node shares with its trigger shows the
		// action node's description, not the trigger's. n8n 2.x shows it under the name in this list,
		// 1.x only in the entry's panel (checked below for both).
		const entries = await editor.pickerEntries(page);
		if (entries.some((entry) => entry.description)) {
			for (const { picker } of NODES) {
				if (!picker) continue;
				expect(entries).toContainEqual({
					name: picker.entry,
					description: picker.node.description.description,
				});
			}
		}
		expect(consoleErrors.errors.slice(before)).toEqual([]);
	});
});

/** The short action of every operation of an action node: its name in the picker and on the canvas. */
function actionsOf(node: INodeType): string[] {
	return node.description.properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) => (property.options as INodePropertyOptions[]).map((o) => o.action!));
}

const PICKER_ENTRIES = NODES.flatMap((node) => (node.picker ? [node.picker] : []));

describe('the node picker, entry by entry', () => {
	let pickerWorkflowId: string;

	beforeAll(async () => {
		const workflow = await createWorkflow({
			name: 'Editor: nodes added from the picker',
			connections: {},
			nodes: [
				{
					id: randomUUID(),
					name: 'Run',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
			],
		});
		pickerWorkflowId = workflow.id;
	});

	// Later tests find the workflow of every node open again, as before.
	afterAll(async () => {
		if (page)
			await editor.openWorkflowDiscardingChanges(page, e2eInfo().baseUrl, everyNodeWorkflowId);
	}, 90_000);

	it.each(PICKER_ENTRIES.map((picker) => [picker.entry, picker] as const))(
		'%s: its panel shows its own description, every operation by its short name, and a node added by an action is named after it',
		async (_entry, picker) => {
			const before = consoleErrors.errors.length;
			// A workflow with a trigger: the picker offers actions ("What happens next?").
			await editor.openWorkflowDiscardingChanges(page, e2eInfo().baseUrl, pickerWorkflowId);
			const panel = await editor.openPickerEntry(page, picker.entry, picker.entry);
			expect(panel).toContain(picker.node.description.description);
			if (picker.addBy) {
				const actions = actionsOf(picker.node);
				expect(panel).toContain(`Actions (${actions.length})`);
				const listed = await editor.pickerActionNames(page, { including: actions });
				expect(listed).toEqual(expect.arrayContaining(actions));
				expect(listed.filter((name) => name.length > 30)).toEqual([]);

				expect(await editor.addNodeByAction(page, picker.addBy)).toBe(picker.addBy);
				expect(await editor.canvasNodeNames(page)).toEqual(
					expect.arrayContaining(['Run', picker.addBy]),
				);
			}
			expect(consoleErrors.errors.slice(before)).toEqual([]);
		},
	);
});

/**
 * A Manual Trigger → `nodeName` workflow, opened in the editor and run with its Execute button, as a
 * user does; resolves to the execution once it has left "new" and "running".
 */
async function runFromEditor(
	workflowName: string,
	nodeName: string,
	node: {
		type: string;
		typeVersion: number;
		credential: keyof typeof CREDENTIALS;
		parameters: (sandbox: string) => Record<string, unknown>;
		webhook?: boolean;
	},
) {
	const info = e2eInfo();
	const workflow = await createWorkflow({
		name: workflowName,
		nodes: [
			{
				id: randomUUID(),
				name: 'Run',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: randomUUID(),
				name: nodeName,
				type: `n8n-nodes-esign.${node.type}`,
				typeVersion: node.typeVersion,
				position: [240, 0],
				...(node.webhook ? { webhookId: randomUUID() } : {}),
				parameters: node.parameters(info.sandbox[CREDENTIALS[node.credential].vendor]),
				credentials: { [node.credential]: credentialRefs[node.credential] },
			},
		],
		connections: { Run: { main: [[{ node: nodeName, type: 'main', index: 0 }]] } },
	});
	await editor.openWorkflow(page, info.baseUrl, workflow.id);
	await page.locator(editor.byTestId('execute-workflow-button')).first().click();
	return await latestExecution(
		workflow.id,
		(status) => !['new', 'running'].includes(status),
		60_000,
	);
}

/** A Send and Wait node per vendor, with the link its waiting output holds. */
const WAITING: Array<{
	vendor: string;
	type: string;
	credential: keyof typeof CREDENTIALS;
	parameters: (sandbox: string) => Record<string, unknown>;
	links: (output: Record<string, unknown>) => string[];
}> = [
	{
		vendor: 'Dokobit',
		type: 'dokobitGateway',
		credential: 'dokobitGatewayApi',
		parameters: (sandbox) => ({
			resource: 'signing',
			operation: 'createAndWait',
			name: 'Editor wait contract',
			type: 'pdf',
			filesFrom: 'upload',
			fileSource: 'url',
			fileUrl: `${sandbox}/__files/sample.pdf`,
			signersInput: 'json',
			signersJson: JSON.stringify([
				{ id: 'ona', name: 'Ona', surname: 'U', signing_purpose: 'signature' },
				{ id: 'jonas', name: 'Jonas', surname: 'J', signing_purpose: 'signature' },
			]),
		}),
		links: (output) =>
			(output.signers as Array<{ signingUrl: string }>).map((signer) => signer.signingUrl),
	},
	{
		vendor: 'OKdokument',
		type: 'okDokument',
		credential: 'okDokumentApi',
		parameters: (sandbox) => ({
			resource: 'signatureRequest',
			operation: 'createAndWait',
			documentSource: 'upload',
			fileSource: 'url',
			fileUrl: `${sandbox}/__files/sample.pdf`,
			fileName: 'Editor wait contract.pdf',
		}),
		links: (output) => [output.signingUrl as string],
	},
	{
		vendor: 'Documentolog',
		type: 'documentolog',
		credential: 'documentologApi',
		parameters: (sandbox) => ({
			resource: 'document',
			operation: 'createAndWait',
			attachmentsFrom: 'urls',
			attachmentUrls: [`${sandbox}/__files/contract.pdf`],
			sender: '900101300017',
			recipients: ['900101300811'],
		}),
		links: (output) => [output.embedUrl as string],
	},
];

describe('Send and Wait run from the editor', () => {
	it.each(WAITING.map((vendor) => [vendor.vendor, vendor] as const))(
		'shows the signing link of %s in the waiting node’s output panel',
		async (_vendor, vendor) => {
			const before = consoleErrors.errors.length;
			const waiting = await runFromEditor(`Editor: waiting ${vendor.vendor}`, 'Send and wait', {
				type: vendor.type,
				typeVersion: 1,
				credential: vendor.credential,
				parameters: vendor.parameters,
				webhook: true,
			});
			expect(waiting.status).toBe('waiting');
			const links = vendor.links((await nodeOutput(waiting.id, 'Send and wait'))!.json);
			expect(links.length).toBeGreaterThan(0);

			const ndv = await editor.openNodePanel(page, 'Send and wait');
			const hint = ndv.locator(editor.byTestId('node-hint')).filter({ hasText: links[0] });
			await hint.waitFor();
			for (const link of links) {
				// A real link the user can open or copy, not only text.
				const anchor = hint.locator(`a[href="${link}"]`);
				expect(await anchor.innerText()).toBe(link);
			}
			await editor.closeNodePanel(page);
			expect(consoleErrors.errors.slice(before)).toEqual([]);
		},
	);
});

/** A node per vendor with one bad field, entered as a user enters it in the panel. */
const BAD_FIELD: Array<{
	vendor: string;
	type: string;
	typeVersion: number;
	credential: keyof typeof CREDENTIALS;
	parameters: (sandbox: string) => Record<string, unknown>;
	/** The error as the editor must show it: the item as n8n numbers it, the field as labelled. */
	message: string;
}> = [
	{
		vendor: 'Dokobit',
		type: 'dokobitGateway',
		typeVersion: 1.1,
		credential: 'dokobitGatewayApi',
		parameters: (sandbox) => ({
			resource: 'signing',
			operation: 'create',
			name: 'Editor bad contract',
			type: 'pdf',
			filesFrom: 'upload',
			fileSource: 'url',
			fileUrl: `${sandbox}/__files/sample.pdf`,
			signersInput: 'fields',
			signers: { signer: [{ ...SIGNER_V1_1, code: '12345' }] },
		}),
		message: 'Item 0: Signer 1 › Personal Code "12345" is not a valid LT, EE or FI personal code',
	},
	{
		vendor: 'OKdokument',
		type: 'okDokument',
		typeVersion: 1,
		credential: 'okDokumentApi',
		parameters: (sandbox) => ({
			resource: 'signatureRequest',
			operation: 'create',
			documentSource: 'upload',
			fileSource: 'url',
			fileUrl: `${sandbox}/__files/sample.pdf`,
			fileName: 'Editor bad contract.pdf',
			options: { fieldConfig: { field: [{ name: 'TC;text', value: 'x' }] } },
		}),
		message:
			'Item 0: Options › Field Values › Field 1 › Field Name "TC;text" is not a form field name',
	},
	{
		vendor: 'Documentolog',
		type: 'documentolog',
		typeVersion: 1,
		credential: 'documentologApi',
		parameters: (sandbox) => ({
			resource: 'document',
			operation: 'createSigningSession',
			attachmentsFrom: 'urls',
			attachmentUrls: [`${sandbox}/__files/contract.pdf`],
			sender: '900101300017',
			recipients: ['900101300811'],
			smsRecipients: { recipient: [{ phone: '+7 701 12', fullName: 'Nurlan Abenov' }] },
		}),
		message:
			'Item 0: SMS Recipient 1 › Phone "+7 701 12" is not a phone number in the format +X (XXX) XXX-XX-XX',
	},
];

/** The labels of a message's field ("Options › Field Values › Field 1 › Field Name"), less entries. */
function fieldLabelsOf(message: string, problemStart: string): string[] {
	const fieldText = message.slice(message.indexOf(': ') + 2, message.indexOf(problemStart)).trim();
	return fieldText.split(' › ').filter((label) => !/^(.+ )?\d+$/.test(label));
}

describe('validation errors in the editor', () => {
	it.each(BAD_FIELD.map((vendor) => [vendor.vendor, vendor] as const))(
		'%s: the error names the item and the field with the labels the panel shows',
		async (_vendor, vendor) => {
			const before = consoleErrors.errors.length;
			const failed = await runFromEditor(`Editor: bad field ${vendor.vendor}`, 'Bad field', {
				type: vendor.type,
				typeVersion: vendor.typeVersion,
				credential: vendor.credential,
				parameters: vendor.parameters,
			});
			expect(failed.status).toBe('error');

			const ndv = await editor.openNodePanel(page, 'Bad field');
			const shown = ndv.locator(editor.byTestId('node-error-message'));
			await shown.waitFor({ timeout: 30_000 });
			expect((await shown.innerText()).trim()).toBe(vendor.message);
			// Every label the message names is one the panel shows for this node.
			const labels = fieldLabelsOf(vendor.message, ' "');
			expect(await editor.panelLabels(page, { including: labels })).toEqual(
				expect.arrayContaining(labels),
			);
			await editor.closeNodePanel(page);
			expect(consoleErrors.errors.slice(before)).toEqual([]);
		},
	);
});
