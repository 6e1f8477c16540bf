import { createTransport, type Transporter } from 'nodemailer';
import { readConfig } from './config';

/** One mail: a plain-text part and an HTML part of the same text. */
export interface Mail {
	to: string;
	subject: string;
	text: string;
	html: string;
	/** A one-click way out, sent as the `List-Unsubscribe` header. */
	unsubscribeUrl?: string;
}

let transport: Transporter | null = null;

/** Whether `SMTP_URL` is set: only then does the interface offer what needs mail. */
export function mailConfigured(): boolean {
	return readConfig().smtpUrl !== null;
}

/**
 * Sends a mail through `SMTP_URL` from `MAIL_FROM`. Never throws: a mail server that is down is
 * logged, and the request that asked for the mail answers as it would have.
 */
export async function sendMail(mail: Mail): Promise<boolean> {
	const config = readConfig();
	if (!config.smtpUrl) return false;
	transport ??= createTransport(config.smtpUrl);
	try {
		const from = config.mailFrom || `Journey workspace <no-reply@${new URL(config.origin).hostname}>`;
		const { unsubscribeUrl, ...content } = mail;
		await transport.sendMail({ from, ...content, ...(unsubscribeUrl ? { list: { unsubscribe: unsubscribeUrl } } : {}) });
		return true;
	} catch (error) {
		console.error(`mail to ${mail.to} not sent:`, error instanceof Error ? error.message : error);
		return false;
	}
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to place in HTML. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

/** A mail of paragraphs around one link, as text and as HTML. */
export function linkMail(to: string, subject: string, paragraphs: string[], action: string, url: string, footer: string): Mail {
	const text = [...paragraphs, `${action}: ${url}`, footer].join('\n\n') + '\n';
	const html = [
		'<!doctype html><html><body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2933">',
		...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
		`<p><a href="${escapeHtml(url)}" style="display: inline-block; padding: 0.5em 1em; background: #2451b7; color: #fff; border-radius: 4px; text-decoration: none">${escapeHtml(action)}</a></p>`,
		`<p style="font-size: 0.9em; color: #52606d">${escapeHtml(url)}</p>`,
		`<p style="font-size: 0.9em; color: #52606d">${escapeHtml(footer)}</p>`,
		'</body></html>'
	].join('\n');
	return { to, subject, text, html };
}
