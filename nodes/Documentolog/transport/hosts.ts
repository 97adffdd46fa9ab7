import type { IDataObject } from 'n8n-workflow';

/**
 * Documentolog API hosts (docs/vendor-apis.md › Documentolog › Hosts and authentication). The Open
 * API guide ("Documentolog Open API Usage Guide") uses apibusiness.documentolog.com; the Business
 * guide (the Documentolog Business edition) uses apiv1dlkz.doculite.kz. Which one is production and
 * which is test, and whether a sandbox exists, is not documented: both are offered as they are,
 * plus a custom base URL.
 */
export const DOCUMENTOLOG_HOSTS = {
	business: 'https://apibusiness.documentolog.com',
	doculite: 'https://apiv1dlkz.doculite.kz',
} as const;

export type DocumentologHost = keyof typeof DOCUMENTOLOG_HOSTS | 'custom';

export function documentologBaseUrl(credentials: IDataObject): string {
	const host = (credentials.host as DocumentologHost) ?? 'business';
	if (host === 'custom') return String(credentials.baseUrl ?? '').replace(/\/+$/, '');
	return DOCUMENTOLOG_HOSTS[host] ?? DOCUMENTOLOG_HOSTS.business;
}
