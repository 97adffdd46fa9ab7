import { OkDokumentApi } from '../../../../credentials/OkDokumentApi.credentials';
import { downloadFileName, okDokumentErrorMessage } from '../../../../nodes/OkDokument/transport';
import { okDokumentBaseUrl, okDokumentHosts } from '../../../../nodes/OkDokument/transport/hosts';

describe('okDokumentErrorMessage', () => {
	it('reads the wiki shape {message, value}', () => {
		expect(okDokumentErrorMessage({ message: 'err.not.found', value: 'y7Ki_u1mrUw' })).toBe(
			'err.not.found (y7Ki_u1mrUw)',
		);
		expect(okDokumentErrorMessage({ message: 'err.unauthorized', value: '' })).toBe(
			'err.unauthorized',
		);
	});

	it('reads the connector shape {code, message, result, statusCode, success}', () => {
		expect(
			okDokumentErrorMessage({
				code: 'NOT_FOUND',
				message: 'err.not.found',
				result: 'doc-1',
				statusCode: 404,
				success: false,
			}),
		).toBe('err.not.found (doc-1)');
	});

	it('reads a JSON string or buffer, as a failed stream download delivers it', () => {
		const body = JSON.stringify({ message: 'err.not.found', value: 'x' });
		expect(okDokumentErrorMessage(body)).toBe('err.not.found (x)');
		expect(okDokumentErrorMessage(Buffer.from(body))).toBe('err.not.found (x)');
	});

	it('writes a structured value as JSON', () => {
		expect(okDokumentErrorMessage({ message: 'err.invalid', value: { field: 'rules' } })).toBe(
			'err.invalid ({"field":"rules"})',
		);
	});

	it.each([
		['undefined', undefined],
		['an empty object', {}],
		['a list', ['x']],
		['an HTML page', '<html><body>502 Bad Gateway</body></html>'],
		['a message that is not text', { message: { nested: true } }],
	])('gives undefined for %s', (_label, body) => {
		expect(okDokumentErrorMessage(body)).toBeUndefined();
	});
});

describe('downloadFileName', () => {
	it('prefers the caller’s name, then Content-Disposition, then the stored name', () => {
		const opts = { disposition: 'attachment; filename="server.pdf"', storedName: 'stored.pdf' };
		expect(downloadFileName('d1', 'application/pdf', { ...opts, fileName: ' mine.pdf ' })).toBe(
			'mine.pdf',
		);
		expect(downloadFileName('d1', 'application/pdf', opts)).toBe('server.pdf');
		expect(downloadFileName('d1', 'application/pdf', { storedName: 'stored.pdf' })).toBe(
			'stored.pdf',
		);
	});

	it('gives a converted Office file its PDF extension', () => {
		expect(downloadFileName('d1', 'application/pdf', { storedName: 'Zmluva 2026.docx' })).toBe(
			'Zmluva 2026.pdf',
		);
		expect(downloadFileName('d1', '', { storedName: 'sheet.xlsx' })).toBe('sheet.pdf');
	});

	it('keeps the stored name of a non-PDF answer and strips any path', () => {
		expect(downloadFileName('d1', 'application/zip', { storedName: 'dir/archive.zip' })).toBe(
			'archive.zip',
		);
	});

	it('falls back to the document ID', () => {
		expect(downloadFileName('y7Ki_u1', 'application/pdf', {})).toBe('y7Ki_u1.pdf');
	});
});

describe('hosts and credential', () => {
	it('derives the base URL from the environment', () => {
		expect(okDokumentBaseUrl({ environment: 'test' })).toBe('https://apidev.okdokument.com');
		expect(okDokumentBaseUrl({ environment: 'production' })).toBe('https://api.okdokument.com');
		expect(okDokumentBaseUrl({ environment: 'custom', baseUrl: 'http://127.0.0.1:4102//' })).toBe(
			'http://127.0.0.1:4102',
		);
		expect(okDokumentBaseUrl({})).toBe(okDokumentHosts.hosts.test.url);
	});

	it('authenticates with x-api-key and tests on the counters, naming 401 and 403', async () => {
		const credential = new OkDokumentApi();
		expect(credential.name).toBe('okDokumentApi');
		// The key goes in the header, and nowhere else; the request's own headers stay.
		expect(
			await credential.authenticate(
				{ apiKey: 'key-123', environment: 'test' },
				{ url: '/JSON/counter', headers: { accept: 'application/json' } },
			),
		).toEqual({
			url: '/JSON/counter',
			headers: { accept: 'application/json', 'x-api-key': 'key-123' },
		});
		expect(credential.test.request.url).toBe('/JSON/counter');
		expect(credential.test.request.baseURL).toContain(okDokumentHosts.hosts.production.url);
		expect(credential.test.request.baseURL).toContain(okDokumentHosts.hosts.test.url);
		expect(
			credential.test.rules?.map((rule) => (rule.properties as { value: number }).value),
		).toEqual([401, 403]);
		const apiKey = credential.properties.find((p) => p.name === 'apiKey');
		expect(apiKey?.typeOptions?.password).toBe(true);
	});
});
