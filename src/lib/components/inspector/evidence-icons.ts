import type { EvidenceType } from '$lib/journey/schema';

/** A symbol per evidence type, shown beside its translated name. */
export const EVIDENCE_ICON: Record<EvidenceType, string> = {
	quote: '❝',
	metric: '📊',
	observation: '👁',
	link: '🔗',
	file: '📄'
};
