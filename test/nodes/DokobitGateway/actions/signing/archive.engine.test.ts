import { sleep } from 'n8n-workflow';
import { errorOf } from '../../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	JONAS,
	apiRequests,
	clearLog,
	createSigning,
	emulatorSignings,
	expectKeyOnlyInQuery,
	runDokobit,
	runOk,
	samplePdf,
	signAs,
} from '../../harness';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit']);
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());

const archive = (signingToken: string, postbackUrl = '') => ({
	resource: 'signing',
	operation: 'archive',
	signingToken,
	postbackUrl,
});

async function statusOf(token: string) {
	return (await emulatorSignings(sandbox)).find((s) => s.token === token)?.status;
}

describe('Dokobit Gateway → Signing → Archive', () => {
	it('asks for long-term validation of a completed signing', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS]);
		await signAs(sandbox, signing.token, JONAS.id);
		await clearLog(sandbox);
		const postbackUrl = 'https://n8n.example.com/webhook/archived';
		const [item] = await runOk(sandbox, archive(signing.token, postbackUrl));
		expect(item).toEqual({ json: { token: signing.token, status: 'ok' }, pairedItem: { item: 0 } });
		const log = await apiRequests(sandbox);
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({
			method: 'POST',
			path: `/api/signing/${signing.token}/archive.json`,
			body: { postback_url: postbackUrl },
		});
		expectKeyOnlyInQuery(log);
		// The result arrives asynchronously; the emulator then reports the signing archived.
		for (let i = 0; i < 100 && (await statusOf(signing.token)) !== 'archived'; i++) await sleep(20);
		expect(await statusOf(signing.token)).toBe('archived');
	});

	it('sends an empty body when no postback URL is given', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS]);
		await signAs(sandbox, signing.token, JONAS.id);
		await clearLog(sandbox);
		await runOk(sandbox, archive(signing.token));
		const [sent] = await apiRequests(sandbox);
		expect(sent.body ?? {}).toEqual({});
	});

	it('reports the Gateway’s refusal to archive a pending signing', async () => {
		const signing = await createSigning(sandbox, pdf, [JONAS]);
		const run = await runDokobit(sandbox, archive(signing.token));
		expect(errorOf(run)?.description).toBe('Data validation failed; Signing is not completed yet.');
	});
});
