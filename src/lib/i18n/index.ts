import { formatMessage, type EmptyParams, type ParamValue, type TemplateParams } from './format';
import { en, type Catalog, type MessageKey } from './messages/en';
import { zh } from './messages/zh';

export type { MessageKey };

/** The languages of the interface and of exports; the first is the fallback. */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_COOKIE = 'locale';
/** How long a chosen language is remembered. */
export const LOCALE_COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60;

/** The one message catalog: every language's text for every key. */
export const CATALOGS: Record<Locale, Catalog> = { en, 'zh-CN': zh };

/** The parameters of a message, from its English text: `'{count} selected'` → `{ count: string | number }`. */
export type MessageParams<K extends MessageKey> = TemplateParams<(typeof en)[K]>;

/** A message without placeholders takes no parameters. */
type NoParams = { readonly [name: string]: never };

/** The parameters argument of a message: required when it has placeholders, otherwise optional and empty. */
export type MessageArgs<K extends MessageKey> = EmptyParams extends MessageParams<K> ? [params?: NoParams] : [params: MessageParams<K>];

/** A message's text in some language: `t('boards.mentions', { count: 3 })`. Unknown keys and parameters are type errors. */
export type Translate = <K extends MessageKey>(key: K, ...params: MessageArgs<K>) => string;

/** The messages of one language, e.g. for an export written in the language of whoever asked for it. */
export type Translator = Translate & { readonly locale: Locale };

/** The keys under a prefix, without it: `KeySuffix<'role.'>` → `'owner' | 'editor' | …`. */
export type KeySuffix<Prefix extends string> = MessageKey extends infer K ? (K extends `${Prefix}${infer Suffix}` ? Suffix : never) : never;

// A Chinese text with other parameters than the English one is a type error here, naming the key.
type SameNames<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
type MismatchedParams = {
	[K in MessageKey]: SameNames<TemplateParams<(typeof en)[K]>, TemplateParams<(typeof zh)[K]>> extends true ? never : K;
}[MessageKey];
type ExpectNone<T extends never> = T;
export type ChineseParamsMatchEnglish = ExpectNone<MismatchedParams>;

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

/** The text of a message in a locale, with its parameters filled in and its plurals chosen for the locale. */
export function translate<K extends MessageKey>(locale: Locale, key: K, ...[params]: MessageArgs<K>): string {
	const catalog = CATALOGS[locale] ?? en;
	const language = CATALOGS[locale] ? locale : 'en';
	// An unknown key (only possible past the type checker) shows itself rather than breaking the page.
	const template: string | undefined = catalog[key] ?? en[key];
	return template === undefined ? key : formatMessage(language, template, params as Record<string, ParamValue> | undefined);
}

/** The messages of one locale, as a function that also tells its locale. */
export function translator(locale: Locale): Translator {
	const t: Translate = (key, ...params) => translate(locale, key, ...params);
	return Object.assign(t, { locale });
}
