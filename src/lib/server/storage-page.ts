import { translate, type Locale } from '../i18n';
import { STORAGE_UNAVAILABLE_STATUS } from './storage-errors';

/** Seconds a browser is told to wait before trying again. */
const RETRY_AFTER_SECONDS = 30;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The page a browser gets when storage fails under a page request (a form posted without script,
 * a session renewed on navigation): the same 507 as the API's, said in the reader's language,
 * with no script and no style, so it needs nothing from the server that cannot save.
 */
export function storageUnavailablePage(locale: Locale, path: string): Response {
	const title = translate(locale, 'error.storageTitle');
	const html = `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(translate(locale, 'error.storageBody'))}</p>
<p><a href="${escapeHtml(path)}">${escapeHtml(translate(locale, 'error.tryAgain'))}</a> · <a href="/boards">${escapeHtml(translate(locale, 'nav.boards'))}</a></p>
</main>
</body>
</html>
`;
	return new Response(html, {
		status: STORAGE_UNAVAILABLE_STATUS,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'retry-after': String(RETRY_AFTER_SECONDS),
			'cache-control': 'no-store',
			'content-security-policy': "default-src 'none'"
		}
	});
}
