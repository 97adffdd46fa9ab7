import type { INodeParameters } from 'n8n-workflow';
import { errorOf } from '../../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	JONAS,
	ONA,
	apiRequests,
	clearLog,
	createSigning,
	expectKeyOnlyInQuery,
	runDokobit,
	runOk,
	samplePdf,
	signersFields,
} from '../../harness';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit']);
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());

const addSigners = (signingToken: string, signers: INodeParameters[]): INodeParameters => ({
	resource: 'signing',
	operation: 'addSigners',
	signingToken,
	signersInput: 'fields',
	signers: signersFields(...signers),
});

describe('Dokobit Gateway → Signing → Add Signers', () => {
	it('adds a signer and lists every signer of the signing with its page URL', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS]);
		await clearLog(sandbox);
		const [item] = await runOk(
			sandbox,
			addSigners(signing.token, [{ ...ONA, phone: '+3725555555' }]),
		);
		expect(item.pairedItem).toEqual({ item: 0 });
		const json = item.json as {
			token: string;
			status: string;
			added: string[];
			signers: Array<{ id: string; token: string; signingUrl: string }>;
		};
		expect(json).toMatchObject({ token: signing.token, status: 'ok', added: [ONA.id] });
		expect(json.signers.map((s) => s.id).sort()).toEqual([JONAS.id, ONA.id].sort());
		const jonas = json.signers.find((s) => s.id === JONAS.id)!;
		expect(jonas.token).toBe(signing.signers[0].token);
		const ona = json.signers.find((s) => s.id === ONA.id)!;
		expect(ona.signingUrl).toBe(
			`${sandbox.url('dokobit')}/signing/${signing.token}?access_token=${ona.token}`,
		);

		const log = await apiRequests(sandbox);
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({
			method: 'POST',
			path: `/api/signing/${signing.token}/addsigner.json`,
		});
		expect(log[0].body).toEqual({ signers: [{ ...ONA, phone: '+3725555555' }] });
		expectKeyOnlyInQuery(log);
		expect((await fetch(ona.signingUrl)).status).toBe(200);
	});

	it('reports the Gateway’s refusal of a signer id that already exists', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS]);
		const run = await runDokobit(sandbox, addSigners(signing.token, [JONAS]));
		const error = errorOf(run);
		expect(error?.message).toBe('Item 0: Dokobit Gateway answered HTTP 400');
		expect(error?.description).toBe(
			`Data validation failed; signers: Signer with id "${JONAS.id}" already exists.`,
		);
	});
});
