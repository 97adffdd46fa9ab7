import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	apiRequests,
	clearLog,
	expectKeyOnlyInQuery,
	runOk,
	samplePdf,
	uploadFile,
} from '../../harness';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit']);
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

const getStatus = (fileToken: string) => ({ resource: 'file', operation: 'getStatus', fileToken });

describe('Dokobit Gateway → File → Get Upload Status', () => {
	it('reports the upload status of a file token with a GET', async () => {
		const token = await uploadFile(sandbox, pdf);
		await clearLog(sandbox);
		const [item] = await runOk(sandbox, getStatus(token));
		expect(item).toEqual({ json: { token, status: 'uploaded' }, pairedItem: { item: 0 } });
		const log = await apiRequests(sandbox);
		expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET /api/file/upload/${token}/status.json`,
		]);
		expectKeyOnlyInQuery(log);
	});

	it('reports an "error" upload state as data rather than failing', async () => {
		const token = await uploadFile(sandbox, pdf);
		await sandbox.control('dokobit', 'POST', '/__faults', {
			match: { method: 'GET', path: '/status\\.json$', times: 1 },
			action: { status: 200, body: { status: 'error' } },
		});
		const [item] = await runOk(sandbox, getStatus(token));
		expect(item.json).toEqual({ token, status: 'error' });
	});
});
