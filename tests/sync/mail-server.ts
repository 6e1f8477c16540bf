/**
 * A real SMTP server on loopback (the `smtp-server` package) that keeps what it receives, for
 * suites that follow mailed links. Closed by `cleanup()` of ./helpers' callers via `close()`.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './helpers';

export const SMTP_USER = 'mailer';
export const SMTP_PASSWORD = 'mail-secret';

export interface ReceivedMail {
	to: string;
	subject: string;
	text: string;
	html: string;
	parsed: ParsedMail;
}

export interface MailServer {
	/** `smtp://user:password@127.0.0.1:<port>`, for the app's `SMTP_URL`. */
	url: string;
	received: ReceivedMail[];
	/** Waits for the next mail to `to` that was not taken yet, and takes it. */
	next(to: string): Promise<ReceivedMail>;
	close(): Promise<void>;
}

/** Starts the SMTP server; it accepts only `SMTP_USER`/`SMTP_PASSWORD` (plain auth, no TLS, loopback). */
export async function startMailServer(): Promise<MailServer> {
	const received: ReceivedMail[] = [];
	const taken = new Set<ReceivedMail>();
	const server = new SMTPServer({
		disabledCommands: ['STARTTLS'],
		allowInsecureAuth: true,
		logger: false,
		onAuth(auth, _session, callback) {
			if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: auth.username });
			else callback(new Error('Invalid username or password'));
		},
		onData(stream, session, callback) {
			simpleParser(stream)
				.then((parsed) => {
					for (const recipient of session.envelope.rcptTo) {
						received.push({
							to: recipient.address,
							subject: parsed.subject ?? '',
							text: parsed.text ?? '',
							html: typeof parsed.html === 'string' ? parsed.html : '',
							parsed
						});
					}
					callback();
				})
				.catch(callback);
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as AddressInfo;
	return {
		url: `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${port}`,
		received,
		async next(to) {
			const mail = await waitFor(() => received.find((candidate) => candidate.to === to && !taken.has(candidate)));
			taken.add(mail);
			return mail;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

/** The link of a mail's text that starts with this path, e.g. `/reset-password`. */
export function linkIn(mail: ReceivedMail, path: string): URL {
	const match = new RegExp(`https?://\\S+${path}\\?token=[a-z0-9]+`).exec(mail.text);
	if (!match) throw new Error(`no ${path} link in:\n${mail.text}`);
	return new URL(match[0]);
}
