import { hostTable } from '../../shared/hosts';

/**
 * Documentolog API hosts (docs/vendor-apis.md › Documentolog › Hosts and authentication). The Open
 * API guide ("Documentolog Open API Usage Guide") uses apibusiness.documentolog.com; the Business
 * guide (the Documentolog Business edition) uses apiv1dlkz.doculite.kz. Which one is production and
 * which is test, and whether a sandbox exists, is not documented: both are offered as they are,
 * plus a custom base URL.
 */
export const documentologHosts = hostTable({
	field: 'host',
	displayName: 'Host',
	default: 'business',
	hosts: {
		business: { name: 'Documentolog Business', url: 'https://apibusiness.documentolog.com' },
		doculite: { name: 'Doculite', url: 'https://apiv1dlkz.doculite.kz' },
	},
	placeholder: 'e.g. http://127.0.0.1:4103',
});

export const documentologBaseUrl = documentologHosts.baseUrl;
