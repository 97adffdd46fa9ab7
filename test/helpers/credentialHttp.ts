// n8n's `httpRequestWithAuthentication` for tests that build a node's context by hand (webhook
// mocks, poll contexts): the credential class's own `authenticate`, applied the way n8n applies it
// (the engine's credentials helper uses the same), then a real HTTP call, axios inside as in n8n.
import axios from 'axios';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
} from 'n8n-workflow';
import { DocumentologApi } from '../../credentials/DocumentologApi.credentials';
import { DokobitGatewayApi } from '../../credentials/DokobitGatewayApi.credentials';
import { OkDokumentApi } from '../../credentials/OkDokumentApi.credentials';
import { applyCredentialAuth } from './credentialAuth';

/** Every credential of the package, by its type name. */
export const CREDENTIAL_TYPES: Record<string, ICredentialType> = {
	documentologApi: new DocumentologApi(),
	dokobitGatewayApi: new DokobitGatewayApi(),
	okDokumentApi: new OkDokumentApi(),
};

/** One request as n8n's helpers make it: axios, redirects followed unless the request says not. */
export async function n8nRequest(options: IHttpRequestOptions): Promise<unknown> {
	const response = await axios.request({
		method: options.method ?? 'GET',
		baseURL: options.baseURL,
		url: options.url,
		params: options.qs,
		data: options.body,
		headers: options.headers as Record<string, string> | undefined,
		responseType:
			options.encoding === 'stream'
				? 'stream'
				: options.encoding === 'arraybuffer'
					? 'arraybuffer'
					: 'json',
		maxRedirects: options.disableFollowRedirect ? 0 : 5,
		timeout: options.timeout,
	});
	return options.returnFullResponse
		? { body: response.data, headers: response.headers, statusCode: response.status }
		: response.data;
}

export type AuthenticatedHttp = (
	credentialType: string,
	options: IHttpRequestOptions,
) => Promise<unknown>;

/** `httpRequestWithAuthentication` over these decrypted credentials, by credential type name. */
export function credentialHttp(
	credentials: Record<string, IDataObject>,
	types: Record<string, ICredentialType> = CREDENTIAL_TYPES,
): AuthenticatedHttp {
	return async (credentialType, options) => {
		const type = types[credentialType];
		if (!type) throw new Error(`no credential type ${credentialType}`);
		const decrypted = { ...(credentials[credentialType] ?? {}) } as ICredentialDataDecryptedObject;
		return await n8nRequest(await applyCredentialAuth(type, decrypted, options));
	};
}
