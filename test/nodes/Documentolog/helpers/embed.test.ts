/* eslint-disable @n8n/community-nodes/no-restricted-imports */
import vm from 'vm';
import {
	embedUrl,
	iframeHtml,
	listenerScript,
	originOf,
	tokenExpiry,
} from '../../../../nodes/Documentolog/helpers/embed';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('Documentolog embedded page helpers', () => {
	it('builds the embedded signing URL and an iframe with the vendor’s 400×600 default', () => {
		const url = embedUrl('https://apibusiness.documentolog.com', 'a.b+c');
		expect(url).toBe('https://apibusiness.documentolog.com/external/sign/embedded?sParams=a.b%2Bc');
		expect(iframeHtml(`${url}&x="<y>`)).toBe(
			`<iframe src="${url}&amp;x=&quot;&lt;y&gt;" width="400" height="600" style="border:0" title="Documentolog signing" allow="clipboard-write"></iframe>`,
		);
		expect(originOf('http://127.0.0.1:4103/base')).toBe('http://127.0.0.1:4103');
	});

	it('reads the JWT exp claim, and nothing from what is not a JWT', () => {
		const token = `${b64({ typ: 'JWT', alg: 'HS256' })}.${b64({ exp: 1_900_000_000 })}.sig`;
		expect(tokenExpiry(token)).toBe('2030-03-17T17:46:40.000Z');
		expect(tokenExpiry(`${b64({})}.${b64({ exp: 'soon' })}.sig`)).toBeUndefined();
		expect(tokenExpiry('opaque-token')).toBeUndefined();
		expect(tokenExpiry('a.%%%.c')).toBeUndefined();
	});

	it('re-dispatches only documented messages from the vendor’s origin', () => {
		const origin = 'https://apibusiness.documentolog.com';
		const handlers: Array<(event: { origin: string; data: unknown }) => void> = [];
		const dispatched: unknown[] = [];
		const window = {
			addEventListener: (type: string, handler: (typeof handlers)[number]) => {
				if (type === 'message') handlers.push(handler);
			},
			dispatchEvent: (event: CustomEvent) => dispatched.push([event.type, event.detail]),
		};
		const script = listenerScript(origin).replace(/^<script>\n|\n<\/script>$/g, '');
		vm.runInNewContext(script, { window, CustomEvent });
		expect(handlers).toHaveLength(1);
		const send = (eventOrigin: string, data: unknown) => handlers[0]({ origin: eventOrigin, data });
		const sign = { isDocumentolog: true, type: 'sign', success: true, signType: 'eds' };
		send(origin, sign);
		send('https://evil.example.com', sign);
		send(origin, { ...sign, isDocumentolog: 'true' });
		send(origin, { isDocumentolog: true, type: 'resize' });
		send(origin, 'sign');
		send(origin, null);
		send(origin, { isDocumentolog: true, type: 'user-close', success: false });
		send(origin, { isDocumentolog: true, type: 'already-signed', success: true });
		expect(dispatched).toEqual([
			['documentolog', sign],
			['documentolog', { isDocumentolog: true, type: 'user-close', success: false }],
			['documentolog', { isDocumentolog: true, type: 'already-signed', success: true }],
		]);
	});

	it('cannot be broken out of by the origin text', () => {
		expect(listenerScript('https://x.example.com</script><script>alert(1)')).not.toContain(
			'</script><script>',
		);
	});
});
