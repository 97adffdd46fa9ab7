import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { dokobitHosts } from '../nodes/DokobitGateway/transport/hosts';

/** Every status passes but these. n8n-workflow 1.x types the option as a boolean (see below). */
const IGNORE_ALL_BUT_FAILURES = {
	ignore: true,
	except: [401, 403, 429, 500, 502, 503, 504],
} as unknown as boolean;
const INVALID_TOKEN = 'Invalid Dokobit access token for this environment';
/** The Gateway's 403 body: `{"status":"error","message":"Access forbidden. Invalid API key."}`. */
const FORBIDDEN_BODY_MESSAGE = 'Access forbidden. Invalid API key.';

export class DokobitGatewayApi implements ICredentialType {
	name = 'dokobitGatewayApi';

	displayName = 'Dokobit Documents Gateway API';

	documentationUrl = 'https://github.com/n8n-nodes-esign/n8n-nodes-esign#dokobit-credentials';

	icon = {
		light: 'file:../nodes/DokobitGateway/dokobit.svg',
		dark: 'file:../nodes/DokobitGateway/dokobit.dark.svg',
	} as const;

	properties: INodeProperties[] = [
		...dokobitHosts.properties(),
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
	// A function rather than n8n's generic block: n8n evaluates a generic block's
	// `{{$credentials…}}` expression for every request, which cost about half a millisecond of CPU
	// each in a real n8n and doubled a 1,000-item run's time (BENCHMARKS.md, Auto rows). Same effect.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const qs = { ...requestOptions.qs, access_token: String(credentials.accessToken ?? '') };
		return { ...requestOptions, qs };
	}

	// The Gateway has no read-only "who am I" call. Asking for the status of a signing that cannot
	// exist answers 404 for a good token and 403 for a bad one, and creates nothing. n8n-core from
	// about 2.9 honours `except`: a 403 fails and the responseCode rule names it. Older n8n-core
	// reads any truthy `ignoreHttpStatusErrors` as "accept every status" and hands the body to the
	// rules, so the responseSuccessBody rule catches the 403's body there. That body is inferred
	// (docs/vendor-apis.md › Dokobit Documents Gateway › Errors): if Dokobit words it differently,
	// only old n8n is affected.
	test: ICredentialTestRequest = {
		request: {
			baseURL: dokobitHosts.expression,
			url: '/api/signing/n8n-credential-check/status.json',
			ignoreHttpStatusErrors: IGNORE_ALL_BUT_FAILURES,
		},
		// n8n's tester reads both kinds from one list (responseCode on a failed request,
		// responseSuccessBody on an answered one); only its type says one kind per list.
		rules: [
			{ type: 'responseCode', properties: { value: 403, message: INVALID_TOKEN } },
			{
				type: 'responseSuccessBody',
				properties: { key: 'message', value: FORBIDDEN_BODY_MESSAGE, message: INVALID_TOKEN },
			},
		] as Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> as never,
	};
}
