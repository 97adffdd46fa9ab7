/**
 * Kazakhstan identifiers and phone numbers (docs/vendor-apis.md › Documentolog › IIN, BIN and
 * phone).
 *
 * IIN (individuals) and BIN (legal entities) are 12 digits whose last digit is a check digit,
 * computed in two passes with weights 1…11, then 3…11,1,2 (Government Decree No. 406 of 22 May
 * 2007, as implemented by valery1707/kaz-person-id and nmibragimov7/aqsha-ber, which agree; the
 * decree itself was not checked). Validation checks the format and the check digit only. The
 * date/century (IIN) and type/attribute (BIN) structure is decoded by `describeKzId` but never
 * enforced by default: the vendor's own placeholder `000000000000` has month 00 and would fail it
 * (inferred).
 */

const WEIGHTS_1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const WEIGHTS_2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
const TWELVE_DIGITS = /^\d{12}$/;

/** The check digit of the first 11 digits, or undefined when both passes give 10 (never issued). */
export function kzCheckDigit(first11: string): number | undefined {
	if (!/^\d{11}$/.test(first11)) return undefined;
	const digits = [...first11].map(Number);
	const sum = (weights: number[]) => weights.reduce((total, w, i) => total + w * digits[i], 0);
	let check = sum(WEIGHTS_1) % 11;
	if (check === 10) check = sum(WEIGHTS_2) % 11;
	return check === 10 ? undefined : check;
}

/** True for 12 ASCII digits whose last digit is the two-pass check digit. IIN and BIN alike. */
export function isValidKzId(value: string): boolean {
	if (!TWELVE_DIGITS.test(value)) return false;
	return kzCheckDigit(value.slice(0, 11)) === Number(value[11]);
}

/** Why a value is not a valid IIN/BIN, in words a user can act on; undefined when it is valid. */
export function kzIdProblem(value: string): string | undefined {
	if (!/^\d+$/.test(value)) return 'must contain digits only';
	if (value.length !== 12) return `must be exactly 12 digits, got ${value.length}`;
	const expected = kzCheckDigit(value.slice(0, 11));
	if (expected === undefined) return 'has no valid check digit (such numbers are never issued)';
	if (expected !== Number(value[11])) {
		return `has a wrong check digit (the last digit should be ${expected})`;
	}
	return undefined;
}

export type KzIdStructure =
	| {
			kind: 'iin';
			/** ISO date of birth (century from digit 7). */
			birthDate: string;
			sex: 'male' | 'female';
	  }
	| {
			kind: 'bin';
			/** Year and month of registration, `YYMM` as written (the century is not encoded). */
			registered: string;
			type: 'resident legal entity' | 'non-resident legal entity' | 'joint individual entrepreneur';
			attribute: 'head office' | 'branch' | 'representative office' | 'peasant or farm enterprise';
	  }
	| { kind: 'unknown' };

const CENTURY: Record<string, { century: number; sex: 'male' | 'female' }> = {
	'1': { century: 1800, sex: 'male' },
	'2': { century: 1800, sex: 'female' },
	'3': { century: 1900, sex: 'male' },
	'4': { century: 1900, sex: 'female' },
	'5': { century: 2000, sex: 'male' },
	'6': { century: 2000, sex: 'female' },
};
const BIN_TYPES: Record<string, Extract<KzIdStructure, { kind: 'bin' }>['type']> = {
	'4': 'resident legal entity',
	'5': 'non-resident legal entity',
	'6': 'joint individual entrepreneur',
};
const BIN_ATTRIBUTES: Record<string, Extract<KzIdStructure, { kind: 'bin' }>['attribute']> = {
	'0': 'head office',
	'1': 'branch',
	'2': 'representative office',
	'3': 'peasant or farm enterprise',
};

/**
 * Decodes the structure of a 12-digit identifier (as valery1707/kaz-person-id reads it):
 * - IIN: `YYMMDD` + digit 7 for century and sex (1/2 = 1800s m/f, 3/4 = 1900s, 5/6 = 2000s) +
 *   4-digit serial + check digit. The date must exist in the calendar.
 * - BIN: `YYMM` of registration + digit 5 for the type (4 resident, 5 non-resident legal entity, 6
 *   joint individual entrepreneur) + digit 6 for the attribute (0 head office, 1 branch, 2
 *   representative office, 3 peasant or farm enterprise) + 5-digit serial + check digit.
 * The check digit is not looked at here.
 */
export function describeKzId(value: string): KzIdStructure {
	if (!TWELVE_DIGITS.test(value)) return { kind: 'unknown' };
	const yy = Number(value.slice(0, 2));
	const mm = Number(value.slice(2, 4));
	const century = CENTURY[value[6]];
	if (century) {
		const dd = Number(value.slice(4, 6));
		const year = century.century + yy;
		const date = new Date(Date.UTC(year, mm - 1, dd));
		if (
			mm >= 1 &&
			mm <= 12 &&
			date.getUTCFullYear() === year &&
			date.getUTCMonth() === mm - 1 &&
			date.getUTCDate() === dd
		) {
			return { kind: 'iin', birthDate: date.toISOString().slice(0, 10), sex: century.sex };
		}
	}
	const type = BIN_TYPES[value[4]];
	const attribute = BIN_ATTRIBUTES[value[5]];
	if (mm >= 1 && mm <= 12 && type && attribute) {
		return { kind: 'bin', registered: value.slice(0, 4), type, attribute };
	}
	return { kind: 'unknown' };
}

/** The vendor's phone format `+X (XXX) XXX-XX-XX` (inferred from its placeholder). */
export const VENDOR_PHONE = /^\+\d \(\d{3}\) \d{3}-\d{2}-\d{2}$/;

/**
 * A phone number in the vendor's format, or undefined. Accepts that format itself and the same 11
 * digits written as E.164 (`+77011234567`) or with spaces, dashes and brackets. Without a `+`, a
 * leading `8` (the domestic trunk prefix in Kazakhstan) or `7` becomes `+7` (inferred). Whether
 * Documentolog also accepts E.164 is undocumented, so the node always sends the documented format.
 */
export function toVendorPhone(value: string): string | undefined {
	const text = value.trim();
	if (VENDOR_PHONE.test(text)) return text;
	if (!/^[+\d\s()-]+$/.test(text)) return undefined;
	const hasPlus = text.startsWith('+');
	if (text.lastIndexOf('+') > 0) return undefined;
	let digits = text.replace(/\D/g, '');
	if (digits.length !== 11) return undefined;
	if (!hasPlus) {
		if (digits[0] !== '7' && digits[0] !== '8') return undefined;
		digits = `7${digits.slice(1)}`;
	}
	return `+${digits[0]} (${digits.slice(1, 4)}) ${digits.slice(4, 7)}-${digits.slice(7, 9)}-${digits.slice(9, 11)}`;
}
