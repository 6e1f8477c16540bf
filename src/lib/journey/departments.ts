import type { WeightedGap } from './analysis';
import type { Touchpoint } from './schema';

/** A department's share of the journey's worst experiences. */
export interface DepartmentBurden {
	owner: string;
	/** Sum of the negative weighted gaps of the department's touchpoints. */
	weighted: number;
	touchpointIds: string[];
}

/**
 * The departments that own the touchpoints with negative weighted gaps, worst total first
 * (docs/method.md, "Departments owning the worst touchpoints": route each finding to the person who can fix it). Unowned touchpoints group under ''.
 */
export function departmentBurdens(touchpoints: readonly Touchpoint[], gaps: readonly WeightedGap[]): DepartmentBurden[] {
	const ownerOf = new Map(touchpoints.map((touchpoint) => [touchpoint.id, touchpoint.owner.trim()]));
	const burdens = new Map<string, DepartmentBurden>();
	for (const gap of gaps) {
		if (gap.weighted === null || gap.weighted >= 0) continue;
		const owner = ownerOf.get(gap.touchpointId) ?? '';
		const burden = burdens.get(owner) ?? { owner, weighted: 0, touchpointIds: [] };
		burden.weighted += gap.weighted;
		burden.touchpointIds.push(gap.touchpointId);
		burdens.set(owner, burden);
	}
	return [...burdens.values()].sort((a, b) => a.weighted - b.weighted || a.owner.localeCompare(b.owner, 'en'));
}
