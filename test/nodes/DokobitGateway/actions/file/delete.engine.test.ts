import { errorOf } from '../../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	apiRequests,
	clearLog,
	expectKeyOnlyInQuery,
	runDokobit,
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

describe('Dokobit Gateway → File → Delete', () => {
	it('deletes the file with a POST carrying the token in path and body', async () => {
		const token = await uploadFile(sandbox, pdf);
		await clearLog(sandbox);
		const [item] = await runOk(sandbox, {
			resource: 'file',
			operation: 'delete',
			fileToken: token,
		});
		expect(item).toEqual({
			json: { token, deleted: true, status: 'ok' },
			pairedItem: { item: 0 },
		});
		const log = await apiRequests(sandbox);
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({
			method: 'POST',
			path: `/api/file/${token}/delete.json`,
			body: { token },
		});
		expectKeyOnlyInQuery(log);

		// The file is gone: its status now 404s.
		const after = await runDokobit(sandbox, {
			resource: 'file',
			operation: 'getStatus',
			fileToken: token,
		});
		expect(errorOf(after)?.message).toBe(
			`Item 0: Dokobit Gateway could not find File Token "${token}" (HTTP 404)`,
		);
	});
});
