import { getContext, setContext } from 'svelte';
import { LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE_S, translate, type Locale, type Translate } from './index';

/** The person's interface language, reactive; `t` re-renders when it changes. */
export class I18n {
	locale = $state<Locale>('en');

	constructor(locale: Locale) {
		this.locale = locale;
	}

	t: Translate = (key, ...params) => translate(this.locale, key, ...params);

	/** Switches language and remembers the choice in a cookie. */
	choose(locale: Locale): void {
		this.locale = locale;
		document.cookie = `${LOCALE_COOKIE}=${locale}; path=/; max-age=${LOCALE_COOKIE_MAX_AGE_S}; samesite=lax`;
		document.documentElement.lang = locale;
	}
}

const KEY = Symbol('i18n');

export function setI18n(i18n: I18n): I18n {
	return setContext(KEY, i18n);
}

export function getI18n(): I18n {
	return getContext<I18n>(KEY);
}
