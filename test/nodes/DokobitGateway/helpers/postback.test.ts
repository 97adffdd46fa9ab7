import {
	confirmsPostback,
	eventSigner,
	findSigner,
	occurredAt,
	parsePostback,
	postbackDedupeKey,
	toEsignEvent,
	withoutAccessToken,
} from '../../../../nodes/DokobitGateway/helpers/postback';
import type { Postback, SigningStatus } from '../../../../nodes/DokobitGateway/helpers/types';

const postback = (extra: Partial<Postback>): Postback => ({
	status: 'ok',
	token: 'T1',
	action: 'signer_signed',
	...extra,
});
const status = (value: string, signers: SigningStatus['signers'] = {}): SigningStatus => ({
	status: value,
	signers,
});

describe('parsePostback', () => {
	it('normalizes the signer id and keeps the rest as sent', () => {
		const result = parsePostback({ token: ' T1 ', action: 'signer_signed', signer: 7, extra: 'x' });
		expect(result).toEqual({
			ok: true,
			postback: { token: 'T1', action: 'signer_signed', signer: '7', extra: 'x' },
		});
	});

	it('drops an empty signer', () => {
		expect(parsePostback({ token: 'T1', action: 'signing_completed', signer: '' })).toEqual({
			ok: true,
			postback: { token: 'T1', action: 'signing_completed' },
		});
	});
});

describe('confirmsPostback', () => {
	it.each([
		['signing_completed', 'pending', false],
		['signing_completed', 'completed', true],
		['signing_completed', 'archived', true],
		['signing_completed', 'failed', false],
		['signing_archived', 'completed', false],
		['signing_archived', 'archived', true],
		['signing_archive_failed', 'pending', false],
		['signing_archive_failed', 'completed', true],
		['signing_archive_failed', 'failed', true],
		['signing_archive_failed', 'archived', false],
	] as const)('%s with status %s → %s', (action, value, expected) => {
		expect(confirmsPostback(postback({ action }), status(value))).toBe(expected);
	});

	it('needs that very signer to be signed', () => {
		const g9 = status('pending', { '1': { status: 'signed' }, '2': { status: 'pending' } });
		expect(confirmsPostback(postback({ signer: '1' }), g9)).toBe(true);
		expect(confirmsPostback(postback({ signer: '2' }), g9)).toBe(false);
		expect(confirmsPostback(postback({ signer: '3' }), g9)).toBe(false);
		expect(confirmsPostback(postback({}), g9)).toBe(false);
	});

	it('finds signers keyed by token through their personal code', () => {
		const g9 = status('pending', { st123: { status: 'signed', code: '50001018865' } });
		const byCode = postback({ signer: '1', signer_info: { code: '50001018865' } });
		expect(findSigner(g9, byCode)?.id).toBe('st123');
		expect(confirmsPostback(byCode, g9)).toBe(true);
	});
});

describe('event mapping', () => {
	it('takes the name from the signing status and ignores an unknown signature level', () => {
		const g9 = status('pending', { '1': { status: 'signed', name: 'Jonas', surname: 'Jonaitis' } });
		expect(
			eventSigner(postback({ signer: '1', signer_info: { code: 'C', type: 'ultra' } }), g9),
		).toEqual({ id: '1', name: 'Jonas Jonaitis', identifier: 'C' });
		expect(eventSigner(postback({ action: 'signing_completed' }), g9)).toBeUndefined();
	});

	it('uses the receipt time when the signing status has none, and for archive events', () => {
		const received = new Date('2026-01-02T03:04:05.000Z');
		expect(
			occurredAt(
				postback({ signer: '1' }),
				received,
				status('pending', { '1': { status: 'signed' } }),
			),
		).toBe(received.toISOString());
		expect(occurredAt(postback({ action: 'signing_archived' }), received, status('archived'))).toBe(
			received.toISOString(),
		);
		expect(occurredAt(postback({ signer: '1' }), received)).toBe(received.toISOString());
	});

	it('keys signer events by signer and document events by document only', () => {
		expect(postbackDedupeKey(postback({ signer: '1' }))).toBe('dokobit:T1:signer.signed:1');
		expect(postbackDedupeKey(postback({ signer_info: [{ code: 'C' }] }))).toBe(
			'dokobit:T1:signer.signed:C',
		);
		expect(postbackDedupeKey(postback({ action: 'signing_completed', signer: '1' }))).toBe(
			'dokobit:T1:document.completed:',
		);
		expect(postbackDedupeKey(postback({ action: 'signing_archive_failed' }))).toBe(
			'dokobit:T1:document.failed:',
		);
	});

	it('strips access_token from file URLs', () => {
		expect(withoutAccessToken('https://g.example/api/signing/T/download?access_token=k&x=1')).toBe(
			'https://g.example/api/signing/T/download?x=1',
		);
		expect(withoutAccessToken('not a url')).toBe('not a url');
	});

	it('falls back to the signing status’s file URL and omits what is unknown', () => {
		const event = toEsignEvent(
			postback({ action: 'signing_archived' }),
			{ body: {}, headers: {}, query: {} },
			new Date('2026-01-02T03:04:05.000Z'),
			{ ...status('archived'), file: 'https://g.example/api/signing/T1/download' },
		);
		expect(event).toMatchObject({
			vendor: 'dokobit',
			event: 'document.archived',
			files: [{ url: 'https://g.example/api/signing/T1/download', kind: 'signed' }],
			verified: true,
		});
		expect(Object.keys(event)).not.toContain('signer');
		expect(Object.keys(event)).not.toContain('derived');
	});
});
