import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { invalidField, requireText } from '../../shared/validation';
import { TOKEN } from '../helpers/validation';

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
	typeOptions: { minValue: 1, maxValue: 600, numberPrecision: 0 },
	description: 'How long to wait for the Gateway to finish fetching an uploaded file',
};
