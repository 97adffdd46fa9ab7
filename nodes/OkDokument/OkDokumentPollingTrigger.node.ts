import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import { listDocuments } from './helpers/list';
import {
	type PollState,
	diffDocuments,
	isPollState,
	pollEvent,
	readMemory,
	writeMemory,
} from './helpers/poll';
import type { ListedDocument } from './helpers/types';
import { credentialBaseUrl } from './transport';

export class OkDokumentPollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OKdokument Polling Trigger',
		name: 'okDokumentPollingTrigger',
		icon: { light: 'file:okdokument.svg', dark: 'file:okdokument.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["events"] || []).join(", ")}}',
		description:
			'Starts the workflow when an OKdokument document is signed or canceled, by checking the document list on a schedule',
		defaults: { name: 'OKdokument Polling Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'okDokumentApi', required: true }],
		polling: true,
		properties: [
			{
				displayName:
					'Needs no callback URL. Each document is reported once per outcome; documents that were already signed or canceled when the workflow was activated are not reported.',
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
							'Signed or canceled, but OKdokument could not deliver the callback; it does not say which (errorsendinfo)',
					},
					{
						name: 'Canceled',
						value: 'canceled',
						description: 'The signer pressed Cancel (canceled)',
					},
					{
						name: 'Signed',
						value: 'signed',
						description: 'The signer submitted the signed document (signed)',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const states = (this.getNodeParameter('events', []) as string[]).filter(isPollState);
		if (states.length === 0) {
			throw new NodeOperationError(this.getNode(), 'Choose at least one event');
		}
		const documents: ListedDocument[] = [];
		for (const state of [...new Set<PollState>(states)]) {
			for (const document of await listDocuments.call(this, state)) {
				// The list is filtered by the service; the check keeps a stray entry out of the memory.
				if (document.state === state) documents.push(document);
			}
		}
		const now = new Date();
		const baseUrl = await credentialBaseUrl.call(this);

		if (this.getMode() === 'manual') {
			// "Fetch test event": the most recently changed document, without touching the memory.
			const { fresh } = diffDocuments({ seen: {} }, documents, now.getTime());
			const newest = fresh.at(-1);
			return newest
				? [[{ json: pollEvent(newest, baseUrl, now) as unknown as IDataObject }]]
				: null;
		}

		// n8n stages static data written here and commits it with the emitted execution (or alone
		// when nothing is emitted), so a crash before the hand-off re-polls instead of losing events.
		const staticData = this.getWorkflowStaticData('node');
		const { fresh, memory } = diffDocuments(readMemory(staticData), documents, now.getTime());
		writeMemory(staticData, memory);
		if (fresh.length === 0) return null;
		return [
			fresh.map((document) => ({
				json: pollEvent(document, baseUrl, now) as unknown as IDataObject,
			})),
		];
	}
}
