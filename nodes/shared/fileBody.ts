import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { createHash, randomBytes } from 'crypto';
import { NodeOperationError } from 'n8n-workflow';
import type { FileContent } from './binary';

/** 48 KiB, a multiple of 3: encodes to a 64 KiB string. */
const ENCODE_PIECE_BYTES = 3 * 16 * 1024;

function sizeMismatch(ctx: IExecuteFunctions, itemIndex: number, file: FileContent) {
	return new NodeOperationError(
		ctx.getNode(),
		`The binary file "${file.fileName}" does not have the size its metadata states`,
		{ itemIndex, description: `Expected ${file.size} bytes.` },
	);
}

/** Where the file's base64 content and digest go in the body, which already holds the rest. */
interface JsonLayout {
	body: Buffer;
	contentStart: number;
	digestStart: number;
	base64Length: number;
}

/**
 * The body of `text` with the two marks replaced by gaps of the final lengths (base64 of
 * `fileSize` bytes, 64 hex digits), the text around them already copied in.
 */
function jsonLayout(
	text: string,
	at: { content: number; digest: number },
	marks: { content: string; digest: string },
	fileSize: number,
): JsonLayout {
	// Pieces of the JSON text around the two placeholders, in text order.
	const contentFirst = at.content < at.digest;
	const [firstAt, firstMark, secondAt, secondMark] = contentFirst
		? [at.content, marks.content, at.digest, marks.digest]
		: [at.digest, marks.digest, at.content, marks.content];
	const head = Buffer.from(text.slice(0, firstAt), 'utf8');
	const middle = Buffer.from(text.slice(firstAt + firstMark.length, secondAt), 'utf8');
	const tail = Buffer.from(text.slice(secondAt + secondMark.length), 'utf8');
	const base64Length = 4 * Math.ceil(fileSize / 3);
	const digestLength = 64;
	// head | first value | middle | second value | tail
	const middleStart = head.length + (contentFirst ? base64Length : digestLength);
	const secondStart = middleStart + middle.length;
	const tailStart = secondStart + (contentFirst ? digestLength : base64Length);
	const body = Buffer.allocUnsafe(tailStart + tail.length);
	head.copy(body, 0);
	middle.copy(body, middleStart);
	tail.copy(body, tailStart);
	return {
		body,
		contentStart: contentFirst ? head.length : secondStart,
		digestStart: contentFirst ? secondStart : head.length,
		base64Length,
	};
}

/**
 * Reads the file once, hashing it and writing its base64 into `body` from `start`. Returns the
 * hex digest and where the base64 ended; throws when the file is not `file.size` bytes long.
 */
async function writeBase64(
	body: Buffer,
	start: number,
	file: FileContent,
	fail: () => Error,
): Promise<{ digest: string; end: number }> {
	const hash = createHash('sha256');
	let offset = start;
	let read = 0;
	let carry = Buffer.alloc(0);
	for await (const chunk of file.chunks()) {
		read += chunk.length;
		if (read > file.size) throw fail();
		hash.update(chunk);
		let rest = chunk;
		if (carry.length) {
			// Complete the previous chunk's 1–2 leftover bytes to a 3-byte group first.
			const take = Math.min(3 - carry.length, rest.length);
			carry = Buffer.concat([carry, rest.subarray(0, take)]);
			rest = rest.subarray(take);
			if (carry.length < 3) continue;
			offset += body.write(carry.toString('base64'), offset, 'latin1');
			carry = Buffer.alloc(0);
		}
		const whole = rest.length - (rest.length % 3);
		// Small pieces: their base64 strings stay below V8's large-object size, so they die young
		// instead of piling up (tens of MB) until the next full garbage collection.
		for (let at = 0; at < whole; at += ENCODE_PIECE_BYTES) {
			const end = Math.min(at + ENCODE_PIECE_BYTES, whole);
			offset += body.write(rest.toString('base64', at, end), offset, 'latin1');
		}
		carry = Buffer.from(rest.subarray(whole));
	}
	if (read !== file.size) throw fail();
	if (carry.length) offset += body.write(carry.toString('base64'), offset, 'latin1');
	return { digest: hash.digest('hex'), end: offset };
}

