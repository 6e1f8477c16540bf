import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../i18n';
import type { Journey } from '../schema';
import bankBranch from './bank-branch.json';
import { TEMPLATE_NAMES, TEMPLATE_TEXT, templateJourney } from './index';

/** The fields a person reads, of each collection: what must be in the creator's language. */
const TEXT_FIELDS: Record<string, string[]> = {
	stages: ['name'],
	lanes: ['name'],
	touchpoints: ['title', 'description', 'channel', 'owner'],
	evidence: ['text', 'source', 'unit'],
	links: ['label'],
	segments: ['name', 'description']
};

function texts(journey: Journey): string[] {
	const all = journey.title ? [journey.title] : [];
	for (const [collection, fields] of Object.entries(TEXT_FIELDS)) {
		for (const item of journey[collection as keyof Journey] as unknown as Record<string, unknown>[]) {
			for (const field of fields) if (typeof item[field] === 'string' && item[field] !== '') all.push(item[field] as string);
		}
	}
	return all;
}

/** The journey without its wording: structure and numbers only. */
function numbersOf(journey: Journey): unknown {
	const blanked: Record<string, unknown> = { ...journey, title: '' };
	for (const [collection, fields] of Object.entries(TEXT_FIELDS)) {
		blanked[collection] = (journey[collection as keyof Journey] as unknown as Record<string, unknown>[]).map((item) => ({
			...item,
			...Object.fromEntries(fields.filter((field) => field in item).map((field) => [field, '']))
		}));
	}
	return blanked;
}

describe('templates in the creator language', () => {
	it.each(TEMPLATE_NAMES)('%s in Chinese has Chinese in every text a person reads', (name) => {
		const journey = templateJourney(name, '', 'zh-CN');
		const english = texts(journey).filter((text) => !/\p{Script=Han}/u.test(text));
		expect(english).toEqual([]);
		expect(journey.stages.length).toBeGreaterThan(0);
	});

	it.each(TEMPLATE_NAMES)('%s has the same structure and numbers in every language', (name) => {
		const [first, ...others] = LOCALES.map((locale) => numbersOf(templateJourney(name, 'Board', locale)));
		for (const other of others) expect(other).toStrictEqual(first);
	});

	it('bank-branch wording names only items the template has, and covers each of them', () => {
		for (const [locale, text] of Object.entries(TEMPLATE_TEXT['bank-branch'] ?? {})) {
			for (const [collection, byId] of Object.entries(text ?? {})) {
				if (collection === 'title') continue;
				const items = (bankBranch as unknown as Record<string, { id: string }[]>)[collection];
				expect(items, `${locale} ${collection}`).toBeDefined();
				expect(Object.keys(byId as object).sort()).toEqual(
					items
						.filter((item) => TEXT_FIELDS[collection]?.some((field) => (item as Record<string, unknown>)[field]))
						.map((item) => item.id)
						.sort()
				);
			}
		}
	});

	it('keeps the title the creator gave, else the template title in their language', () => {
		expect(templateJourney('bank-branch', '网点周会', 'zh-CN').title).toBe('网点周会');
		expect(templateJourney('bank-branch', '', 'zh-CN').title).toBe('零售银行网点到访——金卡客户');
		expect(templateJourney('bank-branch', '', 'en').title).toBe('Retail bank branch visit — gold-card customer');
		expect(templateJourney('bank-branch', '', 'zh-CN').touchpoints.map((touchpoint) => touchpoint.title)).toContain('排队/等候');
	});
});
