/** The signed PDF of a document as the binary of an event's item. */
import type { IBinaryData, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { binaryFieldName } from '../../shared/callback';
import type { EsignEventOutput } from '../../shared/events';
import { okDokumentDownload } from '../transport';

/**
 * Downloads the document (`GET /JSON/document/{id}`) into the chosen binary field; the event's
 * file entry takes the file's real name.
 */
export async function signedFileBinary(
	this: IWebhookFunctions | IExecuteFunctions,
	documentId: string,
	event: EsignEventOutput,
	options: { storedName?: string; binaryPropertyName?: string; itemIndex?: number },
): Promise<Record<string, IBinaryData>> {
	const file = await okDokumentDownload.call(this, documentId, {
		storedName: options.storedName,
		itemIndex: options.itemIndex,
	});
	if (event.files?.[0] && file.fileName) event.files[0].name = file.fileName;
	return { [binaryFieldName(options.binaryPropertyName)]: file };
}
