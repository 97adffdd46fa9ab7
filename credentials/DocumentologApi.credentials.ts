import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { documentologHosts } from '../nodes/Documentolog/transport/hosts';

export class DocumentologApi implements ICredentialType {
	name = 'documentologApi';

	displayName = 'Documentolog API';

	documentationUrl = 'https://github.com/n8n-nodes-esign/n8n-nodes-esign#documentolog-credentials';

	icon = {
		light: 'file:../nodes/Documentolog/documentolog.svg',
		dark: 'file:../nodes/Documentolog/documentolog.dark.svg',
	} as const;

	properties: INodeProperties[] = [
		{
			displayName:
				'Documentolog has no read-only API call (its only call creates a document), so Test checks the key’s format locally and does not contact Documentolog. The key is first used by Create Signing Session.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		// Which host is production and which is test is not documented; both are offered as is.
		...documentologHosts.properties(),
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'From My Organization → Settings → Integrations (API Documentolog). Needs a Start+ or Business plan.',
		},
		{
			displayName: 'Webhook Signing Key',
			name: 'webhookSigningSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. The Documentolog Trigger’s URL secret is derived from this key, or from the API key when empty. Trigger URLs issued before a key change keep working either way; with this key set, changing the API key does not change new trigger URLs either.',
		},
	];

	// The vendor's documented auth: an `api-key` header on every call (docs/vendor-apis.md ›
	// Documentolog › Hosts and authentication). A function rather than n8n's generic block: n8n
	// evaluates a generic block's `{{$credentials…}}` expression for every request, which cost about
	// half a millisecond of CPU each in a real n8n and doubled a 1,000-item run's time
	// (BENCHMARKS.md, Auto rows). Same effect.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const headers = { ...requestOptions.headers, 'api-key': String(credentials.apiKey ?? '') };
		return { ...requestOptions, headers };
	}
}
