import type { IBinaryData, IWebhookFunctions } from 'n8n-workflow';
import type { EsignEventOutput } from '../../shared/events';
import {
	type DownloadKind,
	downloadAll,
	downloadTargets,
	firstRefusal,
} from '../actions/document/downloadFiles.operation';

/**
 * The files of a completion event, for the trigger and the wait alike. Every link is checked
 * against the credential's host before the first request (links come from the webhook body, and
 * downloads carry the API key). Throws with the reason when nothing can be attached.
 */
export async function downloadEventFiles(
	this: IWebhookFunctions,
	event: EsignEventOutput,
	kind: DownloadKind,
	field: string,
): Promise<Record<string, IBinaryData>> {
	const chosen = (event.files ?? []).filter((file) => file.kind === kind);
	if (chosen.length === 0) throw new Error(`The event lists no ${kind} files`);
	const targets = downloadTargets(chosen, kind, event.documentId);
	const refusal = await firstRefusal.call(this, targets);
	if (refusal) {
		// The reason goes to `downloadErrorDescription` (shared/callback.ts).
		throw Object.assign(new Error(`Refused to download "${refusal.target.name}"`), {
			description: refusal.refused,
		});
	}
	return (await downloadAll.call(this, targets, field)).binary;
}
