/* eslint-disable @n8n/community-nodes/no-restricted-imports */
// The sandbox mail server over its wire protocols: SMTP in (login required, as on a real relay),
// the mail page and its JSON out, attachment bytes unchanged.
import { createHash } from 'node:crypto';
import net from 'node:net';
import { startSandbox, type Sandbox } from '../helpers/sandbox';

let sandbox: Sandbox;
let smtp: { host: string; port: number; user: string; password: string };

beforeAll(async () => {
	sandbox = await startSandbox(['mail']);
	smtp = await sandbox.control('mail', 'GET', '/__smtp');
});
afterAll(async () => await sandbox.close());
beforeEach(async () => await sandbox.control('mail', 'POST', '/__reset'));

/**
 * One SMTP session, command by command, as a mail client speaks it. Resolves to every reply line;
 * stops at the first reply that is not the one expected.
 */
async function smtpSession(steps: Array<[command: string | null, expect: number]>) {
	const socket = net.connect(smtp.port, smtp.host);
	const replies: string[] = [];
	let buffer = '';
	let waiting: ((reply: string) => void) | undefined;
	socket.on('data', (chunk: Buffer) => {
		buffer += chunk.toString('utf8');
		// A reply ends with a line "NNN text" (a space, not a hyphen, after the code).
		const match = /(^|\r\n)(\d{3}) [^\r\n]*\r\n$/.exec(buffer);
		if (match && waiting) {
			const reply = buffer;
			buffer = '';
			const done = waiting;
			waiting = undefined;
			done(reply);
		}
	});
	const next = async () => await new Promise<string>((resolve) => (waiting = resolve));
	try {
		for (const [command, expected] of steps) {
			const reply = next();
			if (command !== null) socket.write(`${command}\r\n`);
			const text = await reply;
			replies.push(text.trim());
			if (!text.split('\r\n').some((line) => line.startsWith(`${expected} `))) break;
		}
	} finally {
		socket.end();
	}
	return replies;
}

const plain = (user: string, password: string) =>
	Buffer.from(`\0${user}\0${password}`).toString('base64');

const pdf = Buffer.from('%PDF-1.4\n%sandbox signed contract\n%%EOF\n');
const message = [
	'From: Contracts <contracts@example.com>',
	'To: jan.novak@example.com',
	'Subject: Signed: contract C-1',
	'MIME-Version: 1.0',
	'Content-Type: multipart/mixed; boundary="b1"',
	'',
	'--b1',
	'Content-Type: text/plain; charset=utf-8',
	'',
	'Your signed copy is attached.',
	'--b1',
	'Content-Type: application/pdf; name="C-1.pdf"',
	'Content-Disposition: attachment; filename="C-1.pdf"',
	'Content-Transfer-Encoding: base64',
	'',
	pdf.toString('base64'),
	'--b1--',
	'.',
].join('\r\n');

const send = async (user: string, password: string) =>
	await smtpSession([
		[null, 220],
		['EHLO n8n.test', 250],
		[`AUTH PLAIN ${plain(user, password)}`, 235],
		['MAIL FROM:<contracts@example.com>', 250],
		['RCPT TO:<jan.novak@example.com>', 250],
		['DATA', 354],
		[message, 250],
		['QUIT', 221],
	]);

interface Mail {
	to: string[];
	subject: string;
	text: string;
	attachments: Array<{
		filename: string;
		contentType: string;
		size: number;
		sha256: string;
		url: string;
	}>;
}

describe('sandbox mail server', () => {
	it('refuses a wrong login and keeps nothing', async () => {
		const replies = await send(smtp.user, 'wrong-password');
		expect(replies.at(-1)).toMatch(/^535 /);
		expect(await sandbox.control<Mail[]>('mail', 'GET', '/__mails')).toEqual([]);
	});

	it('refuses mail without a login', async () => {
		const replies = await smtpSession([
			[null, 220],
			['EHLO n8n.test', 250],
			['MAIL FROM:<contracts@example.com>', 250],
		]);
		expect(replies.at(-1)).toMatch(/^530 /);
	});

	it('keeps a mail sent with the sandbox login; the attachment downloads byte for byte', async () => {
		const replies = await send(smtp.user, smtp.password);
		expect(replies.at(-1)).toMatch(/^221 /);
		const [mail] = await sandbox.control<Mail[]>('mail', 'GET', '/__mails');
		expect(mail).toMatchObject({
			to: ['jan.novak@example.com'],
			subject: 'Signed: contract C-1',
			text: 'Your signed copy is attached.',
		});
		expect(mail.attachments).toEqual([
			expect.objectContaining({
				filename: 'C-1.pdf',
				contentType: 'application/pdf',
				size: pdf.length,
				sha256: createHash('sha256').update(pdf).digest('hex'),
			}),
		]);
		const download = await fetch(mail.attachments[0].url);
		expect(download.headers.get('content-type')).toBe('application/pdf');
		expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);

		// The mail page a user opens lists it with the attachment's link.
		const page = await (await fetch(`${sandbox.url('mail')}/`)).text();
		expect(page).toContain('Signed: contract C-1');
		expect(page).toContain(`href="${mail.attachments[0].url}"`);
	});
});
