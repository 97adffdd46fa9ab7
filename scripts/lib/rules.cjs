// n8n's community-node rules that the lint plugin bundled here (@n8n/node-cli's) does not run yet,
// checked on the loaded package: package.json, every node's description and codex, every
// credential, every icon. Each check follows the rule's doc in n8n-io/n8n
// (packages/@n8n/eslint-plugin-community-nodes/docs/rules/<rule>.md). It reads the values n8n
// loads, so properties built in helper files are checked too, where the lint rule sees only the
// literal in the node's class. CommonJS, no dependencies, so that jest can load it.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const HINT_MAX_LENGTH = 120;
const CORE_COLOR = '#ff6d5a';
const MIN_ICON_CONTRAST = 1.5;
const ICON_BACKGROUNDS = { light: '#ffffff', dark: '#2b2b2b' };
const COMMUNITY_KEYWORD = 'n8n-community-node-package';

/** The rule's copy of n8n's node-panel taxonomy (src/utils/codex-taxonomy.ts). */
const KNOWN_CODEX_CATEGORIES = new Set([
	'AI',
	'Analytics',
	'Communication',
	'Core Nodes',
	'Data & Storage',
	'Developer Tools',
	'Development',
	'ECM',
	'Finance & Accounting',
	'HITL',
	'Marketing & Content',
	'Miscellaneous',
	'Productivity',
	'Sales',
	'Utility',
]);
/** The categories a community node may use (valid-node-categories; docs.n8n.io codex files). */
const COMMUNITY_CATEGORIES = new Set([
	'AI',
	'Analytics',
	'Communication',
	'Data & Storage',
	'Development',
	'Finance & Accounting',
	'Marketing & Content',
	'Miscellaneous',
	'Productivity',
	'Sales',
	'Utility',
]);
const FORBIDDEN_CATEGORIES = new Set(['Logic', 'Flow']);

/** n8n's parameter types (NodePropertyTypes): an object with a name and one of these is a parameter. */
const PARAMETER_TYPES = new Set([
	'boolean',
	'button',
	'collection',
	'color',
	'dateTime',
	'fixedCollection',
	'hidden',
	'icon',
	'json',
	'callout',
	'notice',
	'multiOptions',
	'number',
	'options',
	'string',
	'credentialsSelect',
	'resourceLocator',
	'curlImport',
	'resourceMapper',
	'filter',
	'assignmentCollection',
	'credentials',
	'workflowSelector',
]);

