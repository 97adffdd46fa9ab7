// A local mail server for the business-flow examples: an SMTP server (smtp-server) that accepts
// mail from n8n's Send Email node with the sandbox login, keeps every message (parsed by
// mailparser), and a "mail page" over HTTP that lists them, attachments downloadable.
//   GET  /                                  the mail page (HTML, refreshes itself)
//   GET  /__smtp                            {host, port, user, password}: what the smtp credential needs
//   GET  /__mails                           every message as JSON, newest first, attachments with sha256
//   GET  /__mails/:id/attachments/:index    one attachment's bytes
//   POST /__reset                           forget every message
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { sandboxAddress } from './address.mjs';

/** The SMTP login the sandbox accepts (the `smtp` credential `./dev start` creates). */
export const MAIL_LOGIN = { user: 'sandbox', password: 'sandbox-mail' };

const escape = (text) =>
	String(text ?? '').replace(
		/[&<>"']/g,
		(char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char],
	);

const addresses = (field) =>
	[field]
		.flat()
		.filter(Boolean)
		.flatMap((entry) => entry.value.map((address) => address.address));

/**
 * An HTML body as the mail client would show it, in a frame that runs no script; a click on one
 * of its links opens it in this tab (the signing link, for one).
 */
const htmlBody = (html) =>
	`<iframe class="body" title="Message" sandbox="allow-top-navigation-by-user-activation" srcdoc="${escape(
		`<!doctype html><meta charset="utf-8"><base target="_top"><style>body{font-family:sans-serif;margin:.5rem}</style>${html}`,
	)}"></iframe>`;

function mailPage(mails) {
	const rows = mails
		.map(
			(mail) => `<article>
<h2>${escape(mail.subject)}</h2>
<p><b>From</b> ${escape(mail.from.join(', '))} · <b>To</b> ${escape(mail.to.join(', '))} · ${escape(mail.receivedAt)}</p>
${mail.html ? htmlBody(mail.html) : `<pre>${escape(mail.text)}</pre>`}
${mail.attachments
	.map(
		(attachment) =>
			`<p>📎 <a href="${escape(attachment.url)}">${escape(attachment.filename)}</a> (${attachment.size} bytes, ${escape(attachment.contentType)})</p>`,
	)
	.join('')}
</article>`,
		)
		.join('<hr>');
	return `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Sandbox mail</title><style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto}pre{white-space:pre-wrap;background:#f4f4f4;padding:.5rem}iframe.body{width:100%;height:14rem;border:1px solid #ddd}</style>
<h1>Sandbox mail</h1><p>Every e-mail n8n sent through the sandbox SMTP server (newest first).</p>
${rows || '<p><i>No mail yet.</i></p>'}`;
}

/**
 * Starts the SMTP server on `smtpPort` and the mail page on `port` (0: free ports), both on
 * loopback unless ESIGN_SANDBOX_HOST says otherwise (address.mjs). STARTTLS is off (n8n's credential: SSL/TLS off, Disable STARTTLS on); the login is
 * required and checked, as on a real relay.
 */
export async function startMail({ port = 0, smtpPort = 0 } = {}) {
	const { listenHost, publicHost } = sandboxAddress();
	const mails = [];
	const smtp = new SMTPServer({
		secure: false,
		disabledCommands: ['STARTTLS'],
		authMethods: ['PLAIN', 'LOGIN'],
		banner: 'n8n-nodes-esign sandbox mail',
		onAuth(auth, _session, callback) {
			if (auth.username === MAIL_LOGIN.user && auth.password === MAIL_LOGIN.password)
				return callback(null, { user: auth.username });
			return callback(new Error('Invalid username or password'));
		},
		onData(stream, _session, callback) {
			simpleParser(stream)
				.then((parsed) => {
					const id = randomUUID();
					mails.unshift({
						id,
						receivedAt: new Date().toISOString(),
						messageId: parsed.messageId,
						from: addresses(parsed.from),
						to: addresses(parsed.to),
						cc: addresses(parsed.cc),
						subject: parsed.subject ?? '',
						text: parsed.text ?? '',
						html: typeof parsed.html === 'string' ? parsed.html : '',
						attachments: parsed.attachments.map((attachment) => ({
							filename: attachment.filename ?? '',
							contentType: attachment.contentType,
							size: attachment.content.length,
							sha256: createHash('sha256').update(attachment.content).digest('hex'),
							content: attachment.content,
						})),
					});
					callback();
				})
				.catch(callback);
		},
	});
	smtp.on('error', () => undefined); // a client dropping the connection is not our failure
	await new Promise((resolve, reject) => {
		smtp.server.once('error', reject);
		smtp.listen(smtpPort, listenHost, resolve);
	});
	const smtpAddress = smtp.server.address();

	let baseUrl = '';
	const publicMail = (mail) => ({
		...mail,
		attachments: mail.attachments.map(({ content: _content, ...attachment }, index) => ({
			...attachment,
			url: `${baseUrl}/__mails/${mail.id}/attachments/${index}`,
		})),
	});
	const web = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const json = (status, body) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		const attachment = /^\/__mails\/([^/]+)\/attachments\/(\d+)$/.exec(url.pathname);
		if (req.method === 'GET' && url.pathname === '/') {
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
			return res.end(mailPage(mails.map(publicMail)));
		}
		if (req.method === 'GET' && url.pathname === '/__smtp')
			return json(200, { host: publicHost, port: smtpAddress.port, ...MAIL_LOGIN });
		if (req.method === 'GET' && url.pathname === '/__mails')
			return json(200, mails.map(publicMail));
		if (req.method === 'POST' && url.pathname === '/__reset') {
			mails.length = 0;
			return json(200, {});
		}
		if (req.method === 'GET' && attachment) {
			const file = mails.find((mail) => mail.id === attachment[1])?.attachments[
				Number(attachment[2])
			];
			if (!file) return json(404, { error: 'no such attachment' });
			res.writeHead(200, {
				'content-type': file.contentType,
				'content-disposition': `attachment; filename="${encodeURIComponent(file.filename)}"`,
			});
			return res.end(file.content);
		}
		return json(404, { error: 'not found' });
	});
	await new Promise((resolve, reject) => {
		web.once('error', reject);
		web.listen(port, listenHost, resolve);
	});
	baseUrl = `http://${publicHost}:${web.address().port}`;
	return {
		name: 'mail',
		baseUrl,
		smtpPort: smtpAddress.port,
		mails,
		async close() {
			await Promise.all([
				new Promise((resolve) => smtp.close(resolve)),
				new Promise((resolve) => {
					web.closeAllConnections?.();
					web.close(resolve);
				}),
			]);
		},
	};
}
