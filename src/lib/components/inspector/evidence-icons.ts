import type { EvidenceType } from '$lib/journey/schema';

/** A symbol per evidence type, shown beside its translated name (plain glyphs, no emoji font needed). */
export const EVIDENCE_ICON: Record<EvidenceType, string> = {
	quote: '❝',
	metric: 'Σ',
	observation: '◉',
	link: '↗',
	file: '▤'
};
