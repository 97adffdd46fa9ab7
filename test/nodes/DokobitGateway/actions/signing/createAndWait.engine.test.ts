// Send and Wait when the create's answer is lost, through n8n-core's engine against the sandbox: the
// Gateway created the signing, the node never learned its token. With "continue on fail" that is an
// error item telling the user to check at the vendor (on the error output in that mode), never the
// input passed on as if nothing happened, and never a wait nobody can resume.
import type { IRun } from 'n8n-workflow';
import { signerNamesById } from '../../../../../nodes/DokobitGateway/helpers/wait';
import { errorOf, outputOf } from '../../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	apiRequests,
	clearLog,
	emulatorSignings,
	JONAS,
	ONA,
	pdfItem,
	runDokobit,
	samplePdf,
} from '../../harness';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit']);
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => {
	await clearLog(sandbox);
	await sandbox.control('dokobit', 'DELETE', '/__faults');
});

const sendAndWait = {
	resource: 'signing',
	operation: 'createAndWait',
	name: 'Agreement',
	type: 'pdf',
	filesFrom: 'upload',
	fileSource: 'binary',
	binaryPropertyName: 'data',
	signersInput: 'json',
	signersJson: JSON.stringify([JONAS]),
	waitOptions: {},
};

/** The Gateway creates the signing, then the connection drops before its answer is complete. */
async function loseTheCreateAnswer() {
	await sandbox.control('dokobit', 'POST', '/__faults', {
		match: { method: 'POST', path: '^/api/signing/create\\.json$' },
		action: { drop: 'mid-body' },
	});
}

function outputs(run: IRun) {
	return run.data.resultData.runData.Node?.[0]?.data?.main ?? [];
}

const createsSent = async () =>
	(await apiRequests(sandbox)).filter((request) => request.path === '/api/signing/create.json');

describe('Dokobit Send and Wait: a lost create answer', () => {
	it('with "Continue (using error output)": one error item on the error output, nothing waits', async () => {
		const before = (await emulatorSignings(sandbox)).length;
		await loseTheCreateAnswer();
		const run = await runDokobit(sandbox, sendAndWait, [pdfItem(pdf)], {
			node: { onError: 'continueErrorOutput' },
		});
		expect(errorOf(run)).toBeUndefined();
		expect(run.status).not.toBe('waiting');
		const [success, failed] = outputs(run);
		expect(success).toEqual([]);
		expect(failed).toHaveLength(1);
		expect(String(failed?.[0].json.error)).toMatch(/answer/i);
		expect(JSON.stringify(failed?.[0].json)).toMatch(/before (sending|creating) (it )?again/i);
		// Exactly one signing exists at the Gateway: the node did not retry the create.
		expect(await createsSent()).toHaveLength(1);
		expect((await emulatorSignings(sandbox)).length).toBe(before + 1);
	});

	it('with "Continue": an error item in place of the input, nothing waits', async () => {
		await loseTheCreateAnswer();
		const run = await runDokobit(sandbox, sendAndWait, [pdfItem(pdf, 'agreement.pdf', { n: 1 })], {
			node: { onError: 'continueRegularOutput' },
		});
		expect(run.status).not.toBe('waiting');
		const [item, ...more] = outputOf(run);
		expect(more).toEqual([]);
		expect(item.json.n).toBeUndefined();
		expect(String(item.json.error)).toMatch(/answer/i);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(await createsSent()).toHaveLength(1);
	});

	it('without "continue on fail": the node stops with the same advice', async () => {
		await loseTheCreateAnswer();
		const run = await runDokobit(sandbox, sendAndWait, [pdfItem(pdf)]);
		expect(run.status).not.toBe('waiting');
		const error = errorOf(run);
		expect(`${error?.message} ${error?.description}`).toMatch(
			/before (sending|creating) (it )?again/i,
		);
		expect(await createsSent()).toHaveLength(1);
	});
});

describe('Dokobit Send and Wait: the waiting hint', () => {
	it('names each signer by first and last name, not by the ID (here the personal code)', async () => {
		const run = await runDokobit(
			sandbox,
			{ ...sendAndWait, signersJson: JSON.stringify([JONAS, ONA]) },
			[pdfItem(pdf)],
		);
		expect(errorOf(run)).toBeUndefined();
		expect(run.status).toBe('waiting');
		const signers = outputOf(run)[0].json.signers as Array<{ id: string; signingUrl: string }>;
		const link = (id: unknown) => {
			const url = signers.find((signer) => signer.id === id)!.signingUrl.replace(/&/g, '&amp;');
			return `<a href="${url}" target="_blank" rel="noopener">${url}</a>`;
		};
		const hints = run.data.resultData.runData.Node?.[0]?.hints ?? [];
		expect(hints.map((hint) => hint.message)).toEqual([
			'Signing links (send each signer their own):<br>' +
				`Jonas Jonaitis: ${link(JONAS.id)}<br>` +
				`Ona Onaitė: ${link(ONA.id)}`,
		]);
	});

	it('falls back to the signer ID for a signer without a name', () => {
		expect(
			signerNamesById([
				{ id: '50001018865', name: ' Jonas ', surname: 'Jonaitis' },
				{ id: 'only-first', name: 'Ona', surname: '' },
				{ id: 'guest-1' },
			]),
		).toEqual({ '50001018865': 'Jonas Jonaitis', 'only-first': 'Ona' });
	});
});
