import { emptyJourney, parseJourney, type Journey, type Lane } from '../schema';
import bankBranch from './bank-branch.json';

/** Board templates offered at creation (contract: `blank`, `lifecycle`, `bank-branch`). */
export const TEMPLATE_NAMES = ['blank', 'lifecycle', 'bank-branch'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

const STANDARD_LANES: Lane[] = [
	{ id: 'lane-actions', name: 'Customer actions', order: 1, type: 'actions' },
	{ id: 'lane-touchpoints', name: 'Touchpoints', order: 2, type: 'touchpoints' },
	{ id: 'lane-channels', name: 'Channels', order: 3, type: 'channels' },
	{ id: 'lane-backstage', name: 'Backstage', order: 4, type: 'backstage' },
	{ id: 'lane-notes', name: 'Notes', order: 5, type: 'notes' }
];

/** The journey a new board starts from. */
export function templateJourney(name: TemplateName, title: string): Journey {
	switch (name) {
		case 'blank':
			return {
				...emptyJourney(title),
				stages: [{ id: 'stage-1', name: 'Stage 1', order: 1 }],
				lanes: [{ id: 'lane-touchpoints', name: 'Touchpoints', order: 1, type: 'touchpoints' }]
			};
		case 'lifecycle':
			// Seed 004's customer lifecycle: purchase → usage → service experience.
			return {
				...emptyJourney(title),
				stages: [
					{ id: 'stage-purchase', name: 'Purchase experience', order: 1 },
					{ id: 'stage-usage', name: 'Usage experience', order: 2 },
					{ id: 'stage-service', name: 'Service experience', order: 3 }
				],
				lanes: STANDARD_LANES
			};
		case 'bank-branch': {
			const parsed = parseJourney(bankBranch);
			if (!parsed.ok) throw new Error(`bank-branch template is invalid: ${parsed.error}`);
			return { ...parsed.value, title: title || parsed.value.title };
		}
	}
}
