import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from './en';
import { asLocale, LOCALES, negotiateLocale, translate } from './index';
import { zh } from './zh';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('negotiateLocale', () => {
	it('chooses Simplified Chinese for any Chinese tag', () => {
		expect(negotiateLocale('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
		expect(negotiateLocale('zh')).toBe('zh-CN');
		expect(negotiateLocale('zh-TW')).toBe('zh-CN');
		expect(negotiateLocale('ZH-cn')).toBe('zh-CN');
	});

	it('chooses English for English tags', () => {
		expect(negotiateLocale('en-US,en;q=0.9')).toBe('en');
		expect(negotiateLocale('en-GB')).toBe('en');
	});

	it('follows the quality values, not the order in the header', () => {
		expect(negotiateLocale('en;q=0.5, zh-CN;q=0.9')).toBe('zh-CN');
		expect(negotiateLocale('zh;q=0.4, en;q=0.8')).toBe('en');
	});

	it('skips languages it does not offer', () => {
		expect(negotiateLocale('fr-FR, de;q=0.9, zh;q=0.5')).toBe('zh-CN');
		expect(negotiateLocale('fr-FR, de;q=0.9')).toBe('en');
	});

	it('falls back to English for a missing, empty or malformed header', () => {
		expect(negotiateLocale(undefined)).toBe('en');
		expect(negotiateLocale(null)).toBe('en');
		expect(negotiateLocale('')).toBe('en');
		expect(negotiateLocale(';;,,q=')).toBe('en');
		expect(negotiateLocale('*')).toBe('en');
	});
});

describe('asLocale', () => {
	it('accepts only supported locales', () => {
		expect(asLocale('zh-CN')).toBe('zh-CN');
		expect(asLocale('en')).toBe('en');
		expect(asLocale('zh')).toBeNull();
		expect(asLocale('')).toBeNull();
		expect(asLocale(undefined)).toBeNull();
	});
});

describe('translate', () => {
	it('returns the text of the locale', () => {
		expect(translate('en', 'auth.login')).toBe('Log in');
		expect(translate('zh-CN', 'auth.login')).toBe('登录');
	});

	it('fills placeholders from the parameters', () => {
		expect(translate('en', 'boards.confirmDelete', { title: 'Bank branch' })).toBe(
			'Delete the board "Bank branch" for everyone? This cannot be undone.'
		);
		expect(translate('zh-CN', 'boards.updated', { when: 3 })).toBe('更新于 3');
	});

	it('leaves a placeholder without a parameter visible', () => {
		expect(translate('en', 'boards.updated')).toBe('Updated {when}');
	});

	it('does not interpret a parameter as a placeholder or a replacement pattern', () => {
		expect(translate('en', 'boards.updated', { when: '{title} $& $1' })).toBe('Updated {title} $& $1');
	});
});

describe('catalogs', () => {
	const enKeys = Object.keys(en) as MessageKey[];

	it('has a Chinese text for every English key, and no extra keys', () => {
		expect(Object.keys(zh).sort()).toEqual([...enKeys].sort());
	});

	it('has no empty text in any locale', () => {
		for (const locale of LOCALES) {
			for (const key of enKeys) expect(translate(locale, key), `${locale} ${key}`).not.toBe('');
		}
	});

	it('uses the same placeholders in both languages', () => {
		for (const key of enKeys) expect(placeholders(zh[key]), key).toEqual(placeholders(en[key]));
	});

	it('uses the Chinese terms of docs/method.md (Concepts)', () => {
		expect(zh['kind.positive-peak']).toContain('关键时刻');
		expect(zh['kind.negative-peak']).toContain('关键时刻');
	});
});
