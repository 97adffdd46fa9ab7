import {
	callbackDedupeKey,
	confirmedOutcome,
	parseCallback,
	roundDedupeKey,
	toEsignEvent,
} from '../../../../nodes/OkDokument/helpers/callback';
import type { DocumentMetadata } from '../../../../nodes/OkDokument/helpers/types';

const DOC = 'y7Ki_u1mrUwijfb-o_S1JiphSsoXya8iypH380F';
const SR = '1d58a59e-e8f7-4d07-bb99-d3fa39cb58a8';
const metadata = (state: string): DocumentMetadata => ({
	filename: 'contract.pdf',
	state,
	modification: '2022-06-21 14:30:44',
	id: DOC,
	date: 1655814644472,
	number: '1655814644463',
});

function parsed(body: Record<string, unknown>) {
	const result = parseCallback(body);
	if (!result.ok) throw new Error(result.problem);
	return result.callback;
}

describe('parseCallback', () => {
	it('reads the documented body', () => {
		expect(parsed({ state: 'signed', id: DOC, signatureRequestId: SR })).toEqual({
			state: 'signed',
			id: DOC,
			signatureRequestId: SR,
		});
	});

	it('reads "cancelled" as the vendor’s "canceled", any case', () => {
		expect(parsed({ state: 'Cancelled', id: DOC }).state).toBe('canceled');
	});

	it('allows a missing state and signature request ID, keeping other fields', () => {
		expect(parsed({ id: ` ${DOC} `, code: 'SUCCESS' })).toEqual({ id: DOC, code: 'SUCCESS' });
	});

	it.each([
		[{ state: 'signed' }, 'Missing id'],
		[{ state: 'signed', id: 'a/b' }, 'Malformed id'],
		[{ state: 'tosign', id: DOC }, 'Unknown state "tosign"'],
		[{ state: 'signed', id: DOC, signatureRequestId: 'x y' }, 'Malformed signatureRequestId'],
		[{ state: 42, id: DOC }, 'Unknown state "42"'],
	])('refuses %p', (body, problem) => {
		const result = parseCallback(body as Record<string, unknown>);
		expect(result).toEqual({ ok: false, problem });
	});
});

describe('confirmedOutcome', () => {
	it('confirms only what the metadata shows', () => {
		const callback = parsed({ state: 'signed', id: DOC });
		expect(confirmedOutcome(callback, metadata('signed'))).toBe('signed');
		expect(confirmedOutcome(callback, metadata('canceled'))).toBeUndefined();
		expect(confirmedOutcome(callback, metadata('tosign'))).toBeUndefined();
		expect(confirmedOutcome(callback, metadata('errorsendinfo'))).toBeUndefined();
	});

	it('takes the outcome from the metadata when the body has no state', () => {
		expect(confirmedOutcome(parsed({ id: DOC }), metadata('canceled'))).toBe('canceled');
		expect(confirmedOutcome(parsed({ id: DOC }), metadata('tags'))).toBeUndefined();
	});
});

describe('the normalized event', () => {
	const raw = { body: { state: 'signed' }, headers: {}, query: { flow: 'hr' } };
	const received = new Date('2026-05-01T10:00:00.000Z');

	it('maps a verified signed callback', () => {
		const callback = parsed({ state: 'signed', id: DOC, signatureRequestId: SR });
		expect(
			toEsignEvent(
				callback,
				'signed',
				raw,
				received,
				'https://apidev.okdokument.com',
				metadata('signed'),
			),
		).toEqual({
			vendor: 'okdokument',
			event: 'document.completed',
			documentId: DOC,
			signer: { id: SR },
			files: [
				{
					url: `https://apidev.okdokument.com/JSON/document/${DOC}`,
					kind: 'signed',
					name: 'contract.pdf',
				},
			],
			occurredAt: '2026-05-01T10:00:00.000Z',
			status: { ...metadata('signed'), createdAt: '2022-06-21T12:30:44.472Z' },
			verified: true,
			dedupeKey: `okdokument:${DOC}:document.completed:${SR}`,
			raw,
		});
	});

	it('maps an unverified cancel without files or status', () => {
		const event = toEsignEvent(
			parsed({ state: 'canceled', id: DOC }),
			'canceled',
			raw,
			received,
			'https://x',
		);
		expect(event).toMatchObject({ event: 'document.declined', verified: false });
		expect(event.files).toBeUndefined();
		expect(event.status).toBeUndefined();
		expect(event.signer).toBeUndefined();
		expect(event.dedupeKey).toBe(`okdokument:${DOC}:document.declined:`);
	});

	it('keys each round of a document separately', () => {
		const round1 = callbackDedupeKey(parsed({ id: DOC, signatureRequestId: 'r1' }), 'signed');
		const round2 = callbackDedupeKey(parsed({ id: DOC, signatureRequestId: 'r2' }), 'signed');
		expect(round1).not.toBe(round2);
	});
});

describe('roundDedupeKey', () => {
	it('names the round by the modification time of the verified document', () => {
		expect(
			roundDedupeKey(parsed({ id: DOC, signatureRequestId: SR }), 'signed', metadata('signed')),
		).toBe(`okdokument:${DOC}:document.completed:@2022-06-21 14:30:44`);
		expect(roundDedupeKey(parsed({ id: DOC }), 'signed', undefined)).toBeUndefined();
		expect(
			roundDedupeKey(parsed({ id: DOC }), 'canceled', {
				...metadata('canceled'),
				modification: '',
			}),
		).toBeUndefined();
	});
});
