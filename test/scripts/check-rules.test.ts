/* eslint-disable @typescript-eslint/no-require-imports, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
// scripts/lib/rules.cjs (run on dist/ by scripts/check-rules.mjs): each check flags a description
// that breaks its rule and passes the same description once fixed, and the package's own nodes,
// credentials and icons (loaded from the sources) pass every check.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface Violation {
	rule: string;
	where: string;
	message: string;
}
interface LoadedPackage {
	pkg: Record<string, unknown>;
	nodes: Array<{ file: string; className: string }>;
	credentials: Array<{ file: string; className: string }>;
}
interface RulesLib {
	HINT_MAX_LENGTH: number;
	checkPackageJson(pkg: Record<string, unknown>): Violation[];
	checkNode(node: {
		file: string;
		className: string;
		description: Record<string, unknown>;
		codex?: Record<string, unknown>;
		source?: string;
	}): Violation[];
	checkCredential(credential: {
		file: string;
		className: string;
		credential: Record<string, unknown>;
	}): Violation[];
	checkIcons(icon: unknown, directory: string, where: string): Violation[];
	loadPackage(root: string, options?: { fromSources?: boolean }): LoadedPackage;
	checkPackage(loaded: LoadedPackage): Violation[];
	formatViolation(found: Violation): string;
}

const ROOT = path.resolve(__dirname, '..', '..');
const rules = require('../../scripts/lib/rules.cjs') as RulesLib;

const rulesOf = (found: Violation[]) => [...new Set(found.map((v) => v.rule))].sort();

const goodPackage = {
	name: 'n8n-nodes-example',
	license: 'MIT',
	keywords: ['n8n-community-node-package'],
	repository: { type: 'git', url: 'https://github.com/example/n8n-nodes-example.git' },
};

function description(overrides: Record<string, unknown> = {}, properties: unknown[] = []) {
	return {
		displayName: 'Example',
		name: 'example',
		defaults: { name: 'Example' },
		credentials: [{ name: 'exampleApi', required: true }],
		properties,
		...overrides,
	};
}

const node = (desc: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
	rules.checkNode({
		file: '/x/Example.node.js',
		className: 'Example',
		description: desc,
		...extra,
	});

describe('check-rules: package.json', () => {
	it('passes a package with the keyword, MIT and its own repository', () => {
		expect(rules.checkPackageJson(goodPackage)).toEqual([]);
	});

	it('flags a missing keyword, another license and a monorepo directory', () => {
		const found = rules.checkPackageJson({
			...goodPackage,
			keywords: ['n8n'],
			license: 'Apache-2.0',
			repository: { ...goodPackage.repository, directory: 'packages/n8n-nodes-example' },
		});
		expect(rulesOf(found)).toEqual([
			'no-monorepo',
			'require-community-node-keyword',
			'require-mit-license',
		]);
	});
});

describe('check-rules: node descriptions', () => {
	it('passes a well-formed node', () => {
		const found = node(
			description({}, [
				{
					displayName: 'Resource',
					name: 'resource',
					type: 'options',
					default: 'contact',
					options: [
						{ name: 'Contact', value: 'contact' },
						{ name: 'User', value: 'user' },
					],
				},
			]),
			{ codex: { categories: ['Productivity'] } },
		);
		expect(found).toEqual([]);
	});

	it('flags a name that is not camelCase, and a file not named after it', () => {
		expect(rulesOf(node(description({ name: 'my-example' })))).toEqual([
			'node-class-description-name-camelcase',
			'node-filename-against-convention',
		]);
		expect(rulesOf(node(description({ name: 'other' })))).toEqual([
			'node-filename-against-convention',
		]);
		expect(
			rules.checkNode({
				file: '/x/ExampleV2.node.js',
				className: 'ExampleV2',
				description: description(),
			}),
		).toEqual([]);
	});

	it("flags n8n's core color", () => {
		const found = node(description({ defaults: { name: 'Example', color: '#FF6D5A' } }));
		expect(rulesOf(found)).toEqual(['node-class-description-non-core-color']);
		expect(node(description({ defaults: { name: 'Example', color: '#1A82E2' } }))).toEqual([]);
	});

	it('flags two credentials that can apply at once, not two behind one selector', () => {
		const both = [{ name: 'exampleApi' }, { name: 'exampleOAuth2Api' }];
		expect(rulesOf(node(description({ credentials: both })))).toEqual([
			'single-credential-per-node',
		]);
		const chosen = [
			{ name: 'exampleApi', displayOptions: { show: { authentication: ['apiKey'] } } },
			{ name: 'exampleOAuth2Api', displayOptions: { show: { authentication: ['oAuth2'] } } },
		];
		expect(node(description({ credentials: chosen }))).toEqual([]);
		const overlapping = [
			{ name: 'exampleApi', displayOptions: { show: { authentication: ['apiKey'] } } },
			{ name: 'exampleOAuth2Api', displayOptions: { show: { authentication: ['apiKey'] } } },
		];
		expect(rulesOf(node(description({ credentials: overlapping })))).toEqual([
			'single-credential-per-node',
		]);
	});

	it('flags a hint over the limit, also inside a collection', () => {
		const long = 'x'.repeat(rules.HINT_MAX_LENGTH + 1);
		const found = node(
			description({}, [
				{
					displayName: 'Options',
					name: 'options',
					type: 'collection',
					default: {},
					options: [
						{ displayName: 'Query', name: 'query', type: 'string', default: '', hint: long },
					],
				},
			]),
		);
		expect(rulesOf(found)).toEqual(['hint-max-length']);
		expect(found[0].where).toBe('example › options › query');
		const fits = 'x'.repeat(rules.HINT_MAX_LENGTH);
		expect(
			node(
				description({}, [{ displayName: 'Q', name: 'q', type: 'string', default: '', hint: fits }]),
			),
		).toEqual([]);
	});

	it('flags a parameter without a default, also inside a fixed collection', () => {
		const found = node(
			description({}, [
				{
					displayName: 'Signers',
					name: 'signers',
					type: 'fixedCollection',
					default: {},
					options: [
						{
							displayName: 'Signer',
							name: 'signer',
							values: [{ displayName: 'Name', name: 'name', type: 'string' }],
						},
					],
				},
				{ displayName: 'Note', name: 'note', type: 'notice' },
			]),
		);
		expect(found.map((v) => `${v.rule} ${v.where}`)).toEqual([
			'require-param-default example › signers › signer › name',
			'require-param-default example › note',
		]);
	});

	it('flags an asterisk and duplicate names or values in a list', () => {
		const found = node(
			description({}, [
				{
					displayName: 'Scope',
					name: 'scope',
					type: 'multiOptions',
					default: [],
					options: [
						{ name: '* All', value: 'all' },
						{ name: 'Contact', value: 'contact' },
						{ name: 'Contact', value: 'person' },
						{ name: 'User', value: 'contact' },
					],
				},
			]),
		);
		expect(found.map((v) => v.rule).sort()).toEqual([
			'no-asterisk-in-option-names',
			'no-duplicate-param-options',
			'no-duplicate-param-options',
		]);
	});

	it('flags a top-level options list out of alphabetical order, not a nested one', () => {
		const units = {
			displayName: 'Unit',
			name: 'unit',
			type: 'options',
			default: 'minutes',
			options: [
				{ name: 'Minutes', value: 'minutes' },
				{ name: 'Hours', value: 'hours' },
			],
		};
		const found = node(description({}, [units]));
		expect(rulesOf(found)).toEqual(['options-sorted-alphabetically']);
		expect(found[0].message).toContain('expected Hours, Minutes');
		const nested = {
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			default: {},
			options: [units],
		};
		expect(node(description({}, [nested]))).toEqual([]);
	});

	it('flags unknown, non-community, AI, Logic and Flow codex categories and any subcategories', () => {
		expect(rulesOf(node(description(), { codex: { categories: ['Productivty'] } }))).toEqual([
			'valid-codex-categories',
		]);
		expect(rulesOf(node(description(), { codex: { categories: ['Core Nodes'] } }))).toEqual([
			'valid-node-categories',
		]);
		expect(rulesOf(node(description(), { codex: { categories: [] } }))).toEqual([
			'valid-node-categories',
		]);
		expect(rulesOf(node(description(), { codex: { categories: ['AI'] } }))).toEqual([
			'no-ai-codex-category',
		]);
		expect(rulesOf(node(description(), { codex: { categories: ['Logic'] } }))).toEqual([
			'no-logic-or-flow-nodes',
		]);
		const subcategories = {
			categories: ['Productivity'],
			subcategories: { Productivity: ['Flow'] },
		};
		expect(rulesOf(node(description(), { codex: subcategories }))).toEqual([
			'no-codex-subcategories',
			'no-logic-or-flow-nodes',
		]);
		// A codex in the description is what n8n uses, over the .node.json file.
		expect(
			rulesOf(
				node(description({ codex: { categories: ['AI'] } }), { codex: { categories: ['Sales'] } }),
			),
		).toEqual(['no-ai-codex-category']);
	});

	it('flags a fixed partner or account id in the node source', () => {
		const found = node(description(), { source: "const qs = { partner_id: 'fixed-partner' };" });
		expect(rulesOf(found)).toEqual(['no-hardcoded-ids']);
		expect(
			node(description(), { source: "qs: { partner_id: this.getNodeParameter('partnerId', i) }" }),
		).toEqual([]);
	});
});

describe('check-rules: credentials', () => {
	const credential = (file: string, className: string, name: string) =>
		rules.checkCredential({ file, className, credential: { name, properties: [] } });

	it('passes a credential class, name and file that follow the convention', () => {
		expect(credential('/c/ExampleApi.credentials.js', 'ExampleApi', 'exampleApi')).toEqual([]);
	});

	it('flags a class without the Api suffix, a name that breaks the convention, a file named otherwise', () => {
		expect(rulesOf(credential('/c/Example.credentials.js', 'Example', 'exampleApi'))).toEqual([
			'cred-class-name-suffix',
		]);
		expect(rulesOf(credential('/c/ExampleApi.credentials.js', 'ExampleApi', 'Example'))).toEqual([
			'cred-class-name-field-conventions',
		]);
		expect(rulesOf(credential('/c/OtherApi.credentials.js', 'ExampleApi', 'exampleApi'))).toEqual([
			'cred-filename-against-convention',
		]);
	});
});

describe('check-rules: icon contrast', () => {
	let directory: string;
	beforeAll(() => {
		directory = fs.mkdtempSync(path.join(os.tmpdir(), 'check-rules-'));
		const svg = (fill: string) =>
			`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="${fill}"/></svg>`;
		fs.writeFileSync(path.join(directory, 'black.svg'), svg('#000'));
		fs.writeFileSync(path.join(directory, 'white.svg'), svg('#ffffff'));
	});
	afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

	it('flags an icon that vanishes on its theme background', () => {
		const one = rules.checkIcons('file:black.svg', directory, 'Example.node.js');
		expect(one.map((v) => v.message)).toEqual(['black.svg has 1.48:1 on the dark background']);
		const both = rules.checkIcons(
			{ light: 'file:white.svg', dark: 'file:black.svg' },
			directory,
			'x',
		);
		expect(rulesOf(both)).toEqual(['icon-contrast']);
		expect(both).toHaveLength(2);
		expect(
			rules.checkIcons({ light: 'file:black.svg', dark: 'file:white.svg' }, directory, 'x'),
		).toEqual([]);
	});
});

describe('check-rules: this package', () => {
	it('loads every node and credential n8n loads, and all of them pass', () => {
		const loaded = rules.loadPackage(ROOT, { fromSources: true });
		const pkg = loaded.pkg as { n8n: { nodes: string[]; credentials: string[] } };
		expect(loaded.nodes.map((n) => n.className).sort()).toEqual(
			pkg.n8n.nodes.map((file) => path.basename(file, '.node.js')).sort(),
		);
		expect(loaded.credentials.map((c) => c.className).sort()).toEqual(
			pkg.n8n.credentials.map((file) => path.basename(file, '.credentials.js')).sort(),
		);
		expect(rules.checkPackage(loaded).map(rules.formatViolation)).toEqual([]);
	});
});
