/**
 * The signature request fields shared by Signature Request → Create (`POST /JSON/signatureRequest`)
 * and Document → Upload with a request (`POST /JSON/upload`, whose metadata takes the same keys):
 * the Options (options.ts) and the Signing Rules (rules.ts).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { type RequestOverrides, readRequestOptions, requestOptionsProperty } from './options';
import { readRules, signingRulesProperty } from './rules';

export type { RequestOverrides };

/** The parameters readRequestFields reads: Options, then Signing Rules. */
export const requestProperties: INodeProperties[] = [requestOptionsProperty, signingRulesProperty];

export interface RequestFields {
	/** The `POST /JSON/signatureRequest` keys other than `filedata` / `id` / `changeState`. */
	body: IDataObject;
	/** Echoed in the node output. */
	summary: IDataObject;
}

/** Options and rules of one item, validated; nothing is sent yet. */
export function readRequestFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	now: number = Date.now(),
	overrides: RequestOverrides = {},
): RequestFields {
	const { body, summary } = readRequestOptions(ctx, itemIndex, now, overrides);
	const rules = readRules(ctx, itemIndex);
	if (Object.keys(rules).length) body.rules = rules;
	return { body, summary };
}
