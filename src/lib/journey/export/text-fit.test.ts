import { describe, expect, it } from 'vitest';
import { ELLIPSIS, textWidth, truncate, wrapText } from './text-fit';

describe('text fitting', () => {
	it('measures ideographs a full em and Latin narrower', () => {
		expect(textWidth('银行', 10)).toBe(20);
		expect(textWidth('ab', 10)).toBeLessThan(20);
		expect(textWidth('ab', 10, true)).toBeGreaterThan(textWidth('ab', 10));
	});

	it('truncates with an ellipsis only when the text does not fit', () => {
		expect(truncate('Fees', 100, 13)).toBe('Fees');
		const cut = truncate('Queueing and waiting at the gold-card window', 80, 13);
		expect(cut.endsWith(ELLIPSIS)).toBe(true);
		expect(textWidth(cut, 13)).toBeLessThanOrEqual(80);
	});

	it('wraps between words, within the width and the line limit', () => {
		const lines = wrapText('Queueing and waiting at the gold-card window', 120, 13, 3, true);
		expect(lines.length).toBeLessThanOrEqual(3);
		for (const line of lines) expect(textWidth(line, 13, true)).toBeLessThanOrEqual(120);
		expect(lines.join(' ').replace(ELLIPSIS, '')).toMatch(/^Queueing and waiting/);
		expect(lines[0]).toBe('Queueing and');
	});

	it('ends the last line with an ellipsis when text is left over', () => {
		const lines = wrapText('one two three four five six seven eight nine ten eleven twelve', 60, 13, 2);
		expect(lines).toHaveLength(2);
		expect(lines[1].endsWith(ELLIPSIS)).toBe(true);
	});

	it('breaks Chinese between characters but never before closing punctuation', () => {
		const lines = wrapText('排队等候时间过长，金卡窗口排队二十分钟', 104, 13, 3);
		expect(lines.length).toBeGreaterThan(1);
		for (const line of lines.slice(1)) expect(line).not.toMatch(/^[，。、]/);
		expect(lines.join('')).toBe('排队等候时间过长，金卡窗口排队二十分钟');
	});

	it('cuts a word longer than a line', () => {
		const lines = wrapText('Supercalifragilisticexpialidocious', 60, 13, 5);
		expect(lines.length).toBeGreaterThan(1);
		expect(lines.join('')).toBe('Supercalifragilisticexpialidocious');
	});

	it('gives no lines for empty text', () => {
		expect(wrapText('   ', 100, 13, 3)).toEqual([]);
	});
});
