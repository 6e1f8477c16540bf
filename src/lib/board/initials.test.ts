import { describe, expect, it } from 'vitest';
import { distinctInitials, initialsOf } from './initials';

describe('avatar initials', () => {
	it('takes the first letters of the first and last name, or the first two letters of one name', () => {
		expect(initialsOf('Gina Guest')).toBe('GG');
		expect(initialsOf('Olga')).toBe('OL');
		expect(initialsOf('  ')).toBe('?');
		expect(initialsOf('王小明')).toBe('王小');
	});

	it('gives two guests with the same initials different ones', () => {
		expect(distinctInitials(['Gina Guest', 'Greg Guest'])).toEqual(['GG', 'GR']);
		expect(distinctInitials(['Guest', 'Guest', 'Guest'])).toEqual(['GU', 'GE', 'GS']);
	});

	it('numbers people whose names offer no other letters', () => {
		expect(distinctInitials(['A', 'A', 'A'])).toEqual(['A', 'A2', 'A3']);
	});
});
