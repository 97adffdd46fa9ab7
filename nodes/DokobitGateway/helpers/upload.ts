import { createHash, randomUUID } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import {
	type FileContent,
	type FileInput,
	fileContentOf,
	jsonWithFileContent,
} from '../../shared/binary';
import { abortableSleep } from '../../shared/sleep';
import { retryPolicyOf } from '../../shared/retry';
import { dokobitApi, dokobitApiRequest, dokobitErrorText, getUploadStatus } from '../transport';
import { hasToken } from './types';

export interface UploadedFile {
	token: string;
	name: string;
	digest: string;
	status: string;
	size: number;
}

/**
 * The JSON body of `POST /api/file/upload.json`. A URL upload is a small object. A content upload
 * is built straight into one Buffer, hashing and base64-encoding the file in the same pass (see
 * `jsonWithFileContent`).
 */
async function uploadBody(
	ctx: IExecuteFunctions,
	itemIndex: number,
	file: FileContent,
): Promise<{ body: IDataObject | Buffer; digest: string; headers?: IDataObject }> {
	if (file.sourceUrl) {
		const hash = createHash('sha256');
		for await (const chunk of file.chunks()) hash.update(chunk);
		const digest = hash.digest('hex');
		return { body: { file: { name: file.fileName, digest, url: file.sourceUrl } }, digest };
	}
	const marks = { content: randomUUID(), digest: randomUUID() };
	const { body, digest } = await jsonWithFileContent(
		ctx,
		itemIndex,
		{ file: { name: file.fileName, digest: marks.digest, content: marks.content } },
		file,
		marks,
	);
	return { body, digest, headers: { 'content-type': 'application/json' } };
}

/**
 * `POST /api/file/upload.json`, then `GET /api/file/upload/{fileToken}/status.json`: uploads one
 * file and waits until the Gateway reports `uploaded`. Content uploads are ready at once; URL
 * uploads stay `pending` until Dokobit has fetched the file. The wait backs off as the Gateway's
 * retry policy polls (`pollDelayMs`: 0.5 s, 1 s, 2 s … capped at 5 s) and ends with a clear error
 * at `maxWaitSeconds`.
 */
export async function uploadAndWait(
	this: IExecuteFunctions,
	itemIndex: number,
	input: FileInput | FileContent,
	maxWaitSeconds: number,
): Promise<UploadedFile> {
	const file = 'bytes' in input ? fileContentOf(input) : input;
	const { body, digest, headers } = await uploadBody(this, itemIndex, file);
	const created = await dokobitApiRequest.call(this, 'POST', '/api/file/upload.json', {
		body,
		headers,
		itemIndex,
	});
	if (!hasToken(created)) {
		throw new NodeOperationError(this.getNode(), 'Dokobit Gateway returned no file token', {
			itemIndex,
		});
	}
	const token = created.token;
	const deadline = Date.now() + maxWaitSeconds * 1000;
	for (let attempt = 0; ; attempt++) {
		const status = await getUploadStatus.call(this, token, itemIndex);
		if (status.status === 'uploaded') {
			return { token, name: file.fileName, digest, status: status.status, size: file.size };
		}
		if (status.status !== 'pending') {
			throw new NodeOperationError(
				this.getNode(),
				`Dokobit Gateway could not take the file "${file.fileName}" (upload status "${status.status}")`,
				{
					itemIndex,
					description:
						(await dokobitErrorText.call(this, status)) ??
						'For URL uploads, check that the link is public and serves the same bytes.',
				},
			);
		}
		const delay = retryPolicyOf(dokobitApi).pollDelayMs(attempt);
		if (Date.now() + delay > deadline) {
			throw new NodeOperationError(
				this.getNode(),
				`Dokobit Gateway had not finished fetching "${file.fileName}" after ${maxWaitSeconds} s`,
				{
					itemIndex,
					description: `File token ${token} is still pending. Raise "Max Wait (Seconds)" or check its status later.`,
				},
			);
		}
		await abortableSleep(delay, this.getExecutionCancelSignal());
	}
}
