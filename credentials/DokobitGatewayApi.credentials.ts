import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';
import { DOKOBIT_BASE_URL_EXPRESSION } from '../nodes/DokobitGateway/transport/hosts';

export class DokobitGatewayApi implements ICredentialType {
	name = 'dokobitGatewayApi';

	displayName = 'Dokobit Documents Gateway API';

	documentationUrl = 'https://github.com/n8n-nodes-esign/n8n-nodes-esign#dokobit-credentials';

	icon = {
		light: 'file:../nodes/DokobitGateway/dokobit.svg',
		dark: 'file:../nodes/DokobitGateway/dokobit.dark.svg',
	} as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: 'sandbox',
			options: [
				{ name: 'Sandbox', value: 'sandbox', description: 'gateway-sandbox.dokobit.com' },
				{ name: 'Production', value: 'production', description: 'gateway.dokobit.com' },
				{
					name: 'Custom Base URL',
					value: 'custom',
					description: 'A proxy, or the local sandbox that ships with this package',
				},
			],
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. http://127.0.0.1:4101',
			required: true,
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The Documents Gateway API key. Sandbox and production use different tokens; request one at dokobit.com/developers.',
		},
	];

	// The Gateway takes the API key as the `access_token` query parameter on every call.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { qs: { access_token: '={{$credentials.accessToken}}' } },
	};

	// The Gateway has no read-only "who am I" call. Asking for the status of a signing that cannot
	// exist answers 404 for a good token and 403 for a bad one, and creates nothing.
	test: ICredentialTestRequest = {
		request: {
			baseURL: DOKOBIT_BASE_URL_EXPRESSION,
			url: '/api/signing/n8n-credential-check/status.json',
			ignoreHttpStatusErrors: { ignore: true, except: [401, 403, 429, 500, 502, 503, 504] },
		},
		rules: [
			{
				type: 'responseCode',
				properties: { value: 403, message: 'Invalid Dokobit access token for this environment' },
			},
		],
	};
}
