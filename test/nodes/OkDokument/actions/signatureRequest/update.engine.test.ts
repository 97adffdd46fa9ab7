import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import { errorOf } from '../../../../helpers/engine';
import { startSandbox, type Sandbox } from '../../../../helpers/sandbox';
import {
	apiRequests,
	clearLog,
	createRequest,
	emulatorRequests,
	runOk,
	runOkDokument,
	samplePdf,
	signerAction,
} from '../../harness';

let sandbox: Sandbox;
let pdf: Buffer;

beforeAll(async () => {
	sandbox = await startSandbox(['okdokument']);
	pdf = await samplePdf(sandbox);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await clearLog(sandbox));

const update = (signatureRequestId: string, updateFields: INodeParameters) => ({
	resource: 'signatureRequest',
	operation: 'update',
	signatureRequestId,
	updateFields,
});

describe('OKdokument → Signature Request → Update', () => {
	it('PATCHes the callback and result URLs; the outcome then goes to the new URLs', async () => {
		const created = await createRequest(sandbox, pdf, {
			options: { callbackUrl: 'http://127.0.0.1:9/old' },
		});
		await clearLog(sandbox);
		// Any URL answering 200 to a POST will do: the sandbox's health probe.
		const callbackUrl = `${sandbox.url('okdokument')}/__health?arg=123456`;
		const [item] = await runOk(
			sandbox,
			update(created.signatureRequestId, { callbackUrl, resultUrl: 'https://example.com/done' }),
		);
		expect(item.json).toEqual({
			signatureRequestId: created.signatureRequestId,
			updated: true,
			callbackUrl,
			resultUrl: 'https://example.com/done',
			message: 'msg.updated',
		});
		const [request] = await apiRequests(sandbox);
		expect(request).toMatchObject({ method: 'PATCH', path: '/JSON/signatureRequest' });
		expect(request.body).toEqual({
			signatureRequestId: created.signatureRequestId,
			sendInfoURL: callbackUrl,
			resulturl: 'https://example.com/done',
		});

		const signed = await signerAction(sandbox, created.signatureRequestId);
		expect(new URL(signed.redirect).origin + new URL(signed.redirect).pathname).toBe(
			'https://example.com/done',
		);
		expect(Object.fromEntries(new URL(signed.redirect).searchParams)).toMatchObject({
			name: 'agreement',
			docid: created.documentId,
			result: 'success',
		});
		let deliveries: IDataObject[] = [];
		for (let i = 0; i < 200 && deliveries.length === 0; i++) {
			deliveries = (
				await sandbox.control<IDataObject[]>('okdokument', 'GET', '/__deliveries')
			).filter(
				(d) =>
					(d.body as IDataObject).signatureRequestId === created.signatureRequestId &&
					d.ok !== undefined,
			);
			if (deliveries.length === 0) await sleep(10);
		}
		expect(deliveries.map((d) => [d.url, d.ok])).toEqual([[callbackUrl, true]]);
		const [held] = (await emulatorRequests(sandbox)).filter(
			(r) => r.id === created.signatureRequestId,
		);
		expect(held.callback).toMatchObject({ ok: true, attempts: 1 });
	});

	it('changes only what is given', async () => {
		const created = await createRequest(sandbox, pdf);
		await clearLog(sandbox);
		await runOk(
			sandbox,
			update(created.signatureRequestId, { resultUrl: 'https://example.com/r' }),
		);
		expect((await apiRequests(sandbox))[0].body).toEqual({
			signatureRequestId: created.signatureRequestId,
			resulturl: 'https://example.com/r',
		});
	});

	it('reports an unknown signature request with the vendor’s 400', async () => {
		const run = await runOkDokument(
			sandbox,
			update('no-such-request', { resultUrl: 'https://example.com/r' }),
		);
		expect(errorOf(run)?.message).toBe('Item 0: OKdokument answered HTTP 400');
		expect(errorOf(run)?.description).toBe('err.signature.request.not.found (no-such-request)');
	});
});
