/**
 * Formats from the SDK's validator constraints (`gateway-sdk-php` `Validator/Constraints`),
 * loosened where the SDK rejects real codes:
 * - The SDK writes the Finnish century sign as `[\+-A]`, a PCRE range that admits digits and
 *   punctuation; the intent is "+", "-" or "A". Since 2023 Finland also issues B–F and U–Y.
 * - A Finnish code ends in a check character that is a digit or a letter (`010190-123A`); the SDK
 *   only allows digits (docs/vendor-apis.md › Dokobit Documents Gateway ›
 *   `POST /api/signing/create.json`).
 */
export const PERSONAL_CODE =
	/^((11412090004)|([3456][0-9]{2}(0[1-9]|1[0-2])\d{6})|([0-9]{2}(0[1-9]|1[0-2])[0-9]{2}[+\-A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y]))$/;

/** LT mobile, EE, FI (SDK). Other countries' numbers are rejected by the Gateway's own validator. */
export const PHONE = /^\+((3706\d{7})|(372\d{7,8})|(358(4[0-9]|467|50)\d{4,8}))$/;

/** 64 hex = SHA-256 (recommended), 40 hex = SHA-1 (accepted by the Gateway). */
export const DIGEST = /^([0-9a-f]{64}|[0-9a-f]{40})$/i;

/** Tokens are opaque; we only refuse what could break out of a URL path segment. */
export const TOKEN = /^[A-Za-z0-9._~-]{1,200}$/;
