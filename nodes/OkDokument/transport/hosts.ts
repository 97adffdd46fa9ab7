import type { IDataObject } from 'n8n-workflow';

/**
 * OKdokument API hosts (docs/vendor-apis.md › OKdokument › Hosts and authentication): every wiki
 * example uses `apidev`; the production host comes from the partner connector
 * (`api.okdokument.com`, basePath `/JSON`).
 */
export const OKDOKUMENT_HOSTS = {
	test: 'https://apidev.okdokument.com',
	production: 'https://api.okdokument.com',
} as const;

export type OkDokumentEnvironment = keyof typeof OKDOKUMENT_HOSTS | 'custom';

/** The same choice as an n8n expression, for the credential's declarative test request. */
export const OKDOKUMENT_BASE_URL_EXPRESSION = `={{$credentials.environment === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : ($credentials.environment === "production" ? "${OKDOKUMENT_HOSTS.production}" : "${OKDOKUMENT_HOSTS.test}")}}`;

export function okDokumentBaseUrl(credentials: IDataObject): string {
	const environment = (credentials.environment as OkDokumentEnvironment) ?? 'test';
	if (environment === 'custom') return String(credentials.baseUrl ?? '').replace(/\/+$/, '');
	return OKDOKUMENT_HOSTS[environment] ?? OKDOKUMENT_HOSTS.test;
}
