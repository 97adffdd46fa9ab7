/** Request, response and webhook shapes of the Documentolog API (vendor-apis §1.3–§1.6). */
import { isObject } from '../../shared/validation';

/** Attachment extensions the vendor lists (§1.8) [C]; that it enforces them is [I]. */
export const ATTACHMENT_EXTENSIONS = [
	'docx',
	'doc',
	'xlsx',
	'xls',
	'pptx',
	'ppt',
	'pdf',
	'rar',
	'zip',
	'rtf',
	'tiff',
	'jpeg',
	'jpg',
	'png',
	'gdoc',
] as const;

/** Signature method codes of `mAvailableSignatureMethods…` (§1.3) [C]. */
export const SIGNATURE_METHODS = ['eds', 'egov-qr', 'adobe-sign', 'sms'] as const;
export type SignatureMethod = (typeof SIGNATURE_METHODS)[number];

/** Webhook events (§1.6) [C, guide B]. */
export const WEBHOOK_EVENTS = [
	'document_sent',
	'signer_signed',
	'signer_declined',
	'document_completed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** The D1 body exactly as the vendor names its fields. */
export interface TokenRequest {
	aAttachments: string[];
	sSetWebhookUrl?: string;
	iSendToRecipient: 0 | 1;
	mRecipient: string[];
	mPhonesForSms?: SmsRecipient[];
	iRecipientSignatureRequired: 0 | 1;
	mAvailableSignatureMethodsForRecipient: SignatureMethod[];
	mAvailableSignatureMethods: SignatureMethod[];
	sSender: string;
	[key: string]: unknown;
}

export interface SmsRecipient {
	enableBMG: boolean;
	phone: string;
	fio: string;
	iin: string;
	type: 'sms';
	[key: string]: unknown;
}

/** D1 success: `{status: 1, data: {access_token, scope, token_type}}` [C]. No doc_id. */
export interface TokenResponse {
	status: 1;
	data: { access_token: string; scope?: string; token_type?: string };
}

/** One file of a completion event: `{name, link}` [C]. */
export interface CompletionFile {
	name: string;
	link: string;
}

/** The completion payload, flat (guide B) or inside `content` (guide A) [C]. */
export interface CompletionPayload {
	document?: string;
	download_all_files?: string;
	download_files?: CompletionFile[];
	download_files_with_eds?: CompletionFile[];
	download_files_with_eds_ez?: CompletionFile[];
}

export function isTokenResponse(value: unknown): value is TokenResponse {
	return (
		isObject(value) &&
		Number(value.status) === 1 &&
		isObject(value.data) &&
		typeof value.data.access_token === 'string' &&
		value.data.access_token !== ''
	);
}
