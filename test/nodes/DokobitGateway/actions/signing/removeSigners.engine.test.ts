import { errorOf } from '../../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	JONAS,
	ONA,
	apiRequests,
	clearLog,
	createSigning,
	emulatorSignings,
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

const removeSigners = (signingToken: string, signerIds: string) => ({
	resource: 'signing',
	operation: 'removeSigners',
	signingToken,
	signerIds,
});

describe('Dokobit Gateway → Signing → Remove Signers', () => {
	it('removes the listed signers by id', async () => {
		const third = { ...JONAS, id: 'third' };
		const signing = await createSigning(sandbox, pdf, [JONAS, ONA, third]);
		await clearLog(sandbox);
		const [item] = await runOk(sandbox, removeSigners(signing.token, ` ${ONA.id}, third ,`));
		expect(item).toEqual({
			json: { token: signing.token, removed: [ONA.id, 'third'], status: 'ok' },
			pairedItem: { item: 0 },
		});
		const log = await apiRequests(sandbox);
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({
			method: 'POST',
			path: `/api/signing/${signing.token}/removesigner.json`,
			body: { signers: [{ id: ONA.id }, { id: 'third' }] },
		});
		expectKeyOnlyInQuery(log);
		const held = (await emulatorSignings(sandbox)).find((s) => s.token === signing.token);
		expect(held?.signers.map((s) => s.id)).toEqual([JONAS.id]);
	});

	it('reports the Gateway’s refusal of an unknown signer id', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS]);
		const run = await runDokobit(sandbox, removeSigners(signing.token, 'nobody'));
		expect(errorOf(run)?.description).toBe(
			'Data validation failed; signers[0][id]: Signer not found.',
		);
	});
});
