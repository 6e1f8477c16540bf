import { describe, expect, it } from 'vitest';
import { formatCount, formatFigure, formatPercent, roundFigure } from './figures';

describe('the rounding rule', () => {
	it('rounds to one decimal, halves away from zero', () => {
		expect(roundFigure(-1.75)).toBe(-1.8);
		expect(roundFigure(1.75)).toBe(1.8);
		expect(roundFigure(-0.87)).toBe(-0.9);
		expect(roundFigure(0.05)).toBe(0.1);
		expect(roundFigure(-0.05)).toBe(-0.1);
		expect(roundFigure(2.25)).toBe(2.3);
		expect(roundFigure(-2.25)).toBe(-2.3);
		expect(roundFigure(2.24)).toBe(2.2);
		expect(roundFigure(1.005, 2)).toBe(1.01);
	});

	it('never gives −0 and leaves whole numbers alone', () => {
		expect(Object.is(roundFigure(-0.04), 0)).toBe(true);
		expect(roundFigure(-4)).toBe(-4);
		expect(roundFigure(2.5, 0)).toBe(3);
		expect(roundFigure(-2.5, 0)).toBe(-3);
	});

	it('formats figures with a typographic minus and an optional plus', () => {
		expect(formatFigure(-1.75)).toBe('−1.8');
		expect(formatFigure(-0.87)).toBe('−0.9');
		expect(formatFigure(2.25, { signed: true })).toBe('+2.3');
		expect(formatFigure(2, { signed: true })).toBe('+2');
		expect(formatFigure(-0.04, { signed: true })).toBe('0');
		expect(formatFigure(-2, { minus: '-' })).toBe('-2');
	});

	it('formats percentages and counts', () => {
		expect(formatPercent(0.125)).toBe('13%');
		expect(formatPercent(0.2)).toBe('20%');
		expect(formatPercent(null)).toBe('—');
		expect(formatCount(1200)).toBe('1,200');
	});
});
