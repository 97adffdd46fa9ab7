/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
// Validation errors name fields by the labels the parameter panel shows. Labels built from a
// parameter path (`field()`) come from the descriptions by construction; the ones written as text
// in the sources are checked here against the node descriptions, so a renamed parameter cannot
// leave an error naming a field nobody sees.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { INodeProperties, INodePropertyCollection, INodeType } from 'n8n-workflow';
import { Documentolog } from '../../nodes/Documentolog/Documentolog.node';
import { DokobitGateway } from '../../nodes/DokobitGateway/DokobitGateway.node';
import { OkDokument } from '../../nodes/OkDokument/OkDokument.node';
import { signerProperties } from '../../nodes/DokobitGateway/helpers/signerFields';
import * as dokobitCreate from '../../nodes/DokobitGateway/actions/signing/create.operation';
import * as dokobitSeal from '../../nodes/DokobitGateway/actions/signing/seal.operation';
import * as documentologCreate from '../../nodes/Documentolog/actions/document/createSigningSession.operation';
import * as okUpdate from '../../nodes/OkDokument/actions/signatureRequest/update.operation';
import { requestOptionsProperty } from '../../nodes/OkDokument/helpers/options';
import { signingRulesProperty } from '../../nodes/OkDokument/helpers/rules';
import { LABEL_SEPARATOR, field } from '../../nodes/shared/validation';
import { limitWaitTimeProperty } from '../../nodes/shared/wait';

const NODES: Record<string, INodeType> = {
	DokobitGateway: new DokobitGateway(),
	OkDokument: new OkDokument(),
	Documentolog: new Documentolog(),
};

function displayNames(properties: Array<INodeProperties | INodePropertyCollection>): string[] {
	return properties.flatMap((property) => {
		const nested =
			'values' in property
				? property.values
				: ((property.options ?? []).filter(
						(option) => typeof option === 'object' && 'displayName' in option,
					) as Array<INodeProperties | INodePropertyCollection>);
		return [property.displayName, ...displayNames(nested)];
	});
}

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return path.endsWith('.ts') ? [path] : [];
	});
}

/**
 * The field labels written as text in one source file: a string literal given as the field right
 * after the item index (`invalidField(ctx, itemIndex, 'Signer IDs', …)`, `requireText(…)`, …), a
 * label default (`label = 'Document ID'`) or constant (`const label = 'Expires At'`), and the label
 * argument of `readToken(ctx, itemIndex, parameter, label)`.
 */
function literalLabels(source: string): string[] {
	const patterns = [
		/\(\s*(?:this|ctx),\s*itemIndex,\s*'([^']+)'/g,
		/\blabel(?::[^=\n]+)?\s*=\s*'([^']+)'/g,
		/\bconst (?:FIELD|label|field)\s*=\s*'([^']+)'/g,
		/readToken\(\s*(?:this|ctx),\s*itemIndex,\s*'[^']+',\s*'([^']+)'/g,
	];
	return patterns
		.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1]))
		.filter((text) => !PARAMETER_NAME.test(text) && !NOT_FIELDS.includes(text));
}

/** `readMethods(ctx, itemIndex, 'senderSignatureMethods', …)` passes a parameter name, not a label. */
const PARAMETER_NAME = /^[a-z][A-Za-z]*$/;

/** Subjects of a message that are not a field: "File" is the file the item carries. */
const NOT_FIELDS = ['File'];

describe.each(Object.keys(NODES))('%s: field labels in error messages', (vendor) => {
	const known = new Set([
		...displayNames(NODES[vendor].description.properties),
		...(vendor === 'DokobitGateway' ? displayNames(signerProperties()) : []),
	]);
	const files = [
		...sourceFiles(join(__dirname, '../../nodes', vendor)),
		...sourceFiles(join(__dirname, '../../nodes/shared')),
	];
	const labels = [...new Set(files.flatMap((file) => literalLabels(readFileSync(file, 'utf8'))))];

	it('finds the labels it checks', () => {
		expect(labels.length).toBeGreaterThan(5);
	});

	it.each(labels)('"%s" is a label of the panel', (label) => {
		const shared = files.some(
			(file) =>
				file.includes('/shared/') && literalLabels(readFileSync(file, 'utf8')).includes(label),
		);
		const own = !shared;
		// A label of a shared helper must exist on some node; one of this vendor's files on this node.
		const everywhere = new Set(
			Object.values(NODES).flatMap((node) => displayNames(node.description.properties)),
		);
		for (const segment of label.split(LABEL_SEPARATOR)) {
			expect(own ? known.has(segment) : everywhere.has(segment) || known.has(segment)).toBe(true);
		}
	});
});

