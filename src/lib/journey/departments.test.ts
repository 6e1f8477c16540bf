import { describe, expect, it } from 'vitest';
import type { WeightedGap } from './analysis';
import { boardNames, departmentBurdens, matchesFilter, nameKey, NO_FILTER, normalizeName, tidyName } from './departments';
import type { Touchpoint } from './schema';

const touchpoint = (id: string, owner: string, channel = '') => ({ id, owner, channel, kind: 'neutral' }) as Touchpoint;

describe('department and channel names', () => {
	it('tidy spaces and full-width letters, and share one key across case', () => {
		expect(tidyName('  Branch \t  operations \n')).toBe('Branch operations');
		expect(tidyName('Ｄｉｇｉｔａｌ')).toBe('Digital');
		expect(tidyName('　数字　银行　')).toBe('数字 银行');
		expect(nameKey('digital ')).toBe(nameKey('Digital'));
		expect(nameKey('DIGITAL')).toBe('digital');
	});

	it('go by the spelling the board uses most, the same for every reader', () => {
		const names = boardNames(['digital ', 'Digital', 'Digital', 'Call centre', ' ', 'call  centre']);
		expect(names).toEqual(
			new Map([
				['digital', 'Digital'],
				['call centre', 'Call centre']
			])
		);
		// A tie goes to the first in code-point order, whatever the order of the cards.
		expect(boardNames(['digital', 'Digital']).get('digital')).toBe('Digital');
		expect(boardNames(['Digital', 'digital']).get('digital')).toBe('Digital');
	});

	it('are stored as the board already spells them', () => {
		const known = boardNames(['Digital', 'Branch operations']);
		expect(normalizeName('digital ', known)).toBe('Digital');
		expect(normalizeName('  branch   OPERATIONS', known)).toBe('Branch operations');
		expect(normalizeName(' New  team ', known)).toBe('New team');
		expect(normalizeName('   ', known)).toBe('');
	});

	it('filter cards by department and channel key and by kind', () => {
		const card = { ...touchpoint('a', 'digital ', 'App'), kind: 'negative-peak' } as Touchpoint;
		expect(matchesFilter(card, NO_FILTER)).toBe(true);
		expect(matchesFilter(card, { ...NO_FILTER, department: 'digital' })).toBe(true);
		expect(matchesFilter(card, { ...NO_FILTER, department: 'branch' })).toBe(false);
		expect(matchesFilter(card, { ...NO_FILTER, channel: 'app', kind: 'negative-peak' })).toBe(true);
		expect(matchesFilter(card, { ...NO_FILTER, kind: 'neutral' })).toBe(false);
		expect(matchesFilter(touchpoint('b', ''), { ...NO_FILTER, department: '' })).toBe(true);
	});
});
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

	it('groups spellings of one department under the board spelling', () => {
		const burdens = departmentBurdens(
			[touchpoint('a', 'Digital'), touchpoint('b', 'digital '), touchpoint('c', 'Digital'), touchpoint('d', 'Branch')],
			[gap('a', -10), gap('b', -5), gap('d', -3)]
		);
		expect(burdens).toEqual([
			{ owner: 'Digital', weighted: -15, touchpointIds: ['a', 'b'] },
			{ owner: 'Branch', weighted: -3, touchpointIds: ['d'] }
		]);
	});

	it('leaves out gaps that are not negative', () => {
		expect(departmentBurdens([touchpoint('a', 'X')], [gap('a', 0), gap('a', 12)])).toEqual([]);
	});
});
