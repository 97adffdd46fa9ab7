/**
 * The last stage of every verified vendor callback, for the three triggers and the three waits:
 * answer the vendor, attach the files, scrub the secrets, emit. Written once so the six paths
 * cannot drift apart: a failed download never loses a verified event (it is reported in
 * `downloadError`), files are fetched only after the vendor has its answer, and the binary field
 * name is read the same way everywhere.
 */
import type {
	IBinaryData,
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { redactDeep, respond } from './webhook';

export interface VerifiedCallback {
	/** The item to emit; its `json` is the normalized event (or the raw payload). */
	item: INodeExecutionData;
	/**
	 * Fetches the files to attach, after the vendor has been answered. A failure (thrown) is
	 * reported on the item, not raised. Absent when no files are wanted.
	 */
	files?: () => Promise<Record<string, IBinaryData>>;
	/** Values that must not appear anywhere in the output (keys, URL secrets, proofs). */
	secrets: readonly string[];
	/**
	 * `now`: answer 200 before anything else (waits, and any callback with files to fetch, so a
	 * slow download cannot cost the vendor's answer). `whenQueued`: let n8n answer once the
	 * execution is queued, so an overloaded n8n answers an error and a vendor that retries does.
	 */
	answer: 'now' | 'whenQueued';
}

export async function emitVerified(
	ctx: IWebhookFunctions,
	{ item, files, secrets, answer }: VerifiedCallback,
): Promise<IWebhookResponseData> {
	const answered: IWebhookResponseData =
		answer === 'now' || files ? respond(ctx, 200, { received: true }) : {};
	if (files) {
		try {
			const binary = await files();
			if (Object.keys(binary).length > 0) item.binary = binary;
		} catch (error) {
			item.json.downloadError = (error as Error).message;
			const description = (error as { description?: unknown }).description;
			if (typeof description === 'string') item.json.downloadErrorDescription = description;
		}
	}
	item.json = redactDeep(item.json, secrets) as IDataObject;
	return { ...answered, workflowData: [[item]] };
}

/** The output binary field a user named (trimmed), or `data`. */
export function binaryFieldName(value: unknown): string {
	return (typeof value === 'string' ? value.trim() : '') || 'data';
}
