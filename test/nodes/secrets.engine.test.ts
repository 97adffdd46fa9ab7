// The credential's secret never leaves it: every operation of every action node runs with a planted
// key, on its success path and on a failure path whose vendor error body echoes the key (in the
// vendor's own error shape, plain and URL-encoded), and everything the run produces is searched:
// output JSON, binary metadata, the thrown error (message, description, context, stack, cause) and
// every log line n8n's logger received. Each case also proves the key really went out (Dokobit's in
// the query string, the others in a header), so the search can fail.
// Downloads to a host other than the credential's: refused before any request, see the foreign-host
// rows in badInputs.engine.test.ts and the trigger and wait tests.
import type { INodeExecutionData, INodeParameters, IRun, Logger } from 'n8n-workflow';
import { LoggerProxy } from 'n8n-workflow';
import { errorOf } from '../helpers/engine';
import { startSandbox, type Sandbox } from '../helpers/sandbox';
import {
	attachmentUrl,
	completedDoc,
	completionOf,
	createParameters,
	runDocumentolog,
	apiRequests as documentologRequests,
} from './Documentolog/harness';
import {
	JONAS,
	ONA,
	createSigning,
	pdfItem,
	runDokobit,
	samplePdf,
	signAs,
	stringifyRun,
	uploadFile,
	apiRequests as dokobitRequests,
	signersFields,
} from './DokobitGateway/harness';
import {
	createRequest,
	fileItem,
	runOkDokument,
	signerAction,
	apiRequests as okDokumentRequests,
} from './OkDokument/harness';

type Vendor = 'dokobit' | 'okdokument' | 'documentolog';
const VENDORS: Vendor[] = ['dokobit', 'okdokument', 'documentolog'];

/** Planted keys: characters that URL-encoding changes, so both forms are searched for. */
const PLANTED: Record<Vendor, string> = {
	dokobit: 'planted-dokobit+key/5f1c=',
	okdokument: 'planted-okdokument+key/7c2e=',
	documentolog: 'planted-documentolog+key/91ab=',
};

let sandbox: Sandbox;
let pdf: Buffer;
const logged: string[] = [];

/** Resources the operations act on, made beforehand with the planted keys. */
const fixtures = {
	fileToken: '',
	pending: '',
	signerToken: '',
	completed: '',
	removable: '',
	okDocument: '',
	okRequest: '',
	okSigned: '',
	completion: {} as Record<string, unknown>,
};

beforeAll(async () => {
	const capture =
		(level: string) =>
		(message: string, meta?: unknown): void => {
			logged.push(`${level} ${message} ${stringify(meta)}`);
		};
	LoggerProxy.init({
		error: capture('error'),
		warn: capture('warn'),
		info: capture('info'),
		debug: capture('debug'),
	} as unknown as Logger);
	sandbox = await startSandbox(VENDORS, {
		options: {
			tokens: ['example-dokobit-token', PLANTED.dokobit],
			apiKeys: ['example-okdokument-key', PLANTED.okdokument],
			keys: ['example-documentolog-key', PLANTED.documentolog],
		},
	});
	pdf = await samplePdf(sandbox);
	fixtures.fileToken = await uploadFile(sandbox, pdf);
	const pending = await createSigning(sandbox, pdf, [JONAS, ONA]);
	fixtures.pending = pending.token;
	fixtures.signerToken = pending.signers[0].token;
	fixtures.removable = (await createSigning(sandbox, pdf, [JONAS, ONA])).token;
	fixtures.completed = (await createSigning(sandbox, pdf, [JONAS])).token;
	await signAs(sandbox, fixtures.completed, JONAS.id);
	const request = await createRequest(sandbox, pdf);
	fixtures.okDocument = request.documentId;
	fixtures.okRequest = request.signatureRequestId;
	const signed = await createRequest(sandbox, pdf);
	await signerAction(sandbox, signed.signatureRequestId);
	fixtures.okSigned = signed.documentId;
	fixtures.completion = completionOf(
		await completedDoc(sandbox, { attachmentUrls: [attachmentUrl(sandbox)] }),
	);
});
afterAll(async () => await sandbox.close());
beforeEach(async () => {
	logged.length = 0;
	for (const vendor of VENDORS) {
		await sandbox.control(vendor, 'DELETE', '/__requests');
		await sandbox.control(vendor, 'DELETE', '/__faults');
	}
});

