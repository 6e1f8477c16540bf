import { translator, type Locale } from '../../i18n';
import { emptyJourney, parseJourney, type Journey, type LaneType } from '../schema';
import bankBranch from './bank-branch.json';
import bankBranchZh from './bank-branch.zh.json';
import { withTemplateSegments } from './segments';

/** Board templates offered at creation (contract: `blank`, `lifecycle`, `bank-branch`). */
export const TEMPLATE_NAMES = ['blank', 'lifecycle', 'bank-branch'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

const LANE_TYPES_IN_ORDER: LaneType[] = ['actions', 'touchpoints', 'channels', 'backstage', 'notes'];

/**
 * A template's wording in one language, apart from its structure and numbers: the title, and for
 * each collection (`stages`, `lanes`, `touchpoints`, `evidence`, … any collection with ids) the text
 * fields of its items by id. Fields left out keep the template's own (English) text.
 */
export interface TemplateText {
	title?: string;
	[collection: string]: string | Record<string, Record<string, string>> | undefined;
}

/** Wording of the data templates in languages other than English, the language their JSON is in. */
export const TEMPLATE_TEXT: Partial<Record<TemplateName, Partial<Record<Locale, TemplateText>>>> = {
	'bank-branch': { 'zh-CN': bankBranchZh }
};

/** `template` (journey JSON) with the wording of `text` laid over its items, matched by id. */
export function localizeTemplate<T extends object>(template: T, text: TemplateText | undefined): T {
	if (!text) return template;
	const localized = { ...template } as Record<string, unknown>;
	for (const [key, value] of Object.entries(text)) {
		if (key === 'title') {
			if (typeof value === 'string') localized.title = value;
			continue;
		}
		const items = localized[key];
		if (!Array.isArray(items) || typeof value !== 'object' || value === null) continue;
		localized[key] = items.map((item: { id?: string }) =>
			item.id !== undefined && value[item.id] ? { ...item, ...value[item.id] } : item
		);
	}
	return localized as T;
}

/** The journey a new board starts from, every name and text in the creator's language. */
export function templateJourney(name: TemplateName, title: string, locale: Locale = 'en'): Journey {
	const t = translator(locale);
	switch (name) {
		case 'blank':
			return {
				...emptyJourney(title),
				stages: [{ id: 'stage-1', name: t('template.stage'), order: 1 }],
				lanes: [{ id: 'lane-touchpoints', name: t('template.touchpoints'), order: 1, type: 'touchpoints' }]
			};
		case 'lifecycle':
			// Seed 004's customer lifecycle: purchase → usage → service experience.
			return withTemplateSegments(
				{
					...emptyJourney(title),
					stages: [
						{ id: 'stage-purchase', name: t('template.purchase'), order: 1 },
						{ id: 'stage-usage', name: t('template.usage'), order: 2 },
						{ id: 'stage-service', name: t('template.service'), order: 3 }
					],
					lanes: LANE_TYPES_IN_ORDER.map((type, index) => ({ id: `lane-${type}`, name: t(`template.${type}`), order: index + 1, type }))
				},
				'lifecycle',
				locale
			);
		case 'bank-branch': {
			const parsed = parseJourney(localizeTemplate(bankBranch, TEMPLATE_TEXT['bank-branch']?.[locale]));
			if (!parsed.ok) throw new Error(`bank-branch template is invalid: ${parsed.error}`);
			return withTemplateSegments({ ...parsed.value, title: title || parsed.value.title }, 'bank-branch', locale);
		}
	}
}
