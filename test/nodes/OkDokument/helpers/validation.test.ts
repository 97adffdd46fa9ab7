import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import {
	checkFieldName,
	parseAllowedFields,
} from '../../../../nodes/OkDokument/helpers/acrofields';
import { requireExpiration, toEpochMs } from '../../../../nodes/OkDokument/helpers/dates';
import {
	MAX_FILE_BYTES,
	checkDocumentFile,
} from '../../../../nodes/OkDokument/helpers/documentFile';
import { requestOptionsProperty } from '../../../../nodes/OkDokument/helpers/options';
import { field } from '../../../../nodes/shared/validation';
import {
	requireEmailList,
	requirePhone,
	requireSignatureRequestId,
} from '../../../../nodes/OkDokument/helpers/validation';

const node: INode = {
	id: 'n',
	name: 'OKdokument',
	type: 'n8n-nodes-esign.okDokument',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const ctx = (timeZone = 'UTC') =>
	({ getNode: () => node, getTimezone: () => timeZone }) as unknown as IExecuteFunctions;

function failure(run: () => unknown): NodeOperationError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(NodeOperationError);
		return error as NodeOperationError;
	}
	throw new Error('expected a NodeOperationError');
}

const EXPIRES_AT = field([requestOptionsProperty], 'options.expiresAt');
const ALLOWED_FIELDS = field([requestOptionsProperty], 'options.allowedFields');

const PDF = Buffer.from('%PDF-1.4\n%sandbox\n');
const file = (bytes: Buffer, fileName: string) => ({ bytes, fileName, mimeType: 'x/y' });

describe('toEpochMs', () => {
	it('reads picker text (no zone) as wall-clock time in the workflow time zone', () => {
		// Bratislava is UTC+1 in winter and UTC+2 in summer.
		expect(toEpochMs('2026-01-15T10:00:00', 'Europe/Bratislava')).toBe(
			Date.UTC(2026, 0, 15, 9, 0, 0),
		);
		expect(toEpochMs('2026-07-15T10:00:00', 'Europe/Bratislava')).toBe(
			Date.UTC(2026, 6, 15, 8, 0, 0),
		);
		expect(toEpochMs('2026-07-15 10:00', 'America/New_York')).toBe(Date.UTC(2026, 6, 15, 14, 0, 0));
		expect(toEpochMs('2026-07-15', 'UTC')).toBe(Date.UTC(2026, 6, 15));
	});

	it('reads text with a zone, epoch ms and DateTime-like objects as they are', () => {
		expect(toEpochMs('2026-07-15T10:00:00+02:00', 'America/New_York')).toBe(
			Date.UTC(2026, 6, 15, 8),
		);
		expect(toEpochMs('1702288000000')).toBe(1702288000000);
		expect(toEpochMs(1702288000000)).toBe(1702288000000);
		expect(toEpochMs({ toMillis: () => 1702288000123 })).toBe(1702288000123);
		expect(toEpochMs(new Date(5000))).toBe(5000);
	});

	it.each([['next friday'], [''], [Number.NaN], [null], [{}], ['2026-13-45']])(
		'gives undefined for %p',
		(value) => {
			expect(toEpochMs(value)).toBeUndefined();
		},
	);
});

describe('requireExpiration', () => {
	const now = Date.UTC(2026, 4, 1, 12);
	it('accepts a time up to exactly 10 days ahead', () => {
		expect(requireExpiration(ctx(), 0, now + 1000, now, EXPIRES_AT)).toBe(now + 1000);
		expect(requireExpiration(ctx(), 0, now + 10 * 86_400_000, now, EXPIRES_AT)).toBe(
			now + 10 * 86_400_000,
		);
	});
	it('refuses the past, now itself, and beyond 10 days, naming item and field', () => {
		expect(failure(() => requireExpiration(ctx(), 3, now, now, EXPIRES_AT)).message).toBe(
			'Item 3: Options › Expires At 2026-05-01T12:00:00.000Z is in the past',
		);
		expect(
			failure(() => requireExpiration(ctx(), 0, now + 10 * 86_400_000 + 1, now, EXPIRES_AT))
				.message,
		).toBe(
			'Item 0: Options › Expires At 2026-05-11T12:00:00.001Z is more than 10 days ahead; OKdokument keeps a request open for at most 10 days',
		);
	});
});