function stringify(value: unknown): string {
	try {
		return JSON.stringify(value) ?? '';
	} catch {
		return String(value);
	}
}

interface Operation {
	parameters: () => INodeParameters;
	items?: () => INodeExecutionData[];
	/** The success path ends waiting for a signer instead of with output. */
	waits?: boolean;
	/** Sends nothing: the secret can only leak through what the node derives from it. */
	offline?: boolean;
}

const dkCreate = (operation: string): INodeParameters => ({
	resource: 'signing',
	operation,
	name: 'Agreement',
	type: 'pdf',
	filesFrom: 'upload',
	fileSource: 'binary',
	binaryPropertyName: 'data',
	signersInput: 'fields',
	signers: signersFields(JONAS),
});
const okCreate = (operation: string): INodeParameters => ({
	resource: 'signatureRequest',
	operation,
	documentSource: 'upload',
	fileSource: 'binary',
	binaryPropertyName: 'data',
});

const operations: Record<Vendor, Record<string, Operation>> = {
	dokobit: {
		'file:upload': {
			parameters: () => ({ resource: 'file', operation: 'upload', fileSource: 'binary' }),
		},
		'file:getStatus': {
			parameters: () => ({
				resource: 'file',
				operation: 'getStatus',
				fileToken: fixtures.fileToken,
			}),
		},
		'file:check': {
			parameters: () => ({
				resource: 'file',
				operation: 'check',
				containerType: 'pdf',
				fileSource: 'binary',
				binaryPropertyName: 'data',
			}),
		},
		'file:archive': {
			parameters: () => ({
				resource: 'file',
				operation: 'archive',
				containerType: 'pdf',
				fileSource: 'binary',
				binaryPropertyName: 'data',
			}),
		},
		'file:delete': {
			parameters: () => ({ resource: 'file', operation: 'delete', fileToken: fixtures.fileToken }),
		},
		'signing:create': { parameters: () => dkCreate('create') },
		'signing:createAndWait': { parameters: () => dkCreate('createAndWait'), waits: true },
		'signing:waitForSignature': {
			parameters: () => ({
				resource: 'signing',
				operation: 'waitForSignature',
				signingToken: fixtures.pending,
			}),
			waits: true,
		},
		'signing:addSigners': {
			parameters: () => ({
				resource: 'signing',
				operation: 'addSigners',
				signingToken: fixtures.pending,
				signersInput: 'json',
				signersJson: JSON.stringify([{ ...ONA, id: `${Date.now()}` }]),
			}),
		},
		'signing:removeSigners': {
			parameters: () => ({
				resource: 'signing',
				operation: 'removeSigners',
				signingToken: fixtures.removable,
				signerIds: ONA.id,
			}),
		},
		'signing:getStatus': {
			parameters: () => ({
				resource: 'signing',
				operation: 'getStatus',
				signingToken: fixtures.pending,
			}),
		},
		'signing:getSigningUrl': {
			parameters: () => ({
				resource: 'signing',
				operation: 'getSigningUrl',
				signingToken: fixtures.pending,
				signerToken: fixtures.signerToken,
			}),
		},
		'signing:download': {
			parameters: () => ({
				resource: 'signing',
				operation: 'download',
				signingToken: fixtures.completed,
				binaryPropertyName: 'data',
			}),
		},
		'signing:archive': {
			parameters: () => ({
				resource: 'signing',
				operation: 'archive',
				signingToken: fixtures.completed,
			}),
		},
		'signing:seal': {
			parameters: () => ({
				resource: 'signing',
				operation: 'seal',
				signingToken: fixtures.pending,
				sealName: 'Company seal',
			}),
		},
		'signing:createBatch': {
			parameters: () => ({
				resource: 'signing',
				operation: 'createBatch',
				signings: { signing: [{ token: fixtures.pending }] },
			}),
		},
		'signing:delete': {
			parameters: () => ({
				resource: 'signing',
				operation: 'delete',
				signingToken: fixtures.removable,
			}),
		},
	},
	okdokument: {
		'signatureRequest:create': { parameters: () => okCreate('create') },
		'signatureRequest:createAndWait': { parameters: () => okCreate('createAndWait'), waits: true },
		'signatureRequest:waitForSignature': {
			parameters: () => ({
				resource: 'signatureRequest',
				operation: 'waitForSignature',
				documentId: fixtures.okDocument,
			}),
			waits: true,
		},
		'signatureRequest:update': {
			parameters: () => ({
				resource: 'signatureRequest',
				operation: 'update',
				signatureRequestId: fixtures.okRequest,
				updateFields: { resultUrl: 'https://example.com/done' },
			}),
		},
		'document:upload': {
			parameters: () => ({
				resource: 'document',
				operation: 'upload',
				fileSource: 'binary',
				binaryPropertyName: 'data',
				uploadMode: 'storage',
			}),
		},
		'document:get': {
			parameters: () => ({ resource: 'document', operation: 'get', documentId: fixtures.okSigned }),
		},
		'document:download': {
			parameters: () => ({
				resource: 'document',
				operation: 'download',
				documentId: fixtures.okSigned,
				binaryPropertyName: 'data',
			}),
		},
		'document:getAll': {
			parameters: () => ({ resource: 'document', operation: 'getAll', state: '*', limit: 5 }),
		},
		'account:getCounters': {
			parameters: () => ({ resource: 'account', operation: 'getCounters' }),
		},
		'signatureRequest:delete': {
			parameters: () => ({
				resource: 'signatureRequest',
				operation: 'delete',
				signatureRequestId: fixtures.okRequest,
			}),
		},
		'document:delete': {
			parameters: () => ({
				resource: 'document',
				operation: 'delete',
				documentId: fixtures.okDocument,
			}),
		},
	},
	documentolog: {
		'document:createSigningSession': { parameters: () => createParameters(sandbox) },
		'document:createAndWait': {
			parameters: () => ({ ...createParameters(sandbox), operation: 'createAndWait' }),
			waits: true,
		},
		'document:downloadFiles': {
			parameters: () => ({
				resource: 'document',
				operation: 'downloadFiles',
				completionEvent: JSON.stringify(fixtures.completion),
				fileKind: 'signed',
				which: 'all',
				binaryPropertyName: 'data',
			}),
		},
		'webhook:getTriggerUrl': {
			parameters: () => ({
				resource: 'webhook',
				operation: 'getTriggerUrl',
				triggerUrl: 'https://n8n.example.com/webhook/0b5e7c1e-1111-4c3b-9a55-7d3e2f0a9c10/webhook',
				correlationId: 'crm-1',
			}),
			offline: true,
		},
	},
};