/**
 * Serialises `value` as JSON in which the string `contentMark` stands for the file's base64 content
 * and `digestMark` for its SHA-256 (hex), reading the file once. The result is one Buffer the size
 * of the JSON text: no base64 string, no JSON string and no copy of the file is ever held beside it,
 * so a file of N bytes costs about 1.33 N of memory instead of 4 to 5 N. The marks must be unique
 * strings that occur once each in `value` (use random ones).
 */
export async function jsonWithFileContent(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: IDataObject,
	file: FileContent,
	marks: { content: string; digest: string },
): Promise<{ body: Buffer; digest: string }> {
	const text = JSON.stringify(value);
	const at = { content: text.indexOf(marks.content), digest: text.indexOf(marks.digest) };
	if (at.content === -1 || at.digest === -1) {
		throw new NodeOperationError(ctx.getNode(), 'Internal error: file placeholders not found', {
			itemIndex,
		});
	}
	const layout = jsonLayout(text, at, marks, file.size);
	const { body, contentStart } = layout;
	const fail = () => sizeMismatch(ctx, itemIndex, file);
	const { digest, end } = await writeBase64(body, contentStart, file, fail);
	body.write(digest, layout.digestStart, 'latin1');
	if (end !== contentStart + layout.base64Length) throw fail();
	return { body, digest };
}

/** WHATWG's escaping of names in multipart headers (what `fetch`'s FormData sends). */
function multipartName(name: string): string {
	return name.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
}

/**
 * A `multipart/form-data` body (RFC 7578) of text fields followed by one file part, built straight
 * into one Buffer of its final size: the file is read once, chunk by chunk, into its place. No copy
 * of the file is held beside the body (a FormData with a Blob holds the file's bytes, the Blob's
 * copy and the encoder's output), so a file of N bytes costs N plus a few hundred bytes of memory.
 * `fileBytes` is a view of the file inside the body, for checks of its content before sending.
 */
export async function multipartWithFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fields: Array<[name: string, value: string]>,
	filePart: { name: string; file: FileContent; mimeType: string },
): Promise<{ body: Buffer; contentType: string; fileBytes: Buffer }> {
	// 96 random bits: a file cannot contain the boundary by accident.
	const boundary = `----n8nFormBoundary${randomBytes(12).toString('hex')}`;
	const { file } = filePart;
	let head = '';
	for (const [name, value] of fields) {
		// Text values travel with CRLF line breaks, as browsers and FormData send them.
		const text = value.replace(/\r\n|\r|\n/g, '\r\n');
		head += `--${boundary}\r\nContent-Disposition: form-data; name="${multipartName(name)}"\r\n\r\n${text}\r\n`;
	}
	head +=
		`--${boundary}\r\nContent-Disposition: form-data; name="${multipartName(filePart.name)}"; ` +
		`filename="${multipartName(file.fileName)}"\r\nContent-Type: ${filePart.mimeType.replace(/[\r\n]/g, '')}\r\n\r\n`;
	const headBytes = Buffer.from(head, 'utf8');
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1');
	const body = Buffer.allocUnsafe(headBytes.length + file.size + tail.length);
	headBytes.copy(body, 0);
	let offset = headBytes.length;
	const end = offset + file.size;
	for await (const chunk of file.chunks()) {
		if (offset + chunk.length > end) throw sizeMismatch(ctx, itemIndex, file);
		offset += chunk.copy(body, offset);
	}
	if (offset !== end) throw sizeMismatch(ctx, itemIndex, file);
	tail.copy(body, end);
	return {
		body,
		contentType: `multipart/form-data; boundary=${boundary}`,
		fileBytes: body.subarray(headBytes.length, end),
	};
}