describe.each(Object.keys(NODES))('%s: a label written as text is a top-level field', (vendor) => {
	// A field inside a collection is named with it ("Options › Postback URL"), through field().
	const topLevel = new Set([
		...NODES[vendor].description.properties.map((property) => property.displayName),
		...(vendor === 'DokobitGateway'
			? signerProperties().map((property) => property.displayName)
			: []),
	]);
	const files = sourceFiles(join(__dirname, '../../nodes', vendor));
	const labels = [...new Set(files.flatMap((file) => literalLabels(readFileSync(file, 'utf8'))))];

	it.each(labels)('"%s"', (label) => {
		expect(topLevel.has(label.split(LABEL_SEPARATOR)[0])).toBe(true);
	});
});

describe('field()', () => {
	const signers = signerProperties();

	it('names a signer field by its entry and labels, per node version', () => {
		expect(field(signers, 'signers.signer[0].code', 1.1).label).toBe('Signer 1 › Personal Code');
		expect(field(signers, 'signers.signer[2].additionalFields.email', 1.1).label).toBe(
			'Signer 3 › Additional Fields › Email',
		);
		expect(field(signers, 'signers.signer[1].country_code', 1).label).toBe(
			'Signer 2 › Country Code',
		);
		expect(field(signers, 'signers.signer[1].additionalFields.country_code', 1.1).label).toBe(
			'Signer 2 › Additional Fields › eID Country',
		);
		expect(field(signers, 'signersJson').label).toBe('Signers (JSON)');
	});

	it('keeps the parameter path as the key', () => {
		expect(field(signers, 'signers.signer[0].code', 1.1)).toEqual({
			label: 'Signer 1 › Personal Code',
			key: 'signers.signer[0].code',
		});
	});

	it('refuses a path the description does not have', () => {
		expect(() => field(signers, 'signers.signer[0].additionalFields.code', 1.1)).toThrow(
			'names no parameter',
		);
	});
});

/**
 * Every fixed path the sources name a field by (`option('postbackUrl')`, `field(properties,
 * 'options.correlationId')`) exists in the description it is read from: field() would throw at
 * run time otherwise. Paths built per entry are run by the engine tests.
 */
describe('field paths written in the sources', () => {
	const source = (path: string) => readFileSync(join(__dirname, '../../nodes', path), 'utf8');
	const calls = (text: string, helper: string) =>
		[...text.matchAll(new RegExp(`\\b${helper}'([^'\\$]+)'`, 'g'))].map((match) => match[1]);
	const cases: Array<[string, string, INodeProperties[]]> = [
		...calls(source('OkDokument/helpers/rules.ts'), 'rule\\(').map(
			(name) =>
				[`rules.${name}`, 'OKdokument', [signingRulesProperty]] as [
					string,
					string,
					INodeProperties[],
				],
		),
		...calls(source('OkDokument/helpers/options.ts'), 'option\\(').map(
			(name) =>
				[`options.${name}`, 'OKdokument', [requestOptionsProperty]] as [
					string,
					string,
					INodeProperties[],
				],
		),
		...calls(
			source('OkDokument/actions/signatureRequest/update.operation.ts'),
			'updateField\\(',
		).map(
			(name) =>
				[`updateFields.${name}`, 'OKdokument update', okUpdate.description] as [
					string,
					string,
					INodeProperties[],
				],
		),
		...calls(source('DokobitGateway/actions/signing/create.operation.ts'), 'option\\(').map(
			(name) =>
				[`options.${name}`, 'Dokobit create', dokobitCreate.description] as [
					string,
					string,
					INodeProperties[],
				],
		),
		...calls(
			source('DokobitGateway/actions/signing/seal.operation.ts'),
			'field\\(properties,\\s*',
		).map(
			(path) =>
				[path, 'Dokobit seal', dokobitSeal.description] as [string, string, INodeProperties[]],
		),
		...calls(
			source('Documentolog/actions/document/createSigningSession/request.ts'),
			'field\\(properties,\\s*',
		).map(
			(path) =>
				[path, 'Documentolog', documentologCreate.description] as [
					string,
					string,
					INodeProperties[],
				],
		),
		...calls(source('shared/wait.ts'), 'limitField\\(').map(
			(name) =>
				[`limitWaitTime.values.${name}`, 'Limit Wait Time', [limitWaitTimeProperty]] as [
					string,
					string,
					INodeProperties[],
				],
		),
	];

	it('finds the paths it checks', () => {
		expect(cases.length).toBeGreaterThan(15);
	});

	it.each(cases)('%s (%s) names a field of the panel', (path, _where, properties) => {
		expect(field(properties, path).label).not.toBe('');
	});
});