const defaultItems: Record<Vendor, () => INodeExecutionData[]> = {
	dokobit: () => [pdfItem(pdf)],
	okdokument: () => [fileItem(pdf)],
	documentolog: () => [{ json: {} }],
};

async function runAs(vendor: Vendor, parameters: INodeParameters, items: INodeExecutionData[]) {
	const key = PLANTED[vendor];
	if (vendor === 'dokobit')
		return await runDokobit(sandbox, parameters, items, { accessToken: key });
	if (vendor === 'okdokument')
		return await runOkDokument(sandbox, parameters, items, { apiKey: key });
	return await runDocumentolog(sandbox, parameters, items, { apiKey: key });
}

/** Where each vendor carries the key on the wire. */
async function keysSent(vendor: Vendor): Promise<string[]> {
	if (vendor === 'dokobit')
		return (await dokobitRequests(sandbox)).map((r) => r.query.access_token);
	if (vendor === 'okdokument') {
		return (await okDokumentRequests(sandbox)).map((r) => r.headers['x-api-key']);
	}
	return (await documentologRequests(sandbox)).map((r) => r.headers['api-key']);
}

/** A vendor error body that repeats the key in every shape the nodes read errors from. */
function echoingError(key: string): Record<string, unknown> {
	return {
		status: 'error',
		message: `Key ${key} is not allowed (access_token=${encodeURIComponent(key)})`,
		value: key,
		errors: { api_key: [key] },
	};
}

