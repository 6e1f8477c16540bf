import { describe, expect, it } from 'vitest';
import { fixtureJourney as fixture } from '../../../../tests/support/fixtures';
import { departmentBurdens, emotionExtremes, formatNumber, formatPercent, journeyReport } from './report';

const bankBranch = fixture('bank-branch.journey.json');

describe('journeyReport', () => {
	it('joins each touchpoint, in journey order, with its stage, lane, evidence and figures', () => {
		const report = journeyReport(bankBranch);
		expect(report.touchpoints.map((entry) => entry.touchpoint.id)).toEqual(Array.from({ length: 15 }, (_, index) => `t${index + 1}`));
		const queue = report.byId.get('t8')!;
		expect(queue.stage?.name).toBe('Waiting');
		expect(queue.lane?.name).toBe('Touchpoints');
		expect(queue.evidence.map((item) => item.id)).toEqual(['e1', 'e2']);
		expect(queue.gap?.weighted).toBe(-36);
		expect(report.touchpoints.filter((entry) => entry.isPeak).map((entry) => entry.touchpoint.id)).toEqual(['t4']);
		expect(report.touchpoints.filter((entry) => entry.isEnd).map((entry) => entry.touchpoint.id)).toEqual(['t15']);
	});
});

describe('departmentBurdens', () => {
	it('sums the negative weighted gaps per owner, the worst first', () => {
		const burdens = departmentBurdens(journeyReport(bankBranch));
		expect(burdens.map((burden) => [burden.owner, burden.weighted])).toEqual([
			['Branch operations', -42],
			['Product', -28],
			['Wealth management', -14]
		]);
		expect(burdens[0].touchpoints.map((entry) => entry.touchpoint.id)).toEqual(['t8', 't2']);
	});

	it('groups owners written with different case or spacing', () => {
		const journey = {
			...bankBranch,
			touchpoints: bankBranch.touchpoints.map((t) => (t.id === 't13' ? { ...t, owner: ' branch OPERATIONS ' } : t))
		};
		expect(departmentBurdens(journeyReport(journey))[0]).toMatchObject({ owner: 'Branch operations', weighted: -70 });
	});
});

describe('formatting', () => {
	it('prints numbers with a typographic minus, a plus on request and one decimal by the rounding rule', () => {
		expect(formatNumber(-4)).toBe('−4');
		expect(formatNumber(3.5, { signed: true })).toBe('+3.5');
		expect(formatNumber(0, { signed: true })).toBe('0');
		expect(formatNumber(-0.001, { signed: true })).toBe('0');
		expect(formatNumber(0.6000000001)).toBe('0.6');
		expect(formatNumber(-1.75)).toBe('−1.8');
		expect(formatNumber(-0.87)).toBe('−0.9');
		expect(formatNumber(-2, { minus: '-' })).toBe('-2');
		expect(formatPercent(0.2)).toBe('20%');
		expect(formatPercent(null)).toBe('—');
	});

	it('finds the worst negative and best positive emotion, 0 for a missing side', () => {
		expect(emotionExtremes(bankBranch)).toEqual({ worstNegative: -4, bestPositive: 4 });
	});
});
