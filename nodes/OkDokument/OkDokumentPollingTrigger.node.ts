import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { resolveHiddenOutcome } from './helpers/hiddenOutcome';
import { listDocuments } from './helpers/list';
import {
	type PollEventOutput,
	type PollMemory,
	type PollState,
	diffDocuments,
	isPollState,
	listedStates,
	newlyListed,
	pollEvent,
	readMemory,
	recoverOutcome,
	reportsRecovered,
	retryNextPoll,
	writeMemory,
} from './helpers/poll';
import type { ListedDocument } from './helpers/types';
import { credentialBaseUrl } from './transport';

/**
 * At most this many `errorsendinfo` files are read per poll (one download each); the rest wait
 * for the next poll, so a backlog after a long outage cannot overrun the poll.
 */
export const MAX_RECOVERED_PER_POLL = 20;
/** Files read for "Fetch Test Event", which has no memory to spread the work over polls. */
const MAX_RECOVERED_IN_TEST = 3;
/** Share of n8n's poll budget (5 minutes in n8n 2.x) the downloads may use. */
const BUDGET_SHARE = 0.5;
const FALLBACK_BUDGET_MS = 120_000;

const toItem = (event: PollEventOutput): INodeExecutionData => ({
	json: event as unknown as IDataObject,
});

export class OkDokumentPollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OKdokument Polling Trigger',
		name: 'okDokumentPollingTrigger',
		icon: { light: 'file:okdokument.svg', dark: 'file:okdokument.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description:
			'Starts the workflow when an OKdokument document is signed or canceled, by checking the document list on a schedule; also recovers outcomes whose callback was lost',
		defaults: { name: 'OKdokument Polling Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'okDokumentApi', required: true }],
		polling: true,
		properties: [
			{
				displayName:
					'Needs no callback URL, and also finds outcomes whose callback was lost (while n8n was down, or to a trigger whose workflow was off): OKdokument then shows them as "errorsendinfo", and this trigger reads from the signed PDF whether the signer signed or canceled. Each document is reported once per outcome; documents already finished when the workflow was activated are not reported.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['signed', 'canceled'],
				options: [
					{
						name: 'Callback Failed',
						value: 'errorsendinfo',
						description:
							'Every document whose callback OKdokument could not deliver (errorsendinfo): as Signed or Canceled when the PDF shows which, else as document.failed',
					},
					{
						name: 'Canceled',
						value: 'canceled',
						description:
							'The signer pressed Cancel (canceled), including lost callbacks the PDF shows as canceled',
					},
					{
						name: 'Signed',
						value: 'signed',
						description:
							'The signer submitted the signed document (signed), including lost callbacks whose PDF carries the signature',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const startedAt = Date.now();
		const chosen = chosenEvents(this);
		const listed = listedStates(chosen);
		const documents = await listDocumentsIn.call(this, listed);
		const now = new Date();
		const baseUrl = await credentialBaseUrl.call(this);
		const run: PollRun = { baseUrl, now, reported: new Set(chosen) };
		if (this.getMode() === 'manual') return await testEvent.call(this, documents, run);

		// n8n stages static data written here and commits it with the emitted execution (or alone
		// when nothing is emitted), so a crash before the hand-off re-polls instead of losing events.
		const staticData = this.getWorkflowStaticData('node');
		const previous = readMemory(staticData);
		const { fresh, memory } = diffDocuments(previous, documents, now.getTime(), {
			baseline: newlyListed(previous, listed, chosen),
		});
		memory.lists = listed;
		const budget = (this as { getPollBudgetMs?: () => number }).getPollBudgetMs?.();
		const deadline = startedAt + (budget ? budget * BUDGET_SHARE : FALLBACK_BUDGET_MS);
		const events = await freshEvents.call(this, fresh, run, { previous, memory, deadline });
		writeMemory(staticData, memory);
		return events.length > 0 ? [events.map(toItem)] : null;
	}
}

/** What one poll reports, and how it names documents. */
interface PollRun {
	baseUrl: string;
	now: Date;
	reported: Set<PollState>;
}

function chosenEvents(ctx: IPollFunctions): PollState[] {
	const chosen = [
		...new Set<PollState>((ctx.getNodeParameter('events', []) as string[]).filter(isPollState)),
	];
	if (chosen.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Choose at least one event');
	}
	return chosen;
}

/** `GET /JSON/list/flat` for each listed state. */
async function listDocumentsIn(
	this: IPollFunctions,
	states: PollState[],
): Promise<ListedDocument[]> {
	const documents: ListedDocument[] = [];
	for (const state of states) {
		for (const document of await listDocuments.call(this, state)) {
			// The list is filtered by the service; the check keeps a stray entry out of the memory.
			if (document.state === state) documents.push(document);
		}
	}
	return documents;
}

/** "Fetch test event": the most recently changed reportable document, memory untouched. */
async function testEvent(
	this: IPollFunctions,
	documents: ListedDocument[],
	{ baseUrl, now, reported }: PollRun,
): Promise<INodeExecutionData[][] | null> {
	const newestFirst = diffDocuments({ seen: {} }, documents, now.getTime()).fresh.reverse();
	let reads = 0;
	for (const document of newestFirst) {
		if (document.state !== 'errorsendinfo') return [[toItem(pollEvent(document, baseUrl, now))]];
		if (reads++ >= MAX_RECOVERED_IN_TEST) continue;
		const recovery = await resolveHiddenOutcome.call(this, document).catch(() => undefined);
		if (recovery && reportsRecovered(recovery.outcome, reported)) {
			return [[toItem(pollEvent(document, baseUrl, now, recovery))]];
		}
	}
	return null;
}

/**
 * The events of the documents new since the last poll. An `errorsendinfo` document's outcome is
 * read from its PDF, within the per-poll limits; one not read now is tried again next poll.
 */
async function freshEvents(
	this: IPollFunctions,
	fresh: ListedDocument[],
	{ baseUrl, now, reported }: PollRun,
	{
		previous,
		memory,
		deadline,
	}: { previous: PollMemory | undefined; memory: PollMemory; deadline: number },
): Promise<PollEventOutput[]> {
	const events: PollEventOutput[] = [];
	let reads = 0;
	for (const document of fresh) {
		if (document.state !== 'errorsendinfo') {
			events.push(pollEvent(document, baseUrl, now));
			continue;
		}
		if (reads >= MAX_RECOVERED_PER_POLL || Date.now() > deadline) {
			retryNextPoll(memory, previous, document.id);
			continue;
		}
		reads++;
		let recovery: Awaited<ReturnType<typeof recoverOutcome>>;
		try {
			recovery = await recoverOutcome.call(this, document, previous?.seen[document.id]);
		} catch (error) {
			// The file could not be read now (network, 5xx): the next poll tries again.
			this.logger.warn('OKdokument: could not read the outcome of an errorsendinfo document', {
				id: document.id,
				error: (error as Error).message,
			});
			retryNextPoll(memory, previous, document.id);
			continue;
		}
		if (recovery !== 'reported' && reportsRecovered(recovery.outcome, reported)) {
			events.push(pollEvent(document, baseUrl, now, recovery));
		}
	}
	return events;
}
