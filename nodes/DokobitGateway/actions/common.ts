import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { invalidField, requireText } from '../../shared/validation';
import { TOKEN } from '../helpers/validation';

/** Items in flight at once when "Request Concurrency" is left alone. */
export const DEFAULT_CONCURRENCY = 5;

/**
 * Shown for every operation that runs once per item (the two wait operations take one item and
 * pause). The output keeps the input order whatever the value.
 */
export const concurrencyProperty: INodeProperties = {
	displayName: 'Request Concurrency',
	name: 'requestConcurrency',
	type: 'number',
	default: DEFAULT_CONCURRENCY,
	typeOptions: { minValue: 1, maxValue: 32, numberPrecision: 0 },
	displayOptions: { hide: { operation: ['createAndWait', 'waitForSignature'] } },
	description:
		'How many input items are sent to the Gateway at the same time. The output keeps the input order. Use 1 to send them strictly one after another. Creates are never retried; if an item fails and the node stops, items already in flight still complete.',
};

export const signingTokenProperty: INodeProperties = {
	displayName: 'Signing Token',
	name: 'signingToken',
	type: 'string',
	typeOptions: { password: true },
	default: '',
	required: true,
	description: 'The token returned by Create Signing',
};

export const fileTokenProperty: INodeProperties = {
	displayName: 'File Token',
	name: 'fileToken',
	type: 'string',
	typeOptions: { password: true },
	default: '',
	required: true,
	description: 'The token returned by Upload File',
};

/** Reads a token parameter and refuses anything that is not a plain token. */
export function readToken(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	label: string,
): string {
	const token = requireText(ctx, itemIndex, label, ctx.getNodeParameter(parameter, itemIndex));
	if (!TOKEN.test(token)) {
		throw invalidField(ctx, itemIndex, label, `"${token}" is not a Dokobit token`);
	}
	return token;
}

export const maxWaitProperty: INodeProperties = {
	displayName: 'Max Wait (Seconds)',
	name: 'maxWaitSeconds',
	type: 'number',
	default: 60,
	typeOptions: { minValue: 1, maxValue: 600 },
	description: 'How long to wait for the Gateway to finish fetching an uploaded file',
};
