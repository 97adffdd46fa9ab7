/**
 * Expires At (`expirationTime`): n8n's date values read in the workflow's time zone, and the
 * window OKdokument keeps a request open.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { type Field, invalidField, isObject } from '../../shared/validation';

/** `expirationTime`: default 24 h, "can be extended up to 10 days" (partner connector). */
export const MAX_EXPIRATION_MS = 10 * 24 * 3600_000;

/** Offset of a time zone from UTC at an instant, in ms. */
function zoneOffsetMs(epochMs: number, timeZone: string): number {
	const parts: Record<string, number> = {};
	for (const part of new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(epochMs))) {
		if (part.type !== 'literal') parts[part.type] = Number(part.value);
	}
	const wall = Date.UTC(
		parts.year,
		parts.month - 1,
		parts.day,
		parts.hour,
		parts.minute,
		parts.second,
	);
	return wall - Math.floor(epochMs / 1000) * 1000;
}

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/**
 * A date parameter as epoch ms. n8n's date picker gives wall-clock text without a zone, which is
 * read in the workflow's time zone; text with a zone, epoch ms (number or digits) and Luxon
 * DateTimes from expressions are read as they are. Undefined when it is not a date.
 */
export function toEpochMs(value: unknown, timeZone = 'UTC'): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : undefined;
	if (isObject(value) && typeof value.toMillis === 'function') {
		const ms = Number((value.toMillis as () => number)());
		return Number.isFinite(ms) ? ms : undefined;
	}
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim();
	if (/^\d{12,14}$/.test(text)) return Number(text);
	const naive = NAIVE.exec(text);
	if (naive) {
		const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = naive;
		const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, +ms.padEnd(3, '0'));
		const check = new Date(wall);
		// Date.UTC rolls 2026-13-45 over into 2027; a real date reads back the same.
		if (
			!Number.isFinite(wall) ||
			check.getUTCMonth() !== +mo - 1 ||
			check.getUTCDate() !== +d ||
			check.getUTCHours() !== +h ||
			check.getUTCMinutes() !== +mi ||
			check.getUTCSeconds() !== +s
		) {
			return undefined;
		}
		try {
			let epoch = wall - zoneOffsetMs(wall, timeZone);
			const corrected = wall - zoneOffsetMs(epoch, timeZone);
			if (corrected !== epoch) epoch = corrected;
			return epoch;
		} catch {
			return wall;
		}
	}
	const parsed = Date.parse(text);
	return Number.isFinite(parsed) ? parsed : undefined;
}

/** `expirationTime`: in the future and at most 10 days ahead; sent as epoch ms text. */
export function requireExpiration(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	now: number,
	label: Field,
): number {
	const ms = toEpochMs(value, ctx.getTimezone());
	if (ms === undefined) {
		throw invalidField(ctx, itemIndex, label, `"${String(value)}" is not a date and time`);
	}
	const iso = new Date(ms).toISOString();
	if (ms <= now) throw invalidField(ctx, itemIndex, label, `${iso} is in the past`);
	if (ms > now + MAX_EXPIRATION_MS) {
		throw invalidField(
			ctx,
			itemIndex,
			label,
			`${iso} is more than 10 days ahead; OKdokument keeps a request open for at most 10 days`,
		);
	}
	return ms;
}
