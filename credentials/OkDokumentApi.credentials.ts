import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { okDokumentHosts } from '../nodes/OkDokument/transport/hosts';

export class OkDokumentApi implements ICredentialType {
	name = 'okDokumentApi';

	displayName = 'OKdokument API';

	documentationUrl = 'https://github.com/n8n-nodes-esign/n8n-nodes-esign#okdokument-credentials';

	icon = {
		light: 'file:../nodes/OkDokument/okdokument.svg',
		dark: 'file:../nodes/OkDokument/okdokument.dark.svg',
	} as const;

	properties: INodeProperties[] = [
		...okDokumentHosts.properties(),
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The key of your OKdokument API application (app.okdokument.com). The API must be activated for the account.',
		},
	];

	// Every /JSON service takes the key in the `x-api-key` header.
	// A function rather than n8n's generic block: n8n evaluates a generic block's
	// `{{$credentials…}}` expression for every request, which cost about half a millisecond of CPU
	// each in a real n8n and doubled a 1,000-item run's time (BENCHMARKS.md, Auto rows). Same effect.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const headers = { ...requestOptions.headers, 'x-api-key': String(credentials.apiKey ?? '') };
		return { ...requestOptions, headers };
	}

	// The usage counters are read-only and need only a valid key.
	test: ICredentialTestRequest = {
		request: { baseURL: okDokumentHosts.expression, url: '/JSON/counter' },
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: 'Invalid OKdokument API key for this environment' },
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'This OKdokument API key lacks permissions, or the API is not activated',
				},
			},
		],
	};
}
