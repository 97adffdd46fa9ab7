import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

/**
 * The credential test, by name, for `testedBy` in both nodes. Documentolog has no read-only
 * endpoint: the only call, `POST /json/external/oauth/token`, creates a document
 * (docs/vendor-apis.md › Documentolog › Hosts and authentication). So this test makes no HTTP call
 * at all; it checks what can be checked locally and says plainly that the key was not verified. The
 * key format is undocumented; "at least 16 visible characters, no spaces" is inferred.
 */
export async function documentologApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const key = String(data.apiKey ?? '').trim();
	if (key === '') return { status: 'Error', message: 'Enter the API key' };
	if (/\s/.test(key) || key.length < 16) {
		return {
			status: 'Error',
			message: 'The API key looks incomplete: it should be at least 16 characters without spaces',
		};
	}
	if (data.host === 'custom') {
		const base = String(data.baseUrl ?? '').trim();
		let valid = false;
		try {
			valid = ['http:', 'https:'].includes(new URL(base).protocol);
		} catch {
			valid = false;
		}
		if (!valid) return { status: 'Error', message: 'The custom base URL must be an http(s) URL' };
	}
	return {
		status: 'OK',
		message:
			'Saved, but not checked online: Documentolog has no read-only endpoint (its only call creates a document). The key is checked on the first Create Signing Session.',
	};
}
