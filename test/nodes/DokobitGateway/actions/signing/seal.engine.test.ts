import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	JONAS,
	apiRequests,
	clearLog,
	createSigning,
	expectKeyOnlyInQuery,
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

describe('Dokobit Gateway → Signing → Seal', () => {
	it('applies the e-seal with purpose and a visible placement', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS]);
		await clearLog(sandbox);
		const [item] = await runOk(sandbox, {
			resource: 'signing',
			operation: 'seal',
			signingToken: signing.token,
			sealName: ' Company seal ',
			options: {
				signingPurpose: 'registration',
				annotation: {
					placement: { page: 2, top: 10, left: 20, width: 150, height: 40, text: 'Sealed' },
				},
			},
		});
		expect(item).toEqual({
			json: { signingToken: signing.token, status: 'ok', token: signing.token },
			pairedItem: { item: 0 },
		});
		const log = await apiRequests(sandbox);
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({
			method: 'POST',
			path: `/api/signing/${signing.token}/seal.json`,
		});
		expect(log[0].body).toEqual({
			name: 'Company seal',
			signing_purpose: 'registration',
			pdf: { annotation: { page: 2, top: 10, left: 20, width: 150, height: 40, text: 'Sealed' } },
		});
		expectKeyOnlyInQuery(log);
		const held = await sandbox.control<{ sealed: unknown }>(
			'dokobit',
			'GET',
			`/__signings/${signing.token}`,
		);
		expect(held.sealed).toEqual({
			name: 'Company seal',
			annotation: { page: 2, top: 10, left: 20, width: 150, height: 40, text: 'Sealed' },
		});
	});

	it('sends only the name when no options are set', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS]);
		await clearLog(sandbox);
		await runOk(sandbox, {
			resource: 'signing',
			operation: 'seal',
			signingToken: signing.token,
			sealName: 'Company seal',
		});
		expect((await apiRequests(sandbox))[0].body).toEqual({ name: 'Company seal' });
	});
});
