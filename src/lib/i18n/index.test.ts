import { describe, expect, it } from 'vitest';
import { journeyCsv } from '../journey/export/csv';
import { journeyMarkdown } from '../journey/export/markdown';
import { journeySvg } from '../journey/export/svg';
import { emptyJourney, type Journey } from '../journey/schema';
import { templateJourney } from '../journey/templates';
import { formatMessage, templateParamNames } from './format';
import { asLocale, CATALOGS, LOCALES, negotiateLocale, translate, translator, type MessageKey, type MessageParams } from './index';
import { en } from './messages/en';
import { zh } from './messages/zh';

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
		// @ts-expect-error a message with a placeholder needs its parameter
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
		for (const key of enKeys) expect(templateParamNames(zh[key]), key).toEqual(templateParamNames(en[key]));
	});

	it('uses the Chinese terms of docs/method.md (Concepts)', () => {
		expect(zh['kind.positive-peak']).toContain('关键时刻');
		expect(zh['kind.negative-peak']).toContain('关键时刻');
	});
});

describe('plurals', () => {
	it('chooses the English form by the count', () => {
		expect(translate('en', 'boards.mentions', { count: 1 })).toBe('1 unread mention');
		expect(translate('en', 'boards.mentions', { count: 3 })).toBe('3 unread mentions');
		expect(translate('en', 'boards.mentions', { count: 0 })).toBe('0 unread mentions');
		expect(translate('en', 'evidence.count', { count: 1 })).toBe('1 evidence item');
		expect(translate('en', 'evidence.customers', { count: 1 })).toBe('n = 1 customer');
		expect(translate('en', 'evidence.customers', { count: 412 })).toBe('n = 412 customers');
		expect(translate('en', 'members.hours', { count: 1 })).toBe('1 hour');
		expect(translate('en', 'members.hours', { count: 8 })).toBe('8 hours');
		expect(translate('en', 'members.days', { count: 1 })).toBe('1 day');
		expect(translate('en', 'members.days', { count: 7 })).toBe('7 days');
		expect(translate('en', 'workshop.votingOpen', { remaining: 0, budget: 1 })).toBe('Dot voting is open: 0 of 1 dot left');
		expect(translate('en', 'workshop.votingTitle', { remaining: 1, budget: 2 })).toBe('Dot voting: 1 of 2 dots left');
		expect(translate('en', 'board.manySelected', { count: 2 })).toMatch(/^2 items selected\./);
		expect(translate('en', 'import.done', { count: 1 })).toBe('Imported 1 touchpoint.');
		expect(translate('en', 'lane.confirmDelete', { name: 'Notes', count: 1 })).toBe(
			'The lane “Notes” holds 1 touchpoint. Delete it with that touchpoint?'
		);
		expect(translate('en', 'stage.confirmDelete', { name: 'Arrival', count: 4 })).toBe(
			'The stage “Arrival” holds 4 touchpoints. Delete it with all of them?'
		);
		expect(translate('en', 'analysis.coverage', { covered: 1, total: 1, percent: 100 })).toBe(
			'1 of 1 touchpoint has evidence (100%). The rest are assumptions.'
		);
		expect(translate('en', 'analysis.coverage', { covered: 2, total: 5, percent: 40 })).toBe(
			'2 of 5 touchpoints have evidence (40%). The rest are assumptions.'
		);
	});

	it('chooses each count of a message by itself', () => {
		const t = translator('en');
		expect(t('export.stagesAndTouchpoints', { touchpoints: 1, stages: 1 })).toBe('1 touchpoint in 1 stage');
		expect(t('export.stagesAndTouchpoints', { touchpoints: 15, stages: 1 })).toBe('15 touchpoints in 1 stage');
		expect(t('export.stagesAndTouchpoints', { touchpoints: 1, stages: 3 })).toBe('1 touchpoint in 3 stages');
		expect(t('export.report.assumptions', { count: 1 })).toBe('1 touchpoint is an assumption.');
		expect(t('export.report.assumptions', { count: 2 })).toBe('2 touchpoints are assumptions.');
		expect(t('export.summary.touchpointsCount', { count: 1 })).toBe('1 touchpoint');
	});

	it('has one form in Chinese', () => {
		expect(translate('zh-CN', 'boards.mentions', { count: 1 })).toBe('1 条未读提及');
		expect(translate('zh-CN', 'boards.mentions', { count: 3 })).toBe('3 条未读提及');
		expect(translate('zh-CN', 'members.hours', { count: 1 })).toBe('1 小时');
		expect(translate('zh-CN', 'evidence.customers', { count: 1 })).toBe('n = 1 位客户');
		expect(translate('zh-CN', 'export.stagesAndTouchpoints', { touchpoints: 1, stages: 2 })).toBe('2 个阶段，1 个接触点');
	});

	it('follows the plural rules of the language, exact matches first', () => {
		const template = '{count, plural, =0 {none} one {# file} few {# files (few)} other {# files}}';
		expect(formatMessage('en', template, { count: 0 })).toBe('none');
		expect(formatMessage('en', template, { count: 1 })).toBe('1 file');
		expect(formatMessage('en', template, { count: 3 })).toBe('3 files');
		expect(formatMessage('pl', template, { count: 3 })).toBe('3 files (few)');
		expect(formatMessage('zh-CN', template, { count: 1 })).toBe('1 files');
	});

	it('rejects malformed messages', () => {
		expect(() => formatMessage('en', '{count, plural, one {#}}', { count: 1 })).toThrow(SyntaxError);
		expect(() => formatMessage('en', '{count, select, a {x} other {y}}', { count: 1 })).toThrow(SyntaxError);
		expect(() => formatMessage('en', 'open {count', { count: 1 })).toThrow(SyntaxError);
		expect(() => formatMessage('en', 'close }', {})).toThrow(SyntaxError);
	});
});

