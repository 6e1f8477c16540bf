import { emptyJourney, parseJourney, type Journey, type LaneType } from '../schema';
import bankBranch from './bank-branch.json';

/** Board templates offered at creation (contract: `blank`, `lifecycle`, `bank-branch`). */
export const TEMPLATE_NAMES = ['blank', 'lifecycle', 'bank-branch'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** Languages the built-in stage and lane names come in. */
export type TemplateLanguage = 'en' | 'zh-CN';

// Names as docs/method.md (Concepts) gives them in English and in the zh-CN interface's terms.
const NAMES = {
	en: {
		stage: 'Stage 1',
		purchase: 'Purchase experience',
		usage: 'Usage experience',
		service: 'Service experience',
		actions: 'Customer actions',
		touchpoints: 'Touchpoints',
		channels: 'Channels',
		backstage: 'Backstage',
		notes: 'Notes'
	},
	'zh-CN': {
		stage: '阶段 1',
		purchase: '购买体验',
		usage: '使用体验',
		service: '服务体验',
		actions: '客户行为',
		touchpoints: '接触点',
		channels: '渠道',
		backstage: '后台',
		notes: '备注'
	}
} as const;

const LANE_TYPES_IN_ORDER: LaneType[] = ['actions', 'touchpoints', 'channels', 'backstage', 'notes'];

/**
 * The journey a new board starts from, its stage and lane names in the creator's language.
 * The bank-branch case is research data and stays as recorded.
 */
export function templateJourney(name: TemplateName, title: string, language: TemplateLanguage = 'en'): Journey {
	const names = NAMES[language] ?? NAMES.en;
	switch (name) {
		case 'blank':
			return {
				...emptyJourney(title),
				stages: [{ id: 'stage-1', name: names.stage, order: 1 }],
				lanes: [{ id: 'lane-touchpoints', name: names.touchpoints, order: 1, type: 'touchpoints' }]
			};
		case 'lifecycle':
			// Seed 004's customer lifecycle: purchase → usage → service experience.
			return {
				...emptyJourney(title),
				stages: [
					{ id: 'stage-purchase', name: names.purchase, order: 1 },
					{ id: 'stage-usage', name: names.usage, order: 2 },
					{ id: 'stage-service', name: names.service, order: 3 }
				],
				lanes: LANE_TYPES_IN_ORDER.map((type, index) => ({ id: `lane-${type}`, name: names[type], order: index + 1, type }))
			};
		case 'bank-branch': {
			const parsed = parseJourney(bankBranch);
			if (!parsed.ok) throw new Error(`bank-branch template is invalid: ${parsed.error}`);
			return { ...parsed.value, title: title || parsed.value.title };
		}
	}
}
