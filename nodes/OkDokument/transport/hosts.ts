import { hostTable } from '../../shared/hosts';

/**
 * OKdokument API hosts (docs/vendor-apis.md › OKdokument › Hosts and authentication): every wiki
 * example uses `apidev`; the production host comes from the partner connector
 * (`api.okdokument.com`, basePath `/JSON`).
 */
export const okDokumentHosts = hostTable({
	field: 'environment',
	displayName: 'Environment',
	default: 'test',
	hosts: {
		test: { name: 'Test', url: 'https://apidev.okdokument.com' },
		production: { name: 'Production', url: 'https://api.okdokument.com' },
	},
	placeholder: 'e.g. http://127.0.0.1:4102',
});

export const okDokumentBaseUrl = okDokumentHosts.baseUrl;