describe('the catalog', () => {
	it('parses every message of every language', () => {
		for (const locale of LOCALES) {
			for (const [key, text] of Object.entries(CATALOGS[locale])) expect(() => templateParamNames(text), `${locale} ${key}`).not.toThrow();
		}
	});

	it('gives plural messages an English "one" form', () => {
		for (const [key, text] of Object.entries(en)) {
			if (text.includes(', plural,')) expect(text, key).toMatch(/\bone \{/);
		}
	});

	it('checks keys and parameters at compile time', () => {
		const t = translator('en');
		// @ts-expect-error a missing parameter
		expect(t('boards.mentions')).toBe('{count}');
		// @ts-expect-error an unknown parameter
		expect(t('boards.mentions', { count: 2, unread: true })).toBe('2 unread mentions');
		// @ts-expect-error a misspelt parameter
		expect(t('boards.mentions', { cuont: 2 })).toBe('{count}');
		// @ts-expect-error a plural's count must be a number
		expect(t('boards.mentions', { count: 'two' })).toBe('two unread mentions');
		// @ts-expect-error an unknown key
		expect(t('boards.unknown')).toBe('boards.unknown');
		// @ts-expect-error a message without placeholders takes no parameters
		expect(t('auth.login', { count: 1 })).toBe('Log in');
		// Keys built from a union of known names type-check.
		const role = 'commenter' as 'owner' | 'commenter';
		expect(t(`role.${role}`)).toBe('Commenter');
		const params: MessageParams<'export.report.coverageSentence'> = { covered: 1, total: 2, percent: '50%' };
		expect(t('export.report.coverageSentence', params)).toBe('1 of 2 touchpoints (50%) rests on at least one piece of evidence.');
	});
});

describe('exports', () => {
	const journey: Journey = templateJourney('bank-branch', 'Bank branch', 'zh-CN');
	const touchpoint = journey.touchpoints[0];
	const single: Journey = { ...journey, touchpoints: [touchpoint], links: [], evidence: [] };

	it('are written in Chinese from the same catalog', () => {
		const csv = journeyCsv(journey, 'zh-CN');
		expect(csv).toContain(zh['export.csv.satisfaction']);
		expect(csv).toContain(zh['export.csv.markingIssue']);
		const markdown = journeyMarkdown(journey, 'zh-CN');
		expect(markdown).toContain(`## ${zh['export.report.peakEnd']}`);
		expect(markdown).toContain(`${journey.stages.length} 个阶段，${journey.touchpoints.length} 个接触点`);
		expect(markdown).not.toMatch(/[Tt]ouchpoints? in/);
		const svg = journeySvg(journey, 'zh-CN');
		expect(svg).toContain(zh['grid.corner']);
		expect(svg).toContain(zh['emotion.curve']);
	});

	it('use the singular in English for one touchpoint', () => {
		const markdown = journeyMarkdown(single, 'en');
		expect(markdown).toContain(`Customer journey report: 1 touchpoint in ${single.stages.length} stages.`);
		expect(markdown).toContain('1 touchpoint is an assumption.');
		expect(journeySvg(single)).toContain('1 touchpoint in');
	});

	it('start new boards with stage and lane names in the creator’s language', () => {
		expect(templateJourney('lifecycle', 'x', 'zh-CN').stages.map((stage) => stage.name)).toEqual(['购买体验', '使用体验', '服务体验']);
		expect(templateJourney('blank', 'x').lanes[0].name).toBe('Touchpoints');
		expect(emptyJourney('x').touchpoints).toEqual([]);
	});
});
