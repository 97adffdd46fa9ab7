import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** A validation failure for one field of one item, raised before any request is sent. */
export function invalidField(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	problem: string,
	hint?: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: ${field} ${problem}`, {
		itemIndex,
		description: hint,
	});
}

export function requireText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
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
	field: string,
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
	field: string,
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
