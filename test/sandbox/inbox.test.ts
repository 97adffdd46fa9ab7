// The sandbox's home page (`GET /` on each emulator): what waits for a signer, with a button per
// action, so a person trying the nodes can play the signer in a browser. The buttons are plain
// forms; pressing one must act like the control API and lead back to the page, where the
// document then shows as finished with its outcome.
import { createHash } from 'node:crypto';
import { startSandbox, type Sandbox } from '../helpers/sandbox';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox(['dokobit', 'okdokument', 'documentolog']);
});
afterAll(async () => await sandbox.close());

async function json(url: string, body: unknown, headers: Record<string, string> = {}) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body),
	});
	expect(response.status).toBe(200);
	return (await response.json()) as Record<string, unknown>;
}

const unescape = (text: string) =>
	text
		.replace(/&#39;/g, "'")
		.replace(/&quot;/g, '"')
		.replace(/&amp;/g, '&');

/** The page's forms as [button label, action URL, the form's hidden fields urlencoded]. */
async function forms(vendor: 'dokobit' | 'okdokument' | 'documentolog') {
	const response = await fetch(`${sandbox.url(vendor)}/`);
	expect(response.headers.get('content-type')).toContain('text/html');
	const page = await response.text();
	return [
		...page.matchAll(/<form method="post" action="([^"]+)">(.*?)<button>([^<]+)<\/button>/g),
	].map(([, action, inputs, label]) => {
		const fields = new URLSearchParams();
		for (const [, name, value] of inputs.matchAll(
			/<input type="hidden" name="([^"]*)" value="([^"]*)">/g,
		)) {
			fields.append(unescape(name), unescape(value));
		}
		return [unescape(label), unescape(action), fields.toString()] as const;
	});
}

/** The page's forms as [button label, action URL]. */
async function buttons(vendor: 'dokobit' | 'okdokument' | 'documentolog') {
	return (await forms(vendor)).map(([label, action]) => [label, action] as const);
}

/** The page's "Recently finished" entries as text, newest first. */
async function finished(vendor: 'dokobit' | 'okdokument' | 'documentolog') {
	const page = await (await fetch(`${sandbox.url(vendor)}/`)).text();
	const list = /<ul class="finished">(.*?)<\/ul>/s.exec(page)?.[1] ?? '';
	return [...list.matchAll(/<li[^>]*>(.*?)<\/li>/gs)].map(([, item]) =>
		item.replace(/<[^>]+>/g, '').replace(/&#39;/g, "'"),
	);
}

/** Presses a button the way a browser submits its form: hidden fields urlencoded, no redirects followed. */
async function press(vendor: 'dokobit' | 'okdokument' | 'documentolog', label: string) {
	const found = (await forms(vendor)).find(([text]) => text === label);
	if (!found) throw new Error(`no button "${label}" on the ${vendor} page`);
	const response = await fetch(`${sandbox.url(vendor)}${found[1]}`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: found[2],
		redirect: 'manual',
	});
	expect(response.status).toBe(303);
	expect(response.headers.get('location')).toBe('/');
}

const samplePdf = async (vendor: 'dokobit' | 'okdokument') =>
	Buffer.from(await (await fetch(`${sandbox.url(vendor)}/__files/sample.pdf`)).arrayBuffer());

it('Dokobit: lists each pending signer of a signing; signing from the page completes it', async () => {
	const base = sandbox.url('dokobit');
	const auth = '?access_token=example-dokobit-token';
	const pdf = await samplePdf('dokobit');
	const file = await json(`${base}/api/file/upload.json${auth}`, {
		file: {
			name: 'contract.pdf',
			content: pdf.toString('base64'),
			digest: createHash('sha256').update(pdf).digest('hex'),
		},
	});
	const signing = await json(`${base}/api/signing/create.json${auth}`, {
		type: 'pdf',
		name: 'Inbox contract',
		files: [{ token: file.token }],
		signers: [
			{ id: 'a', name: 'Ona', surname: 'Petraitė', signing_purpose: 'signature' },
			{ id: 'b', name: 'Jonas', surname: 'Jonaitis', signing_purpose: 'signature' },
		],
	});
	expect((await buttons('dokobit')).map(([label]) => label)).toEqual([
		'Sign as Ona Petraitė',
		'Sign as Jonas Jonaitis',
	]);
	expect(await finished('dokobit')).toEqual([]);
	await press('dokobit', 'Sign as Ona Petraitė');
	expect((await buttons('dokobit')).map(([label]) => label)).toEqual(['Sign as Jonas Jonaitis']);
	const page = await (await fetch(`${base}/`)).text();
	expect(page).toContain('signed: Ona Petraitė ✓');
	await press('dokobit', 'Sign as Jonas Jonaitis');
	expect(await buttons('dokobit')).toEqual([]);
	expect(await finished('dokobit')).toEqual([
		`Inbox contract (pdf, token ${String(signing.token)}): signed by everyone (completed) ✓`,
	]);
	const status = await (
		await fetch(`${base}/api/signing/${String(signing.token)}/status.json${auth}`)
	).json();
	expect(status).toMatchObject({ status: 'completed' });
});

