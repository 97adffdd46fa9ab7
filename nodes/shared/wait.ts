import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, WAIT_INDEFINITELY } from 'n8n-workflow';
import { escapeHtml } from './html';
import { field, invalidField, isHttpUrl } from './validation';

/** "Limit Wait Time", as n8n's own send-and-wait operations offer it. */
export const limitWaitTimeProperty: INodeProperties = {
	displayName: 'Limit Wait Time',
	name: 'limitWaitTime',
	type: 'fixedCollection',
	default: {},
	description:
		'Stop waiting after a while. When the limit is reached the node outputs one item with "outcome" set to "timeout" and the document’s identity, so a follow-up can check the document at the vendor (e.g. with Get Status) before acting on it.',
	options: [
		{
			displayName: 'Limit',
			name: 'values',
			values: [
				{
					displayName: 'Limit Type',
					name: 'limitType',
					type: 'options',
					default: 'afterTimeInterval',
					options: [
						{ name: 'After Time Interval', value: 'afterTimeInterval' },
						{ name: 'At Specified Time', value: 'atSpecifiedTime' },
					],
				},
				{
					displayName: 'Amount',
					name: 'resumeAmount',
					type: 'number',
					default: 1,
					typeOptions: { minValue: 1, numberPrecision: 0 },
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Unit',
					name: 'resumeUnit',
					type: 'options',
					default: 'hours',
					options: [
						{ name: 'Minutes', value: 'minutes' },
						{ name: 'Hours', value: 'hours' },
						{ name: 'Days', value: 'days' },
					],
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{
					displayName: 'Max Date and Time',
					name: 'maxDateAndTime',
					type: 'dateTime',
					default: '',
					displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
				},
			],
		},
	],
};

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

/** A field of Limit Wait Time, named as the panel shows it. */
const limitField = (name: string) => field([limitWaitTimeProperty], `limitWaitTime.values.${name}`);

/** When to stop waiting; validated before anything is sent, so a bad limit creates nothing. */
export function computeWaitTill(ctx: IExecuteFunctions, itemIndex: number, now = Date.now()): Date {
	const limit = ctx.getNodeParameter('limitWaitTime.values', itemIndex, {}) as IDataObject;
	if (!limit || Object.keys(limit).length === 0) return WAIT_INDEFINITELY;
	if (limit.limitType === 'atSpecifiedTime') {
		const at = new Date(String(limit.maxDateAndTime ?? ''));
		if (Number.isNaN(at.getTime())) {
			throw invalidField(ctx, itemIndex, limitField('maxDateAndTime'), 'is not a valid date');
		}
		if (at.getTime() <= now) {
			throw invalidField(ctx, itemIndex, limitField('maxDateAndTime'), 'is in the past');
		}
		return at;
	}
	const amount = Number(limit.resumeAmount ?? 1);
	const unit = String(limit.resumeUnit ?? 'hours') as keyof typeof UNIT_MS;
	if (!Number.isFinite(amount) || amount <= 0 || !UNIT_MS[unit]) {
		throw invalidField(ctx, itemIndex, limitField('resumeAmount'), 'must be a positive number');
	}
	return new Date(now + amount * UNIT_MS[unit]);
}

/** A link the signer (or sender) needs while the execution waits. */
export interface SigningLink {
	/** Whose link it is, e.g. `signer 7`. */
	label: string;
	url: string;
}

/**
 * Shows the signing links in the waiting node's output panel while the workflow runs in the
 * editor. There the editor renders a waiting node's output only as `waitingNodeTooltip` (an
 * expression that cannot read run data) but does show the run's execution hints, as HTML through
 * its sanitizer (n8n 1.x and 2.x). A saved waiting execution opened later shows neither: the
 * editor drops the waiting node's run when it loads one (only the REST API returns it).
 */
export function showSigningLinks(
	ctx: IExecuteFunctions,
	heading: string,
	links: SigningLink[],
): void {
	// Only web links become anchors: the URLs come from the vendor's answer.
	const shown = links.filter((link) => isHttpUrl(link.url));
	if (shown.length === 0 || typeof ctx.addExecutionHints !== 'function') return;
	const lines = shown.map((link) => {
		const url = escapeHtml(link.url);
		return `${escapeHtml(link.label)}: <a href="${url}" target="_blank" rel="noopener">${url}</a>`;
	});
	ctx.addExecutionHints({
		type: 'info',
		location: 'outputPane',
		message: [escapeHtml(heading), ...lines].join('<br>'),
	});
}

/** The `outcome` of a wait that reached its "Limit Wait Time". */
const TIMEOUT_OUTCOME = 'timeout';

/**
 * Makes the end of the wait limit explicit data: `{ outcome: 'timeout', waitedUntil, ...identity }`.
 *
 * n8n runs no node code when a wait limit passes. It resumes the execution with the waiting node
 * disabled, and a disabled node passes on the input it was queued with (n8n-core `WorkflowExecute`
 * `handleWaitingState` and `handleDisabledNode`, the same from 1.122 to 2.41). That queued input
 * is this run's own `getExecuteData().data.main`, an array of its own (only its elements are shared
 * with the parent's output), so setting its first input here turns the pass-through into this
 * item. A resume call replaces the same input with the vendor's outcome (n8n's webhook helpers),
 * so it never sees this item.
 */
export function endAtLimitWith(
	ctx: IExecuteFunctions,
	waitTill: Date,
	identity: IDataObject,
): void {
	if (waitTill.getTime() === WAIT_INDEFINITELY.getTime()) return;
	const queued = typeof ctx.getExecuteData === 'function' ? ctx.getExecuteData() : undefined;
	const main = queued?.data?.main;
	if (!Array.isArray(main)) return;
	main[0] = [
		{
			json: { outcome: TIMEOUT_OUTCOME, waitedUntil: waitTill.toISOString(), ...identity },
			pairedItem: { item: 0 },
		},
	];
}

/**
 * Refuses more than one input item before anything is sent: a waiting execution resumes for one
 * signing. `unit` names what one execution waits for; `batchAdvice` says what to use for batches.
 */
export function requireSingleItem(ctx: IExecuteFunctions, unit: string, batchAdvice: string): void {
	const count = ctx.getInputData().length;
	if (count === 1) return;
	throw new NodeOperationError(
		ctx.getNode(),
		`Send and wait handles one ${unit} per execution; this node received ${count} items`,
		{
			description: `${batchAdvice} for batches, or run one item per execution (e.g. through a sub-workflow).`,
		},
	);
}
