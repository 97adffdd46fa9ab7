/**
 * Request, response and webhook shapes of the Documentolog API (docs/vendor-apis.md ›
 * Documentolog).
 */
import { isObject } from '../../shared/validation';

/** Attachment extensions the vendor lists; that it enforces them is inferred. */
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

/** Signature method codes of `mAvailableSignatureMethods…`, as documented. */
export const SIGNATURE_METHODS = ['eds', 'egov-qr', 'adobe-sign', 'sms'] as const;
export type SignatureMethod = (typeof SIGNATURE_METHODS)[number];

/** Webhook events, as the Business guide documents them. */
export const WEBHOOK_EVENTS = [
	'document_sent',
	'signer_signed',
	'signer_declined',
	'document_completed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** The `POST /json/external/oauth/token` body exactly as the vendor names its fields. */
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

/** Create success: `{status: 1, data: {access_token, scope, token_type}}`. No doc_id. */
export interface TokenResponse {
	status: 1;
	data: { access_token: string; scope?: string; token_type?: string };
}

/** One file of a completion event: `{name, link}`, as documented. */
export interface CompletionFile {
	name: string;
	link: string;
}

/** The completion payload, flat (Business guide) or inside `content` (Open API guide). */
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