async function expectNoSecret(vendor: Vendor, run: IRun, operation: Operation): Promise<void> {
	const key = PLANTED[vendor];
	if (!operation.offline) expect(await keysSent(vendor)).toContain(key);
	const everything = [stringifyRun(run), ...logged].join('\n');
	expect(everything.length).toBeGreaterThan(200);
	for (const form of [key, encodeURIComponent(key), Buffer.from(key).toString('base64')]) {
		expect(everything).not.toContain(form);
	}
}

const cases = VENDORS.flatMap((vendor) =>
	Object.entries(operations[vendor]).map(([name, operation]) => [vendor, name, operation] as const),
);

describe('the planted credential appears nowhere in what a run produces', () => {
	it('covers every operation of every action node', () => {
		expect(cases.map(([vendor, name]) => `${vendor} ${name}`)).toHaveLength(
			Object.keys(operations.dokobit).length +
				Object.keys(operations.okdokument).length +
				Object.keys(operations.documentolog).length,
		);
		expect(Object.keys(operations.dokobit)).toHaveLength(17);
		expect(Object.keys(operations.okdokument)).toHaveLength(11);
		expect(Object.keys(operations.documentolog)).toHaveLength(4);
	});

	it.each(cases)('%s %s: success path', async (vendor, _name, operation) => {
		const run = await runAs(
			vendor,
			operation.parameters(),
			operation.items?.() ?? defaultItems[vendor](),
		);
		expect(errorOf(run)).toBeUndefined();
		if (operation.waits) expect(run.status).toBe('waiting');
		await expectNoSecret(vendor, run, operation);
	});

	it.each(cases.filter(([, , operation]) => !operation.offline))(
		'%s %s: the vendor refuses with an error that echoes the key',
		async (vendor, _name, operation) => {
			await sandbox.control(vendor, 'POST', '/__faults', {
				match: {},
				action: { status: 400, body: echoingError(PLANTED[vendor]) },
			});
			const run = await runAs(
				vendor,
				operation.parameters(),
				operation.items?.() ?? defaultItems[vendor](),
			);
			const error = errorOf(run);
			expect(error?.name).toBe('NodeApiError');
			expect(error?.description).toContain('[redacted]');
			await expectNoSecret(vendor, run, operation);
		},
	);

	it.each(VENDORS)('%s: a dropped connection on a create', async (vendor) => {
		const operation = Object.values(operations[vendor])[vendor === 'dokobit' ? 5 : 0];
		await sandbox.control(vendor, 'POST', '/__faults', {
			match: { method: 'POST' },
			action: { drop: 'before-headers' },
		});
		const run = await runAs(vendor, operation.parameters(), defaultItems[vendor]());
		expect(errorOf(run)?.name).toBe('NodeApiError');
		await expectNoSecret(vendor, run, operation);
	});

	it('getTriggerUrl: a bad trigger URL fails without the key in the error', async () => {
		const run = await runAs(
			'documentolog',
			{
				resource: 'webhook',
				operation: 'getTriggerUrl',
				triggerUrl: 'https://n8n.example.com/form/x',
			},
			[{ json: {} }],
		);
		expect(errorOf(run)?.name).toBe('NodeOperationError');
		await expectNoSecret('documentolog', run, { parameters: () => ({}), offline: true });
	});
});
