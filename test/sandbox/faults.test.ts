// The sandbox frame's controls the fault suite (test/e2e/faults.e2e.test.ts) relies on, checked
// over HTTP: key rotation at the vendor, and an answer lost after the vendor did the work.
import { startSandbox, type Sandbox } from '../helpers/sandbox';

const KEY = 'example-okdokument-key';
let sandbox: Sandbox;
const base = () => sandbox.url('okdokument');

beforeAll(async () => {
	sandbox = await startSandbox(['okdokument']);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await sandbox.control('okdokument', 'POST', '/__reset'));

const counter = async (key: string) =>
	(await fetch(`${base()}/JSON/counter`, { headers: { 'x-api-key': key } })).status;

async function createRequest() {
	return await fetch(`${base()}/JSON/signatureRequest`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-api-key': KEY },
		body: JSON.stringify({
			filedata: {
				filename: 'contract.pdf',
				content: Buffer.from('%PDF-1.4\n%contract\n%%EOF\n').toString('base64'),
			},
		}),
	});
}

describe('POST /__keys', () => {
	it('adds and revokes API keys from then on; /__reset restores the keys it started with', async () => {
		const rotated = 'example-okdokument-rotated-key';
		expect(await counter(rotated)).toBe(401);
		await sandbox.control('okdokument', 'POST', '/__keys', { add: [rotated], revoke: [KEY] });
		expect(await counter(rotated)).toBe(200);
		expect(await counter(KEY)).toBe(401);
		await sandbox.control('okdokument', 'POST', '/__reset');
		expect(await counter(KEY)).toBe(200);
		expect(await counter(rotated)).toBe(401);
	});
});

describe('fault drop: "after-processing"', () => {
	it('does the work, then breaks the connection before any of the answer', async () => {
		await sandbox.control('okdokument', 'POST', '/__faults', {
			match: { method: 'POST', path: '^/JSON/signatureRequest$', times: 1 },
			action: { drop: 'after-processing' },
		});
		await expect(createRequest()).rejects.toThrow('fetch failed');
		const documents = await sandbox.control<unknown[]>('okdokument', 'GET', '/__documents');
		expect(documents).toHaveLength(1);
		// Once only (`times: 1`): the next create is answered.
		expect((await createRequest()).status).toBe(200);
	});
});
