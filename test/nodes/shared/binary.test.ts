import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { decodeBase64 } from '../../../nodes/shared/fileInput';
import {
	fileExtension,
	fileNameFromDisposition,
	mimeTypeForFileName,
} from '../../../nodes/shared/fileNames';

const node: INode = {
	id: 'n1',
	name: 'Node',
	type: 'test',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const ctx = { getNode: () => node } as unknown as IExecuteFunctions;

describe('decodeBase64', () => {
	it('decodes padded and unpadded-length-4 base64', () => {
		expect(decodeBase64(ctx, 0, 'F', 'aGVsbG8=').toString()).toBe('hello');
		expect(decodeBase64(ctx, 0, 'F', 'aGk=').toString()).toBe('hi');
		expect(decodeBase64(ctx, 0, 'F', 'YWJj').toString()).toBe('abc');
	});

	it('ignores whitespace and line breaks', () => {
		expect(decodeBase64(ctx, 0, 'F', ' aGVs\nbG8=\r\n').toString()).toBe('hello');
	});

	it('strips a data: URL prefix', () => {
		expect(decodeBase64(ctx, 0, 'F', 'data:application/pdf;base64,JVBERg==').toString()).toBe(
			'%PDF',
		);
	});

	it.each([
		['empty', ''],
		['only whitespace', '  \n '],
		['bad length', 'aGVsbG8'],
		['characters outside the alphabet', 'aGV$bG8='],
		['padding in the middle', 'aG=sbG8='],
		['three padding characters', 'a==='],
		['plain text', 'hello world!'],
		['url-safe alphabet mixed with padding errors', 'a-_b=='],
	])('refuses %s, naming the item and the field', (_label, value) => {
		let caught: unknown;
		try {
			decodeBase64(ctx, 3, 'File Content (Base64)', value);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(NodeOperationError);
		expect((caught as Error).message).toBe('Item 3: File Content (Base64) is not valid base64');
		expect((caught as NodeOperationError).context.itemIndex).toBe(3);
	});
});

describe('fileNameFromDisposition', () => {
	it.each([
		['plain', 'attachment; filename=contract.pdf', 'contract.pdf'],
		['quoted', 'attachment; filename="signed contract.pdf"', 'signed contract.pdf'],
		['quoted with a semicolon', 'attachment; filename="a;b.pdf"', 'a;b.pdf'],
		['quoted with an escaped quote', 'attachment; filename="say \\"hi\\".pdf"', 'say "hi".pdf'],
		['spaces around =', 'attachment; filename = "x.pdf" ; size=3', 'x.pdf'],
		['upper-case parameter', 'ATTACHMENT; FILENAME="X.PDF"', 'X.PDF'],
		['RFC 5987', "attachment; filename*=UTF-8''sutartis%20%C4%85.pdf", 'sutartis ą.pdf'],
		['RFC 5987 lower-case charset', "attachment; filename*=utf-8''a%2Bb.pdf", 'a+b.pdf'],
		[
			'RFC 5987 with a language tag',
			"attachment; filename*=UTF-8'lt'sutartis%C4%85.pdf",
			'sutartisą.pdf',
		],
		[
			'RFC 5987 wins over the plain fallback',
			'attachment; filename="fallback.pdf"; filename*=UTF-8\'\'real%C4%85.pdf',
			'realą.pdf',
		],
		[
			'plain fallback when the extended value is undecodable',
			'attachment; filename="fallback.pdf"; filename*=UTF-8\'\'bad%E9.pdf',
			'fallback.pdf',
		],
		[
			'a name with a path, keeping the last segment',
			'attachment; filename="../../etc/x.pdf"',
			'x.pdf',
		],
		['a Windows path', 'attachment; filename="C:\\\\tmp\\\\x.pdf"', 'x.pdf'],
		['an encoded path', "attachment; filename*=UTF-8''..%2F..%2Fx.pdf", 'x.pdf'],
	])('reads the %s form', (_label, header, expected) => {
		expect(fileNameFromDisposition(header)).toBe(expected);
	});

	it.each([
		['no header', undefined],
		['a non-string header', ['attachment; filename=a.pdf']],
		['no file name', 'inline'],
		['an empty file name', 'attachment; filename=""'],
		['only a directory', 'attachment; filename="../"'],
		['a dot-dot name', 'attachment; filename=".."'],
	])('gives undefined for %s', (_label, header) => {
		expect(fileNameFromDisposition(header)).toBeUndefined();
	});
});

describe('fileExtension', () => {
	it.each([
		['contract.pdf', 'pdf'],
		['CONTRACT.PDF', 'pdf'],
		['report.v2.docx', 'docx'],
		['archive.tar.gz', 'gz'],
		['.hidden.txt', 'txt'],
		['archive.', ''],
		['README', ''],
		['', ''],
	])('gives the extension of %p as %p', (name, extension) => {
		expect(fileExtension(name)).toBe(extension);
	});

	it('treats the leading dot of a dotfile as part of the name, as path.extname does', () => {
		expect(fileExtension('.hidden')).toBe('');
		expect(fileExtension('.pdf')).toBe('');
		expect(mimeTypeForFileName('.pdf')).toBe('application/octet-stream');
	});
});

describe('mimeTypeForFileName', () => {
	it.each([
		['contract.pdf', 'application/pdf'],
		['CONTRACT.PDF', 'application/pdf'],
		['bundle.asice', 'application/vnd.etsi.asic-e+zip'],
		['bundle.bdoc', 'application/vnd.etsi.asic-e+zip'],
		['archive.adoc', 'application/vnd.lt.archyvai.adoc-2008'],
		['report.v2.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
	])('maps %s to %s', (name, mime) => {
		expect(mimeTypeForFileName(name)).toBe(mime);
	});

	it.each([['notes.txt'], ['README'], ['pdf'], ['archive.'], ['']])('falls back for %p', (name) => {
		expect(mimeTypeForFileName(name)).toBe('application/octet-stream');
		expect(mimeTypeForFileName(name, 'text/plain')).toBe('text/plain');
	});
});