const HARDCODED_ID =
	/\b((?:partner|affiliate|reseller|account|tenant|customer|client)[_-]?id)['"]?\s*[:=]\s*['"`]/gi;

const upperFirst = (text) => text.charAt(0).toUpperCase() + text.slice(1);
const byName = (a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' });

function violation(rule, where, message) {
	return { rule, where, message };
}

function checkPackageJson(pkg) {
	const found = [];
	if (!Array.isArray(pkg.keywords) || !pkg.keywords.includes(COMMUNITY_KEYWORD))
		found.push(
			violation(
				'require-community-node-keyword',
				'package.json',
				`keywords lack "${COMMUNITY_KEYWORD}"`,
			),
		);
	if (pkg.license !== 'MIT')
		found.push(
			violation(
				'require-mit-license',
				'package.json',
				`license is ${JSON.stringify(pkg.license)}, not "MIT"`,
			),
		);
	if (pkg.repository && typeof pkg.repository === 'object' && 'directory' in pkg.repository)
		found.push(
			violation(
				'no-monorepo',
				'package.json',
				'repository.directory marks a package inside a monorepo',
			),
		);
	return found;
}

/** Calls `visit(property, where, topLevel)` for every parameter, nested ones included. */
function walkParameters(properties, where, visit, topLevel = true) {
	for (const property of properties ?? []) {
		if (!property || typeof property !== 'object') continue;
		const at = `${where} › ${property.name ?? property.displayName ?? '?'}`;
		visit(property, at, topLevel);
		if (!Array.isArray(property.options)) continue;
		if (property.type === 'collection') walkParameters(property.options, at, visit, false);
		if (property.type === 'fixedCollection')
			for (const group of property.options)
				walkParameters(group?.values, `${at} › ${group?.name ?? '?'}`, visit, false);
	}
}

function checkParameter(property, at, topLevel) {
	const found = [];
	if (typeof property.hint === 'string' && property.hint.length > HINT_MAX_LENGTH)
		found.push(
			violation(
				'hint-max-length',
				at,
				`hint is ${property.hint.length} characters, over ${HINT_MAX_LENGTH}`,
			),
		);
	if (
		typeof property.name === 'string' &&
		PARAMETER_TYPES.has(property.type) &&
		!('default' in property)
	)
		found.push(violation('require-param-default', at, 'no default'));
	const isList = property.type === 'options' || property.type === 'multiOptions';
	if (!isList || !Array.isArray(property.options)) return found;
	const names = property.options.map((option) => option?.name);
	for (const name of names)
		if (typeof name === 'string' && name.includes('*'))
			found.push(
				violation('no-asterisk-in-option-names', at, `option name "${name}" has an asterisk`),
			);
	const seenNames = new Set();
	const seenValues = new Set();
	for (const option of property.options) {
		if (seenNames.has(option?.name))
			found.push(violation('no-duplicate-param-options', at, `option name "${option.name}" twice`));
		if (seenValues.has(option?.value))
			found.push(
				violation('no-duplicate-param-options', at, `option value "${String(option.value)}" twice`),
			);
		seenNames.add(option?.name);
		seenValues.add(option?.value);
	}
	// The rule sorts the top-level `options` lists; nested ones may keep an order of their own
	// (minutes, hours, days).
	if (topLevel && property.type === 'options' && names.every((name) => typeof name === 'string')) {
		const sorted = [...names].sort(byName);
		if (names.some((name, index) => name !== sorted[index]))
			found.push(
				violation(
					'options-sorted-alphabetically',
					at,
					`options not in alphabetical order: expected ${sorted.join(', ')}`,
				),
			);
	}
	return found;
}

/** Credentials are one at a time when each is shown for other values of one and the same parameter. */
function checkSingleCredential(credentials, where) {
	if (!Array.isArray(credentials) || credentials.length <= 1) return [];
	const shows = credentials.map((credential) => credential?.displayOptions?.show ?? {});
	const keys = shows.map((show) => Object.keys(show));
	const key = keys[0]?.[0];
	const oneSharedKey = key !== undefined && keys.every((k) => k.length === 1 && k[0] === key);
	const values = oneSharedKey ? shows.flatMap((show) => show[key]) : [];
	if (oneSharedKey && values.every((value, index) => values.indexOf(value) === index)) return [];
	return [
		violation(
			'single-credential-per-node',
			where,
			`${credentials.length} credentials (${credentials.map((c) => c?.name).join(', ')}) can apply at the same time`,
		),
	];
}

function checkCodex(codex, where) {
	if (!codex) return [];
	const found = [];
	const categories = Array.isArray(codex.categories) ? codex.categories : [];
	if ('categories' in codex && !categories.length)
		found.push(
			violation('valid-node-categories', where, 'codex categories must be a non-empty list'),
		);
	for (const category of categories) {
		if (!COMMUNITY_CATEGORIES.has(category) && KNOWN_CODEX_CATEGORIES.has(category))
			found.push(
				violation(
					'valid-node-categories',
					where,
					`codex category "${category}" is not one for community nodes`,
				),
			);
		if (category === 'AI')
			found.push(
				violation('no-ai-codex-category', where, 'codex category "AI" is for AI Node SDK nodes'),
			);
		if (FORBIDDEN_CATEGORIES.has(category))
			found.push(violation('no-logic-or-flow-nodes', where, `codex category "${category}"`));
		else if (!KNOWN_CODEX_CATEGORIES.has(category))
			found.push(
				violation('valid-codex-categories', where, `unknown codex category "${category}"`),
			);
	}
	if (codex.subcategories !== undefined) {
		found.push(
			violation('no-codex-subcategories', where, 'codex.subcategories is for AI Node SDK nodes'),
		);
		for (const list of Object.values(codex.subcategories))
			for (const value of Array.isArray(list) ? list : [])
				if (FORBIDDEN_CATEGORIES.has(value))
					found.push(violation('no-logic-or-flow-nodes', where, `codex subcategory "${value}"`));
	}
	return found;
}

/**
 * Checks one node: `file` is its .node.js (or .node.ts) path, `className` the exported class,
 * `codex` its .node.json (n8n uses `description.codex` instead when the class sets one).
 */
function checkNode({ file, className, description, codex, source }) {
	const where = path.basename(file);
	const found = [];
	const name = description?.name;
	if (typeof name !== 'string' || !/^[a-z][a-zA-Z0-9]*$/.test(name))
		found.push(
			violation(
				'node-class-description-name-camelcase',
				where,
				`name ${JSON.stringify(name)} is not camelCase`,
			),
		);
	const baseName = path
		.basename(file)
		.replace(/\.node\.[jt]s$/, '')
		.replace(/V\d+$/, '');
	if (typeof name === 'string' && baseName !== upperFirst(name))
		found.push(
			violation(
				'node-filename-against-convention',
				where,
				`file should be named ${upperFirst(name)}.node.*`,
			),
		);
	for (const color of [description?.defaults?.color, description?.color])
		if (typeof color === 'string' && color.toLowerCase() === CORE_COLOR)
			found.push(
				violation('node-class-description-non-core-color', where, `color ${color} is n8n's own`),
			);
	found.push(...checkSingleCredential(description?.credentials, `${where} (${className})`));
	found.push(...checkCodex(description?.codex ?? codex, where));
	walkParameters(description?.properties, name ?? where, (property, at, topLevel) =>
		found.push(...checkParameter(property, at, topLevel)),
	);
	for (const match of (source ?? '').matchAll(HARDCODED_ID))
		found.push(violation('no-hardcoded-ids', where, `${match[1]} is set to a fixed string`));
	return found;
}

function checkCredential({ file, className, credential }) {
	const where = path.basename(file);
	const found = [];
	if (!className.endsWith('Api'))
		found.push(
			violation('cred-class-name-suffix', where, `class ${className} does not end in Api`),
		);
	const name = credential?.name;
	if (typeof name !== 'string' || !/^[a-z]/.test(name) || !name.endsWith('Api'))
		found.push(
			violation(
				'cred-class-name-field-conventions',
				where,
				`name ${JSON.stringify(name)} must start lowercase and end in Api`,
			),
		);
	const baseName = path.basename(file).replace(/\.credentials\.[jt]s$/, '');
	if (baseName !== className)
		found.push(
			violation(
				'cred-filename-against-convention',
				where,
				`file should be named ${className}.credentials.*`,
			),
		);
	return found;
}

function luminance(hex) {
	const channels = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255);
	const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a, b) {
	const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
	return (high + 0.05) / (low + 0.05);
}

/** A paint value as #rrggbb; undefined for none, url() and colors this check cannot read. */
function toHex(value) {
	const paint = value.trim().toLowerCase();
	if (paint === 'currentcolor' || paint === 'black') return '#000000';
	if (paint === 'white') return '#ffffff';
	const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(paint);
	if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`;
	if (/^#[0-9a-f]{6}$/.test(paint)) return paint;
	return undefined;
}

/** The best contrast of an SVG's fill, stroke and stop-color declarations on a background. */
function iconContrast(svg, background) {
	const declared = [
		...svg.matchAll(/\b(?:fill|stroke|stop-color)\s*(?:=\s*["']([^"']*)["']|:\s*([^;"'}]+))/g),
	].map((match) => match[1] ?? match[2]);
	// An SVG without a fill declaration paints black.
	const colors = declared.length ? declared.map(toHex).filter(Boolean) : ['#000000'];
	return colors.length
		? Math.max(...colors.map((color) => contrast(color, background)))
		: undefined;
}

/** `icon` as n8n reads it: one file for both themes, or { light, dark }. */
function iconFiles(icon) {
	if (typeof icon === 'string')
		return [icon]
			.filter((i) => i.startsWith('file:'))
			.flatMap((i) => [
				['light', i],
				['dark', i],
			]);
	if (icon && typeof icon === 'object')
		return Object.entries(icon).filter(
			([theme, file]) => theme in ICON_BACKGROUNDS && String(file).startsWith('file:'),
		);
	return [];
}

function checkIcons(icon, directory, where) {
	const found = [];
	for (const [theme, reference] of iconFiles(icon)) {
		const file = path.resolve(directory, reference.slice('file:'.length));
		if (!file.endsWith('.svg') || !fs.existsSync(file)) continue;
		const ratio = iconContrast(fs.readFileSync(file, 'utf8'), ICON_BACKGROUNDS[theme]);
		if (ratio !== undefined && ratio < MIN_ICON_CONTRAST)
			found.push(
				violation(
					'icon-contrast',
					where,
					`${path.basename(file)} has ${ratio.toFixed(2)}:1 on the ${theme} background`,
				),
			);
	}
	return found;
}

/** Exported classes of a module that construct without arguments. */
function instances(module) {
	const found = [];
	for (const [className, exported] of Object.entries(module)) {
		if (typeof exported !== 'function' || !exported.prototype) continue;
		try {
			found.push({ className, instance: new exported() });
		} catch {
			// Not a node or credential class.
		}
	}
	return found;
}

/**
 * Loads the package as n8n would: package.json's `n8n` block, each file through `require`.
 * With `fromSources` it loads nodes/ and credentials/ (.ts, for a test runner that compiles them)
 * instead of dist/.
 */
function loadPackage(root, { fromSources = false, load = require } = {}) {
	const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	const locate = (file) =>
		path.join(root, fromSources ? file.replace(/^dist\//, '').replace(/\.js$/, '.ts') : file);
	const nodes = [];
	for (const entry of pkg.n8n?.nodes ?? []) {
		const file = locate(entry);
		const codexFile = file.replace(/\.[jt]s$/, '.json');
		const codex = fs.existsSync(codexFile)
			? JSON.parse(fs.readFileSync(codexFile, 'utf8'))
			: undefined;
		for (const { className, instance } of instances(load(file)))
			if (instance.description)
				nodes.push({
					file,
					className,
					description: instance.description,
					codex,
					source: fs.readFileSync(file, 'utf8'),
				});
	}
	const credentials = [];
	for (const entry of pkg.n8n?.credentials ?? []) {
		const file = locate(entry);
		for (const { className, instance } of instances(load(file)))
			if (typeof instance.name === 'string' && Array.isArray(instance.properties))
				credentials.push({ file, className, credential: instance });
	}
	return { pkg, nodes, credentials };
}

function checkPackage({ pkg, nodes, credentials }) {
	const found = checkPackageJson(pkg);
	for (const node of nodes) {
		found.push(...checkNode(node));
		found.push(
			...checkIcons(node.description.icon, path.dirname(node.file), path.basename(node.file)),
		);
	}
	for (const credential of credentials) {
		found.push(...checkCredential(credential));
		found.push(
			...checkIcons(
				credential.credential.icon,
				path.dirname(credential.file),
				path.basename(credential.file),
			),
		);
	}
	return found;
}

const formatViolation = ({ rule, where, message }) => `${rule}: ${where}: ${message}`;

module.exports = {
	HINT_MAX_LENGTH,
	checkPackageJson,
	checkNode,
	checkCredential,
	checkSingleCredential,
	checkCodex,
	iconContrast,
	checkIcons,
	loadPackage,
	checkPackage,
	formatViolation,
};
