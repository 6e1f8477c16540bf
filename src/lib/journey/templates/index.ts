import { translator, type Locale } from '../../i18n';
import { emptyJourney, parseJourney, type Journey, type LaneType } from '../schema';
import bankBranch from './bank-branch.json';
import { withTemplateSegments } from './segments';

/** Board templates offered at creation (contract: `blank`, `lifecycle`, `bank-branch`). */
export const TEMPLATE_NAMES = ['blank', 'lifecycle', 'bank-branch'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

const LANE_TYPES_IN_ORDER: LaneType[] = ['actions', 'touchpoints', 'channels', 'backstage', 'notes'];

/**
 * The journey a new board starts from, its stage and lane names in the creator's language.
 * The bank-branch case is research data and stays as recorded.
 */
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
			const parsed = parseJourney(bankBranch);
			if (!parsed.ok) throw new Error(`bank-branch template is invalid: ${parsed.error}`);
			return withTemplateSegments({ ...parsed.value, title: title || parsed.value.title }, 'bank-branch', locale);
		}
	}
}
