/** Response and request shapes of the Documents Gateway (SDK `gateway-sdk-php`, vendor guide). */
import { isObject } from '../../shared/validation';

export const SIGNING_TYPES = [
	'pdf',
	'pdflt',
	'asice',
	'adoc',
	'adoc.bedoc',
	'adoc.cedoc',
	'adoc.gedoc',
	'adoc.ggedoc',
	'mdoc',
	'mdoc.bedoc',
	'mdoc.cedoc',
	'mdoc.gedoc',
	'mdoc.ggedoc',
	'bdoc',
	'edoc',
] as const;
export type SigningType = (typeof SIGNING_TYPES)[number];

/** What each Signing Type makes, for the panel (the values stay the Gateway's codes). */
export const SIGNING_TYPE_NAMES: Record<SigningType, string> = {
	pdf: 'PDF (PAdES)',
	pdflt: 'PDF With Long-Term Validation (PAdES LT)',
	asice: 'ASiC-E Container',
	adoc: 'ADOC Container (Lithuania)',
	'adoc.bedoc': 'ADOC Container, BEDOC Profile',
	'adoc.cedoc': 'ADOC Container, CEDOC Profile',
	'adoc.gedoc': 'ADOC Container, GEDOC Profile',
	'adoc.ggedoc': 'ADOC Container, GGEDOC Profile',
	mdoc: 'MDOC Container',
	'mdoc.bedoc': 'MDOC Container, BEDOC Profile',
	'mdoc.cedoc': 'MDOC Container, CEDOC Profile',
	'mdoc.gedoc': 'MDOC Container, GEDOC Profile',
	'mdoc.ggedoc': 'MDOC Container, GGEDOC Profile',
	bdoc: 'BDOC Container (Estonia)',
	edoc: 'EDOC Container (Latvia)',
};

/** In the panel's alphabetical order, as n8n's node guidelines ask for lists. */
export const signingTypeOptions = SIGNING_TYPES.map((value) => ({
	name: SIGNING_TYPE_NAMES[value],
	value,
})).sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));

/** SDK `SigningPurposeProvider`. */
export const SIGNING_PURPOSES = [
	'signature',
	'confirmation',
	'visa',
	'conciliation',
	'registration',
	'registration-of-incoming-documents',
	'acknowledgement',
	'notarisation',
	'copy-certification',
] as const;

/** Official examples use the first four; `audkenni_app` comes from third-party code (inferred). */
export const SIGNING_OPTIONS = [
	'mobile',
	'smartid',
	'stationary',
	'eparaksts_mobile',
	'audkenni_app',
] as const;

/** SDK docblock for `language`. */
export const LANGUAGES = ['en', 'et', 'is', 'lt', 'lv', 'ru'] as const;

export const FILE_ROLES = ['main', 'appendix', 'attachment'] as const;

const LANGUAGE_NAMES: Record<(typeof LANGUAGES)[number], string> = {
	en: 'English',
	et: 'Estonian',
	is: 'Icelandic',
	lt: 'Lithuanian',
	lv: 'Latvian',
	ru: 'Russian',
};

/** The Gateway's languages by name, for the panel (values stay the codes). */
export const languageOptions = LANGUAGES.map((value) => ({ name: LANGUAGE_NAMES[value], value }));

/** Signing purposes in words ("Registration of incoming documents"), values unchanged. */
export const signingPurposeOptions = SIGNING_PURPOSES.map((value) => ({
	name: value[0].toUpperCase() + value.slice(1).split('-').join(' '),
	value,
}));

export const POSTBACK_ACTIONS = [
	'signer_signed',
	'signing_completed',
	'signing_archived',
	'signing_archive_failed',
] as const;
export type PostbackAction = (typeof POSTBACK_ACTIONS)[number];

export interface GatewayResult {
	status: string;
	message?: string;
}

export interface CreateResult extends GatewayResult {
	token: string;
	/** signer id → signer access token (the page's `access_token`). */
	signers?: Record<string, string>;
}

export interface SignerStatus {
	status: 'pending' | 'signed' | 'failed' | string;
	signing_time?: string;
	signature_id?: string;
	[key: string]: unknown;
}

export interface SigningStatus extends GatewayResult {
	signers?: Record<string, SignerStatus>;
	file?: string | null;
	file_digest?: string | null;
	valid_to?: string | null;
	structure?: unknown;
}

export interface Postback {
	status?: string;
	token: string;
	action: PostbackAction;
	file?: string;
	signer?: string;
	signer_info?: Record<string, unknown> | Array<Record<string, unknown>>;
	[key: string]: unknown;
}

export function isGatewayResult(value: unknown): value is GatewayResult {
	return isObject(value) && typeof value.status === 'string';
}

export function hasToken(value: unknown): value is CreateResult {
	return isGatewayResult(value) && typeof (value as { token?: unknown }).token === 'string';
}

export function isSigningStatus(value: unknown): value is SigningStatus {
	if (!isGatewayResult(value)) return false;
	const signers = (value as { signers?: unknown }).signers;
	return signers === undefined || isObject(signers);
}
