/**
 * The customer segments the templates come with, in both interface languages, and the per-segment
 * values of the bank-branch case keyed by touchpoint id. Kept apart from the templates' stages,
 * lanes and touchpoints, so each part can change on its own.
 */
import type { Locale } from '../../i18n';
import type { Journey, Segment, SegmentValues } from '../schema';

type Bilingual = Record<'en' | 'zh', string>;

interface TemplateSegment {
	id: string;
	order: number;
	color: string;
	name: Bilingual;
	description: Bilingual;
}

const BANK_BRANCH_SEGMENTS: TemplateSegment[] = [
	{
		id: 'seg-vip',
		order: 1,
		color: '#7b3294',
		name: { en: 'VIP customers', zh: '贵宾客户' },
		description: {
			en: 'Served in the VIP room; usually banks with several banks, so expects much of advice and service quality.',
			zh: '在贵宾厅接受服务；大多同时被多家银行服务，对专业建议和服务质量的期望被拉高。'
		}
	},
	{
		id: 'seg-gold',
		order: 2,
		color: '#b8860b',
		name: { en: 'Gold-card customers', zh: '金卡客户' },
		description: {
			en: 'Queues at a dedicated window: waits less than regular customers, but the gold card promised more.',
			zh: '在专属窗口排队：等待时间远少于普通客户，但金卡带来了更高的期望。'
		}
	},
	{
		id: 'seg-regular',
		order: 3,
		color: '#1b7837',
		name: { en: 'Regular customers', zh: '普通客户' },
		description: { en: 'Queues in the main hall and expects little.', zh: '在大厅排队，期望不高。' }
	}
];

/**
 * What each segment feels and scores where it differs from all customers (touchpoint id → segment
 * id → values), after the source case: the VIP's positive peak is seeing and being seen in the VIP
 * room, service quality and professional advice its negative peaks (other banks raised its
 * expectations); the gold card waits less than the regular customer at the queue, yet is less
 * satisfied, and that pain outweighs the staff's friendliness in what it remembers.
 */
const BANK_BRANCH_VALUES: Record<string, Record<string, SegmentValues>> = {
	t5: {
		'seg-vip': { emotion: 5, expectation: 6, experience: 9, importance: 7 },
		'seg-regular': { emotion: 0, expectation: 3, experience: 3 }
	},
	t6: { 'seg-gold': { emotion: 3 } },
	t8: {
		'seg-vip': { emotion: 0, expectation: 9, experience: 8 },
		'seg-gold': { emotion: -5, expectation: 9, experience: 7 },
		'seg-regular': { emotion: -2, expectation: 4, experience: 4 }
	},
	t11: { 'seg-vip': { emotion: -4, expectation: 9, experience: 5, importance: 9 } },
	t12: { 'seg-vip': { emotion: -4, expectation: 9, experience: 6, importance: 9 } },
	t13: { 'seg-vip': { emotion: 1, expectation: 9, experience: 8 } },
	t15: { 'seg-vip': { emotion: 2 } }
};

const LIFECYCLE_SEGMENTS: TemplateSegment[] = [
	{
		id: 'seg-new',
		order: 1,
		color: '#2166ac',
		name: { en: 'New customers', zh: '新客户' },
		description: { en: 'First purchase: compares offers, expects guidance.', zh: '首次购买：货比三家，期待指导。' }
	},
	{
		id: 'seg-loyal',
		order: 2,
		color: '#d6604d',
		name: { en: 'Loyal customers', zh: '老客户' },
		description: { en: 'Buys again: expects to be recognised and served faster.', zh: '再次购买：期待被认出并得到更快的服务。' }
	}
];

function segmentsIn(list: readonly TemplateSegment[], locale: Locale): Segment[] {
	const language = locale === 'en' ? 'en' : 'zh';
	return list.map(({ id, order, color, name, description }) => ({
		id,
		order,
		color,
		name: name[language],
		description: description[language]
	}));
}

/** The journey with a template's segments, and, for the bank branch, their values on its touchpoints. */
export function withTemplateSegments(journey: Journey, template: 'lifecycle' | 'bank-branch', locale: Locale): Journey {
	if (template === 'lifecycle') return { ...journey, segments: segmentsIn(LIFECYCLE_SEGMENTS, locale) };
	return {
		...journey,
		segments: segmentsIn(BANK_BRANCH_SEGMENTS, locale),
		touchpoints: journey.touchpoints.map((touchpoint) =>
			BANK_BRANCH_VALUES[touchpoint.id] ? { ...touchpoint, bySegment: BANK_BRANCH_VALUES[touchpoint.id] } : touchpoint
		)
	};
}
