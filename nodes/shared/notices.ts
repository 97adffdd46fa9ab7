import type { INodeProperties } from 'n8n-workflow';

/**
 * The notice on every operation that sends a signing request or signs: users (and the operation
 * descriptions a model reads as tool descriptions) must see that it is legally binding.
 */
export function legallyBindingNotice(
	what = 'This sends a legally binding signing request to the signers.',
): INodeProperties {
	return {
		displayName: `${what} It is never retried automatically; keep the node’s Retry On Fail off.`,
		name: 'legallyBindingNotice',
		type: 'notice',
		default: '',
	};
}