it('OKdokument: lists open requests; Sign (Submit) signs the document', async () => {
	const base = sandbox.url('okdokument');
	const headers = { 'x-api-key': 'example-okdokument-key' };
	const created = await json(
		`${base}/JSON/signatureRequest`,
		{
			filedata: {
				filename: 'inbox.pdf',
				content: (await samplePdf('okdokument')).toString('base64'),
			},
		},
		headers,
	);
	expect((await buttons('okdokument')).map(([label]) => label)).toEqual([
		'Sign (Submit)',
		'Cancel',
	]);
	await press('okdokument', 'Sign (Submit)');
	expect(await buttons('okdokument')).toEqual([]);
	expect(await finished('okdokument')).toEqual([
		`inbox.pdf (signature request ${String(created.result)}): signed ✓`,
	]);
	const metadata = await (
		await fetch(`${base}/JSON/document/metadata/${String(created.documentId)}`, { headers })
	).json();
	expect(metadata).toMatchObject({ state: 'signed' });
});

it('Documentolog: the page explains the two steps; the sender signs first, then each recipient signs or declines', async () => {
	const base = sandbox.url('documentolog');
	await json(
		`${base}/json/external/oauth/token`,
		{
			aAttachments: [`${base}/__files/contract.pdf`],
			iSendToRecipient: 1,
			mRecipient: ['900101300811'],
			iRecipientSignatureRequired: 1,
			mAvailableSignatureMethodsForRecipient: ['eds'],
			mAvailableSignatureMethods: ['eds'],
			sSender: '900101300017',
		},
		{ 'api-key': 'example-documentolog-key' },
	);
	const page = await (await fetch(`${base}/`)).text();
	expect(page).toContain('Each document needs two presses here');
	expect(page).toContain('step 1 of 2: the sender signs first');
	expect((await buttons('documentolog')).map(([label]) => label)).toEqual([
		'Sign as sender Daniyar Seitkaliyev (IIN 900101300017)',
	]);
	await press('documentolog', 'Sign as sender Daniyar Seitkaliyev (IIN 900101300017)');
	expect((await buttons('documentolog')).map(([label]) => label)).toEqual([
		'Sign as recipient Arman Zhaksylykov (IIN 900101300811)',
		'Decline as recipient Arman Zhaksylykov (IIN 900101300811)',
	]);
	await press('documentolog', 'Sign as recipient Arman Zhaksylykov (IIN 900101300811)');
	expect(await buttons('documentolog')).toEqual([]);
	const [doc] = (await (await fetch(`${base}/__docs`)).json()) as Array<{
		state: string;
		docId: string;
		number: number;
	}>;
	expect(doc.state).toBe('completed');
	expect(await finished('documentolog')).toEqual([
		`Document ${doc.number} from Daniyar Seitkaliyev (IIN 900101300017) (${doc.docId}): signed by everyone (completed) ✓`,
	]);
});

it('Documentolog: a declined document shows as finished, declined, with who declined', async () => {
	const base = sandbox.url('documentolog');
	await json(
		`${base}/json/external/oauth/token`,
		{
			aAttachments: [`${base}/__files/contract.pdf`],
			iSendToRecipient: 1,
			mRecipient: ['061211600012'],
			iRecipientSignatureRequired: 1,
			mAvailableSignatureMethodsForRecipient: ['eds'],
			mAvailableSignatureMethods: ['eds'],
			sSender: '040740000001',
		},
		{ 'api-key': 'example-documentolog-key' },
	);
	await press('documentolog', 'Sign as sender TOO Dala Logistics (BIN 040740000001)');
	await press('documentolog', 'Decline as recipient Aigerim Nurlanovna (IIN 061211600012)');
	expect(await buttons('documentolog')).toEqual([]);
	const [newest] = await finished('documentolog');
	expect(newest).toMatch(
		/^Document \d+ from TOO Dala Logistics \(BIN 040740000001\) \(\w+\): declined by Aigerim Nurlanovna \(IIN 061211600012\) ✗$/,
	);
});

it('a button whose action fails shows the error instead of going back to the page', async () => {
	const response = await fetch(
		`${sandbox.url('dokobit')}/__signings/unknown/signers/x/sign?back=inbox`,
		{ method: 'POST', redirect: 'manual' },
	);
	expect(response.status).toBe(404);
});

it('every sandbox serves an icon, so a browser logs no 404, and does not log it as an API call', async () => {
	for (const vendor of ['dokobit', 'okdokument', 'documentolog'] as const) {
		const page = await (await fetch(`${sandbox.url(vendor)}/`)).text();
		expect(page).toContain('<link rel="icon" href="/favicon.ico">');
		await sandbox.control(vendor, 'DELETE', '/__requests');
		const icon = await fetch(`${sandbox.url(vendor)}/favicon.ico`);
		expect(icon.status).toBe(200);
		expect(icon.headers.get('content-type')).toBe('image/svg+xml');
		expect(await icon.text()).toContain('<svg');
		expect(await sandbox.control(vendor, 'GET', '/__requests')).toEqual([]);
	}
});
