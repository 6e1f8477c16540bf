import { describe, expect, it } from 'vitest';
import { parseJourney, type Journey, type Touchpoint } from '../schema';
import { newTouchpoint } from '../touchpoint';
import { csvField, journeyCsv, neutraliseFormula, UTF8_BOM } from './csv';
import { parseCsv } from '../../../../tests/support/csv-reader';
import { fixtureJourney } from '../../../../tests/support/fixtures';

const bankBranch = fixtureJourney('bank-branch.journey.json');

function parsed(input: unknown): Journey {
	const result = parseJourney(input);
	if (!result.ok) throw new Error(result.error);
	return result.value;
}

function journeyWith(touchpoints: Partial<Touchpoint>[]): Journey {
	return parsed({
		format: 'journey-map/v1',
		title: 'T',
		stages: [{ id: 's1', name: 'Stage, "one"', order: 1 }],
		lanes: [{ id: 'l1', name: 'Lane', order: 1, type: 'touchpoints' }],
		touchpoints: touchpoints.map((fields, index) =>
			newTouchpoint({ id: `t${index + 1}`, stageId: 's1', laneId: 'l1', title: `Touchpoint ${index + 1}`, x: index * 150, ...fields })
		)
	});
}

describe('journeyCsv', () => {
	it('starts with a UTF-8 BOM and ends every record with CRLF', () => {
		const csv = journeyCsv(bankBranch);
		expect(csv.startsWith(UTF8_BOM)).toBe(true);
		expect(csv.endsWith('\r\n')).toBe(true);
		expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r]/);
	});

	it('parses back into a header and one row per touchpoint in journey order, with the computed values', () => {
		const [header, ...rows] = parseCsv(journeyCsv(bankBranch).slice(UTF8_BOM.length));
		expect(rows).toHaveLength(15);
		expect(rows.every((row) => row.length === header.length)).toBe(true);
		const column = (name: string) => header.indexOf(name);
		expect(header).toEqual(
			expect.arrayContaining([
				'Stage',
				'Lane',
				'Title',
				'Kind',
				'Emotion (−5…5)',
				'Weighted gap (importance × satisfaction)',
				'Is peak',
				'Is end',
				'Marking issue'
			])
		);
		expect(rows.map((row) => row[column('Id')])).toEqual(Array.from({ length: 15 }, (_, index) => `t${index + 1}`));
		const queue = rows[7];
		expect(queue[column('Title')]).toBe('Queueing and waiting');
		expect(queue[column('Stage')]).toBe('Waiting');
		expect(queue[column('Kind')]).toBe('Negative peak');
		expect(queue[column('Emotion (−5…5)')]).toBe('-4');
		expect(queue[column('Satisfaction (experience − expectation)')]).toBe('-4');
		expect(queue[column('Weighted gap (importance × satisfaction)')]).toBe('-36');
		expect(queue[column('Ideal gap (experience − ideal)')]).toBe('');
		expect(queue[column('Evidence items')]).toBe('2');
		expect(rows[3][column('Is peak')]).toBe('yes');
		expect(rows[14][column('Is end')]).toBe('yes');
		expect(rows.filter((row) => row[column('Is peak')] === 'yes')).toHaveLength(1);
		// "Clean hall, clear signage" holds a comma, so it is quoted and comes back whole.
		expect(rows[2][column('Description')]).toBe('Clean hall, clear signage');
	});

	it('quotes commas, quotes and line breaks (RFC 4180) and keeps Chinese intact', () => {
		const csv = journeyCsv(journeyWith([{ title: 'Say "hi", then\nleave', description: '排队，等候\r\n二十分钟', owner: '网点运营部' }]));
		expect(csv).toContain('"Say ""hi"", then\nleave"');
		const [header, row] = parseCsv(csv.slice(UTF8_BOM.length));
		expect(row[header.indexOf('Title')]).toBe('Say "hi", then\nleave');
		expect(row[header.indexOf('Description')]).toBe('排队，等候\r\n二十分钟');
		expect(row[header.indexOf('Owner (department)')]).toBe('网点运营部');
		expect(row[header.indexOf('Stage')]).toBe('Stage, "one"');
	});

	it('neutralises formulas behind leading whitespace', () => {
		for (const text of [' =1+1', '  +1', '\t=cmd', '\t-1', '\r\n@SUM(A1)', '\n=1', '\u00a0=1', '\u3000=1', ' \t -2']) {
			expect(neutraliseFormula(text), JSON.stringify(text)).toBe(`'${text}`);
		}
		for (const text of ['a = b', ' plain', 'x-1', '', '   ']) expect(neutraliseFormula(text), JSON.stringify(text)).toBe(text);
		expect(csvField(' =1+1')).toBe("' =1+1");
		expect(csvField('\r\n=1')).toBe(`"'\r\n=1"`);
	});

	it('neutralises formula injection in text but keeps negative numbers as numbers', () => {
		const csv = journeyCsv(
			journeyWith([
				{
					title: '=HYPERLINK("http://evil.example","click")',
					description: '+1+1',
					owner: '-2+3',
					channel: '@SUM(A1)',
					emotion: -3,
					expectation: 8,
					experience: 2,
					importance: 9
				},
				{ title: '\tTabbed', description: '\r=cmd' }
			])
		);
		const [header, first, second] = parseCsv(csv.slice(UTF8_BOM.length));
		const cell = (row: string[], name: string) => row[header.indexOf(name)];
		expect(cell(first, 'Title')).toBe(`'=HYPERLINK("http://evil.example","click")`);
		expect(cell(first, 'Description')).toBe("'+1+1");
		expect(cell(first, 'Owner (department)')).toBe("'-2+3");
		expect(cell(first, 'Channel')).toBe("'@SUM(A1)");
		expect(cell(first, 'Emotion (−5…5)')).toBe('-3');
		expect(cell(first, 'Satisfaction (experience − expectation)')).toBe('-6');
		expect(cell(first, 'Weighted gap (importance × satisfaction)')).toBe('-54');
		expect(cell(second, 'Title')).toBe("'\tTabbed");
		expect(cell(second, 'Description')).toBe("'\r=cmd");
		for (const row of [first, second]) {
			for (const [index, value] of row.entries()) {
				if (/^[=+@\t\r]/.test(value)) throw new Error(`${header[index]} starts a formula: ${value}`);
			}
		}
	});

	it('leaves cells empty where nothing is known and can be computed', () => {
		const [header, row] = parseCsv(journeyCsv(journeyWith([{ expectation: 5 }])).slice(UTF8_BOM.length));
		for (const name of [
			'Emotion (−5…5)',
			'Experience (0–10)',
			'Satisfaction (experience − expectation)',
			'Weighted gap (importance × satisfaction)',
			'Marking issue'
		]) {
			expect(row[header.indexOf(name)]).toBe('');
		}
		expect(row[header.indexOf('Expectation (0–10)')]).toBe('5');
		expect(row[header.indexOf('Evidence items')]).toBe('0');
	});

	it('writes the marking issue of a touchpoint whose kind contradicts its emotion', () => {
		const [header, row] = parseCsv(journeyCsv(journeyWith([{ kind: 'positive-peak', emotion: -2 }])).slice(UTF8_BOM.length));
		expect(row[header.indexOf('Marking issue')]).toMatch(/positive peak, but the emotion is not positive/);
	});

	it('writes Chinese headers and values for a Chinese reader', () => {
		const [header, row] = parseCsv(journeyCsv(bankBranch, 'zh-CN').slice(UTF8_BOM.length));
		expect(header).toContain('阶段');
		expect(header).toContain('加权差距（重要性 × 满意度）');
		expect(row[header.indexOf('类型')]).toBe('中性接触点');
	});

	it('is only a header for a journey without touchpoints', () => {
		expect(parseCsv(journeyCsv(journeyWith([])).slice(UTF8_BOM.length))).toHaveLength(1);
	});
});

describe('csv fields', () => {
	it('quote only when needed', () => {
		expect(csvField('plain')).toBe('plain');
		expect(csvField('a,b')).toBe('"a,b"');
		expect(csvField('a"b')).toBe('"a""b"');
		expect(csvField(null)).toBe('');
		expect(csvField(-1.5)).toBe('-1.5');
	});

	it('neutralise every formula start, and nothing else', () => {
		for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(neutraliseFormula(`${start}x`)).toBe(`'${start}x`);
		expect(neutraliseFormula('x=1')).toBe('x=1');
		expect(neutraliseFormula('')).toBe('');
	});
});