describe('checkDocumentFile', () => {
	it('accepts PDFs by content, whatever the name, and Office files by signature', () => {
		expect(checkDocumentFile(ctx(), 0, file(PDF, 'a.pdf')).fileName).toBe('a.pdf');
		expect(checkDocumentFile(ctx(), 0, file(PDF, 'no-extension')).fileName).toBe('no-extension');
		const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2]);
		const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]);
		expect(checkDocumentFile(ctx(), 0, file(zip, 'A.XLSX')).fileName).toBe('A.XLSX');
		expect(checkDocumentFile(ctx(), 0, file(ole, 'old.doc')).fileName).toBe('old.doc');
	});

	it('accepts exactly 10 MB and refuses one byte more', () => {
		const limit = Buffer.concat([PDF, Buffer.alloc(MAX_FILE_BYTES - PDF.length)]);
		expect(checkDocumentFile(ctx(), 0, file(limit, 'a.pdf')).bytes.length).toBe(MAX_FILE_BYTES);
		const over = Buffer.concat([limit, Buffer.alloc(1)]);
		expect(failure(() => checkDocumentFile(ctx(), 0, file(over, 'a.pdf'))).message).toBe(
			'Item 0: File "a.pdf" is 10.0 MB; OKdokument takes at most 10 MB',
		);
	});

	it.each([
		[
			'an old Word name with a ZIP body',
			Buffer.from([0x50, 0x4b, 0x03, 0x04]),
			'x.doc',
			'is not a DOC file',
		],
		['an XLS name with a PDF body', PDF, 'x.xls', 'is not a XLS file'],
		['an image', Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'scan.png', 'has the type .png'],
	])('refuses %s', (_label, bytes, name, fragment) => {
		expect(failure(() => checkDocumentFile(ctx(), 0, file(bytes, name))).message).toContain(
			fragment,
		);
	});
});

describe('field names and allowed fields', () => {
	it('accepts text tags _SO1_…_SC5_ and acrofield names', () => {
		for (const name of ['_SO1_', '_SC5_', 'SC_signature', 'TO_text', 'CBO.choice-1', 'Field 2']) {
			expect(checkFieldName(ctx(), 0, 'F', ` ${name} `)).toBe(name);
		}
	});

	it.each([['_SO0_'], ['_SX1_'], ['_SC1'], ['_sig1_'], ['a;b'], ['-x'], ['ú']])(
		'refuses %p',
		(name) => {
			expect(() => checkFieldName(ctx(), 0, 'F', name)).toThrow(NodeOperationError);
		},
	);

	it('keeps each documented form', () => {
		expect(parseAllowedFields(ctx(), 0, '{"SIGNATURE":"_SO1_;_SC2_"}', ALLOWED_FIELDS)).toEqual({
			SIGNATURE: '_SO1_;_SC2_',
		});
		expect(
			parseAllowedFields(ctx(), 0, { TEXT: ['TO_text'], CHECKBOX: ['CO_x'] }, ALLOWED_FIELDS),
		).toEqual({
			TEXT: ['TO_text'],
			CHECKBOX: ['CO_x'],
		});
		expect(parseAllowedFields(ctx(), 0, '{}', ALLOWED_FIELDS)).toBeUndefined();
		expect(parseAllowedFields(ctx(), 0, '', ALLOWED_FIELDS)).toBeUndefined();
	});

	it('refuses empty names and lists of non-strings', () => {
		expect(
			failure(() => parseAllowedFields(ctx(), 0, '{"TEXT": "TO_a;;TO_b"}', ALLOWED_FIELDS)).message,
		).toBe('Item 0: Options › Allowed Fields (JSON) › TEXT contains an empty name');
		expect(
			failure(() => parseAllowedFields(ctx(), 0, '{"TEXT": [1]}', ALLOWED_FIELDS)).message,
		).toBe(
			'Item 0: Options › Allowed Fields (JSON) › TEXT must be a name, names separated by ";", or an array of names',
		);
	});
});

describe('contacts and IDs', () => {
	it('normalises phone numbers to E.164', () => {
		expect(requirePhone(ctx(), 0, 'Phone', '+421 (905) 123-456')).toBe('+421905123456');
		expect(() => requirePhone(ctx(), 0, 'Phone', '+0421905123456')).toThrow(NodeOperationError);
		expect(() => requirePhone(ctx(), 0, 'Phone', '+42190')).toThrow(NodeOperationError);
	});

	it('reads e-mail lists separated by ; | or , and sends them with ;', () => {
		expect(requireEmailList(ctx(), 0, 'E', 'a@example.com| b@example.sk ,c@example.cz;')).toBe(
			'a@example.com;b@example.sk;c@example.cz',
		);
		expect(failure(() => requireEmailList(ctx(), 0, 'E', ' ; | ')).message).toBe(
			'Item 0: E lists no e-mail address',
		);
	});

	it('takes URL-safe signature request IDs, never "off"', () => {
		expect(requireSignatureRequestId(ctx(), 0, '1d58a59e-e8f7-4d07-bb99-d3fa39cb58a8')).toBe(
			'1d58a59e-e8f7-4d07-bb99-d3fa39cb58a8',
		);
		expect(() => requireSignatureRequestId(ctx(), 0, 'OFF')).toThrow(NodeOperationError);
		expect(() => requireSignatureRequestId(ctx(), 0, 'a b')).toThrow(NodeOperationError);
		expect(() => requireSignatureRequestId(ctx(), 0, 'x'.repeat(101))).toThrow(NodeOperationError);
	});
});
