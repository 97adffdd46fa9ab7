import type { IExecuteFunctions, INodeProperties, INodePropertyCollection } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { runsAsTool } from './tool';

/*
 * How errors name what is wrong, so a user finds it on screen:
 * - the item as n8n numbers it, from 0 ("Item 0: …", n8n's own "[item 0]" and "Item Index 0");
 * - the field by the labels the parameter panel shows, parent first, joined by " › ":
 *   "Options › Postback URL", "Signer 1 › Additional Fields › Email";
 * - an entry of a list as the user counts the blocks on screen, from 1: "Signer 2" (the entry
 *   name of a fixed collection), "Recipients › 2" (a list of values);
 * - inside JSON the user typed, the JSON keys as typed: "Signers (JSON) › Signer 1 › code".
 * As an AI tool the model filled the parameters, so the key it used follows in parentheses: the
 * `$fromAI` argument the field came from ("(signers[0].code)"), else n8n's parameter path
 * ("(parameter signers.signer[0].code)").
 */

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field of the node: how the panel labels it, and n8n's parameter path to it. */
export interface Field {
	label: string;
	key: string;
}

export const LABEL_SEPARATOR = ' › ';

/** Entry `position` (from 0) of a list, counted as on screen (from 1): "Signer 2". */
function entryLabel(entryName: string, position: number): string {
	return `${entryName} ${position + 1}`;
}

/** Whether `property` is the one shown for this node version (several may share a name). */
function shownInVersion(property: INodeProperties, typeVersion: number | undefined): boolean {
	const conditions = property.displayOptions?.show?.['@version'];
	if (typeVersion === undefined || !conditions) return true;
	return conditions.some((condition) => {
		if (typeof condition === 'number') return condition === typeVersion;
		const check = (condition as { _cnd?: Record<string, number> })?._cnd;
		if (!check) return false;
		if (check.gte !== undefined && !(typeVersion >= check.gte)) return false;
		if (check.lte !== undefined && !(typeVersion <= check.lte)) return false;
		if (check.eq !== undefined && typeVersion !== check.eq) return false;
		return true;
	});
}

const PATH_TOKEN = /[^.[\]]+|\[(\d+)\]/g;

/**
 * The field at n8n parameter path `key` (e.g. `signers.signer[0].additionalFields.email`), its
 * label taken from `properties`, so a message cannot name a field the panel does not show.
 * Throws when the path leaves the description: that is a bug in the caller, caught by the tests.
 */
export function field(properties: INodeProperties[], key: string, typeVersion?: number): Field {
	const tokens = [...key.matchAll(PATH_TOKEN)].map((match) =>
		match[1] === undefined ? match[0] : Number(match[1]),
	);
	const labels: string[] = [];
	let level: Array<INodeProperties | INodePropertyCollection> = properties;
	while (tokens.length > 0) {
		const name = tokens.shift();
		const property = level.find(
			(candidate) =>
				candidate.name === name &&
				(!('type' in candidate) || shownInVersion(candidate, typeVersion)),
		);
		if (!property) throw new Error(`"${key}" names no parameter of the node ("${String(name)}")`);
		if (!('type' in property)) {
			// An option of a fixed collection: "Signer 2" for a list entry, nothing for a single one.
			const position = tokens[0];
			if (typeof position === 'number') {
				tokens.shift();
				labels.push(entryLabel(property.displayName, position));
			}
			level = property.values;
			continue;
		}
		if (property.type === 'fixedCollection') {
			// A top-level list's entries name it: "Signer 2" rather than "Signers › Signer 2".
			const multiple = property.typeOptions?.multipleValues === true;
			if (!multiple || labels.length > 0) labels.push(property.displayName);
			level = (property.options ?? []) as INodePropertyCollection[];
			continue;
		}
		labels.push(property.displayName);
		const position = tokens[0];
		if (typeof position === 'number') {
			tokens.shift();
			labels.push(String(position + 1));
		}
		level = property.type === 'collection' ? ((property.options ?? []) as INodeProperties[]) : [];
	}
	return { label: labels.join(LABEL_SEPARATOR), key };
}

/** A field below `parent` that the description does not list, e.g. a key inside JSON. */
export function subField(parent: Field, label: string, key: string): Field {
	return { label: `${parent.label}${LABEL_SEPARATOR}${label}`, key: `${parent.key}${key}` };
}

const FROM_AI = /\$fromAI\(\s*(['"`])(.+?)\1/i;

/**
 * The tool argument a parameter path was filled from: the `$fromAI` key, followed by the rest of
 * the path inside that argument's value (`signersJson[0].code` from `$fromAI('signers')` is
 * `signers[0].code`).
 */
function toolArgument(ctx: IExecuteFunctions, key: string): string | undefined {
	let value: unknown = ctx.getNode().parameters;
	for (const match of key.matchAll(PATH_TOKEN)) {
		if (typeof value === 'string') {
			const fromAi = FROM_AI.exec(value);
			const rest = key.slice((match.index ?? 0) - (match[1] === undefined ? 1 : 0));
			return fromAi ? `${fromAi[2]}${rest}` : undefined;
		}
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[match[1] ?? match[0]];
	}
	const fromAi = typeof value === 'string' ? FROM_AI.exec(value) : null;
	return fromAi ? fromAi[2] : undefined;
}

/** The field as the message names it: its label, plus the key a model used when run as a tool. */
function fieldName(ctx: IExecuteFunctions, target: string | Field): string {
	if (typeof target === 'string') return target;
	if (!runsAsTool(ctx)) return target.label;
	const argument = toolArgument(ctx, target.key);
	return `${target.label} (${argument ?? `parameter ${target.key}`})`;
}

/** A validation failure for one field of one item, raised before any request is sent. */
export function invalidField(
	ctx: IExecuteFunctions,
	itemIndex: number,
	target: string | Field,
	problem: string,
	hint?: string,
): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`Item ${itemIndex}: ${fieldName(ctx, target)} ${problem}`,
		{ itemIndex, description: hint },
	);
}

export function requireText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string | Field,
	value: unknown,
): string {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string' || value.trim() === '') {
		throw invalidField(ctx, itemIndex, field, 'is required and must not be empty');
	}
	return value.trim();
}

const EMAIL = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[A-Za-z]{2,}$/;
export function isEmail(value: string): boolean {
	return EMAIL.test(value);
}

export function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}

export function requireHttpUrl(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string | Field,
	value: unknown,
): string {
	const text = requireText(ctx, itemIndex, field, value);
	if (!isHttpUrl(text)) {
		throw invalidField(ctx, itemIndex, field, `must be an absolute http(s) URL, got "${text}"`);
	}
	return text;
}

export function requireOneOf<T extends string>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string | Field,
	value: unknown,
	allowed: readonly T[],
): T {
	if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
		throw invalidField(
			ctx,
			itemIndex,
			field,
			`must be one of ${allowed.join(', ')}; got "${String(value)}"`,
		);
	}
	return value as T;
}
