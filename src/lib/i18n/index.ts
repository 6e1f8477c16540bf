import { en, type MessageKey } from './en';
import { zh } from './zh';

export type { MessageKey };

/** Interface languages; the first is the fallback. */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_COOKIE = 'locale';
/** How long a chosen language is remembered. */
export const LOCALE_COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60;

const CATALOGS: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zh };

/** A supported locale for a stored choice, or null. */
export function asLocale(value: string | null | undefined): Locale | null {
	return LOCALES.find((locale) => locale === value) ?? null;
}

/** The best locale for an Accept-Language header: any Chinese → zh-CN, otherwise English. */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
	const ranked = (acceptLanguage ?? '')
		.split(',')
		.map((part) => {
			const [tag, ...params] = part.trim().toLowerCase().split(';');
			const q = params.find((param) => param.trim().startsWith('q='));
			return { tag, q: q ? Number(q.trim().slice(2)) || 0 : 1 };
		})
		.filter((entry) => entry.tag && entry.q > 0)
		.sort((a, b) => b.q - a.q);
	for (const { tag } of ranked) {
		if (tag.startsWith('zh')) return 'zh-CN';
		if (tag.startsWith('en')) return 'en';
	}
	return 'en';
}

/** The text of a message in a locale, with `{name}` placeholders filled. */
export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
	const template = CATALOGS[locale]?.[key] ?? en[key];
	return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
