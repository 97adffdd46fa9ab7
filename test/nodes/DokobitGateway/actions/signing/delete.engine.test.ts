import { errorOf, outputOf } from '../../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	JONAS,
	apiRequests,
	clearLog,
	createSigning,
	expectKeyOnlyInQuery,
	runDokobit,
	runOk,
	samplePdf,
} from '../../harness';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit']);
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());

describe('Dokobit Gateway → Signing → Delete', () => {
	it('deletes the signing; its status then fails as not found', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS]);
		await clearLog(sandbox);
		const [item] = await runOk(sandbox, {
			resource: 'signing',
			operation: 'delete',
			signingToken: signing.token,
		});
		expect(item).toEqual({
			json: { token: signing.token, deleted: true, status: 'ok' },
			pairedItem: { item: 0 },
		});
		const log = await apiRequests(sandbox);
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({
			method: 'POST',
			path: `/api/signing/${signing.token}/delete.json`,
			body: { token: signing.token },
		});
		expectKeyOnlyInQuery(log);

		const after = await runDokobit(sandbox, {
			resource: 'signing',
			operation: 'getStatus',
			signingToken: signing.token,
		});
		const error = errorOf(after);
		expect(error?.message).toBe(
			`Item 0: Dokobit Gateway could not find Signing Token "${signing.token}" (HTTP 404)`,
		);
		expect(error?.description).toBe('Signing not found');
		expect(outputOf(after)).toEqual([]);
	});
});
