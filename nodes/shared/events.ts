/**
 * The normalized cross-vendor event every trigger (and "create and wait") emits
 * (docs/vendor-apis.md › Normalized event). `raw` keeps the vendor body untouched; the vendor state
 * re-fetched before emitting goes to `status`, never into `raw`.
 */

export const ESIGN_VENDORS = ['documentolog', 'dokobit', 'okdokument'] as const;
export type EsignVendor = (typeof ESIGN_VENDORS)[number];

export const ESIGN_EVENTS = [
	'document.sent',
	'signer.signed',
	'signer.declined',
	'document.completed',
	'document.declined',
	'document.expired',
	'document.archived',
	'document.failed',
] as const;
export type EsignEvent = (typeof ESIGN_EVENTS)[number];

const SIGNATURE_LEVELS = ['qes', 'aes', 'es'] as const;
export type SignatureLevel = (typeof SIGNATURE_LEVELS)[number];

export function isSignatureLevel(value: unknown): value is SignatureLevel {
	return typeof value === 'string' && (SIGNATURE_LEVELS as readonly string[]).includes(value);
}

export interface EsignSigner {
	/** Dokobit signer id; OKdokument signatureRequestId (the round). */
	id?: string;
	name?: string;
	/** IIN (KZ) or personal code (LT/EE/…). */
	identifier?: string;
	/** eds | egov-qr | sms | adobe-sign | mobile | smartid | … */
	method?: string;
	level?: SignatureLevel;
}

export type EsignFileKind = 'original' | 'signed' | 'signed-ez' | 'archive-zip' | 'view';

export interface EsignFile {
	name?: string;
	/** Never carries a credential: the node adds it when it downloads. */
	url: string;
	kind: EsignFileKind;
}

/** What a trigger puts in `raw`: the vendor body untouched, plus headers and query for audit. */
export interface EsignRawDelivery {
	body: unknown;
	headers: Record<string, unknown>;
	query: Record<string, unknown>;
}

export interface EsignEventOutput {
	vendor: EsignVendor;
	event: EsignEvent;
	/** Documentolog doc_id | Dokobit signing token | OKdokument documentId. */
	documentId: string;
	signer?: EsignSigner;
	files?: EsignFile[];
	/** ISO-8601: the vendor's time when it gives one, else the time of receipt. */
	occurredAt: string;
	/** Vendor state re-fetched before emitting (Dokobit signing status, OKdokument metadata). */
	status?: unknown;
	/** True when the event was confirmed against the vendor's API before it was emitted. */
	verified?: boolean;
	/** True when we synthesise the event (no vendor event exists). */
	derived?: boolean;
	dedupeKey: string;
	raw: unknown;
}

/** `${vendor}:${documentId}:${event}:${signer.id ?? signer.identifier ?? ''}`. */
export function dedupeKey(
	vendor: EsignVendor,
	documentId: string,
	event: EsignEvent,
	signer?: Pick<EsignSigner, 'id' | 'identifier'>,
): string {
	return `${vendor}:${documentId}:${event}:${signer?.id ?? signer?.identifier ?? ''}`;
}

const NAIVE_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/;

/**
 * A vendor timestamp as ISO-8601, or undefined when it cannot be read. Vendors that send
 * "YYYY-MM-DD HH:MM:SS" without a zone are read as UTC (inferred: no vendor documents the zone;
 * our emulators write UTC). The untouched value stays in `status`/`raw`.
 */
export function vendorTimeToIso(value: unknown): string | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim();
	const naive = NAIVE_DATE_TIME.exec(text);
	const parsed = Date.parse(naive ? `${naive[1]}T${naive[2]}Z` : text);
	return Number.isFinite(parsed) ? new Date(parsed).toISOString() : undefined;
}
