import type { IDataObject } from 'n8n-workflow';

/** Documents Gateway hosts (official SDK `Client.php`). Sandbox and production tokens differ. */
export const DOKOBIT_HOSTS = {
	sandbox: 'https://gateway-sandbox.dokobit.com',
	production: 'https://gateway.dokobit.com',
} as const;

export type DokobitEnvironment = keyof typeof DOKOBIT_HOSTS | 'custom';

/** The same choice as an n8n expression, for the credential's declarative test request. */
export const DOKOBIT_BASE_URL_EXPRESSION = `={{$credentials.environment === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : ($credentials.environment === "production" ? "${DOKOBIT_HOSTS.production}" : "${DOKOBIT_HOSTS.sandbox}")}}`;

export function dokobitBaseUrl(credentials: IDataObject): string {
	const environment = (credentials.environment as DokobitEnvironment) ?? 'sandbox';
	if (environment === 'custom') return String(credentials.baseUrl ?? '').replace(/\/+$/, '');
	return DOKOBIT_HOSTS[environment] ?? DOKOBIT_HOSTS.sandbox;
}
