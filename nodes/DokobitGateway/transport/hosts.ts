import { hostTable } from '../../shared/hosts';

/** Documents Gateway hosts (official SDK `Client.php`). Sandbox and production tokens differ. */
export const dokobitHosts = hostTable({
	field: 'environment',
	displayName: 'Environment',
	default: 'sandbox',
	hosts: {
		sandbox: { name: 'Sandbox', url: 'https://gateway-sandbox.dokobit.com' },
		production: { name: 'Production', url: 'https://gateway.dokobit.com' },
	},
	placeholder: 'e.g. http://127.0.0.1:4101',
});

export const dokobitBaseUrl = dokobitHosts.baseUrl;
