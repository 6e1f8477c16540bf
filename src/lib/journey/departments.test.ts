import { describe, expect, it } from 'vitest';
import type { WeightedGap } from './analysis';
import { departmentBurdens } from './departments';
import type { Touchpoint } from './schema';

const touchpoint = (id: string, owner: string) => ({ id, owner }) as Touchpoint;
const gap = (touchpointId: string, weighted: number | null) => ({ touchpointId, weighted }) as WeightedGap;

describe('departmentBurdens', () => {
	it('sums negative weighted gaps per owning department, worst first', () => {
		const burdens = departmentBurdens(
			[touchpoint('a', 'Branch operations'), touchpoint('b', 'Product'), touchpoint('c', 'Branch operations'), touchpoint('d', '')],
			[gap('a', -36), gap('b', -28), gap('c', -6), gap('d', -4), gap('a', null)]
		);
		expect(burdens).toEqual([
			{ owner: 'Branch operations', weighted: -42, touchpointIds: ['a', 'c'] },
			{ owner: 'Product', weighted: -28, touchpointIds: ['b'] },
			{ owner: '', weighted: -4, touchpointIds: ['d'] }
		]);
	});

	it('leaves out gaps that are not negative', () => {
		expect(departmentBurdens([touchpoint('a', 'X')], [gap('a', 0), gap('a', 12)])).toEqual([]);
	});
});
