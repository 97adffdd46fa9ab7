import { NodeOperationError } from 'n8n-workflow';
import type { ApiContext } from '../../shared/http';
import { okDokumentApiRequest } from '../transport';
import { DOCUMENT_STATES, type DocumentState, type ListedDocument, isDocumentList } from './types';

/** `GET /JSON/list/flat` takes one state, or `*` for all. */
export const LIST_STATES = ['*', ...DOCUMENT_STATES] as const;
export type ListState = DocumentState | '*';

/** `GET /JSON/list/flat?state=…`. The list is not paged. Read-only, so retried. */
export async function listDocuments(
	this: ApiContext,
	state: ListState,
	itemIndex?: number,
): Promise<ListedDocument[]> {
	const list = await okDokumentApiRequest.call(this, 'GET', '/JSON/list/flat', {
		qs: { state },
		itemIndex,
	});
	if (!isDocumentList(list)) {
		throw new NodeOperationError(
			this.getNode(),
			'OKdokument returned an unreadable document list',
			{
				itemIndex,
			},
		);
	}
	return list;
}
