import { describe, expect, test } from 'vitest';
import { checkResponse, checkResponses, INTAKE_COMMENT_MAX_LENGTH, intakeEvidenceId } from './intake';
import { csvResponses, parseCsv, parseCsvRecords } from './intake-csv';

const targets = { touchpointIds: new Set(['t1', 't2']), segmentIds: new Set(['seg-a']) };

describe('checkResponse', () => {
	test('takes each metric at both ends of its range and refuses one past it', () => {
		const ranges = { nps: [0, 10], csat: [1, 5], ces: [1, 7], emotion: [-5, 5] } as const;
		for (const [metric, [min, max]] of Object.entries(ranges)) {
			expect(checkResponse({ touchpointId: 't1', metric, score: min }, targets)).toEqual({ touchpointId: 't1', metric, score: min });
			expect(checkResponse({ touchpointId: 't1', metric, score: max }, targets)).toMatchObject({ score: max });
			expect(checkResponse({ touchpointId: 't1', metric, score: max + 1 }, targets)).toBe(
				`score: ${metric} takes whole numbers from ${min} to ${max}`
			);
			expect(checkResponse({ touchpointId: 't1', metric, score: min - 1 }, targets)).toMatch(/^score:/);
		}
	});

	test('refuses fractions, unknown touchpoints and segments, bad dates, unknown fields and long comments', () => {
		expect(checkResponse({ touchpointId: 't1', metric: 'nps', score: 7.5 }, targets)).toBe('score: must be a whole number');
		expect(checkResponse({ touchpointId: 'tx', metric: 'nps', score: 7 }, targets)).toBe('touchpointId: the board has no touchpoint "tx"');
		expect(checkResponse({ touchpointId: 't1', metric: 'nps', score: 7, segmentId: 'seg-x' }, targets)).toBe(
			'segmentId: the board has no segment "seg-x"'
		);
		expect(checkResponse({ touchpointId: 't1', metric: 'nps', score: 7, at: 'yesterday' }, targets)).toBe('at: must be an ISO 8601 date');
		expect(checkResponse({ touchpointId: 't1', metric: 'nps', score: 7, at: '2026-02-30T10:00:00Z' }, targets)).toBe(
			'at: must be an ISO 8601 date'
		);
		expect(checkResponse({ touchpointId: 't1', metric: 'nps', score: 7, extra: 1 }, targets)).toMatch(/extra/);
		expect(
			checkResponse({ touchpointId: 't1', metric: 'nps', score: 7, comment: 'x'.repeat(INTAKE_COMMENT_MAX_LENGTH + 1) }, targets)
		).toMatch(/^comment:/);
		expect(checkResponse({ touchpointId: 't1', metric: 'stars', score: 7 }, targets)).toMatch(/^metric:/);
		expect(checkResponse('t1', targets)).toBeTypeOf('string');
	});

	test('keeps the optional fields, with `at` in milliseconds', () => {
		expect(
			checkResponse(
				{ id: 'r1', touchpointId: 't2', metric: 'csat', score: 4, comment: ' Quick ', segmentId: 'seg-a', at: '2026-03-01T09:30:00Z' },
				targets
			)
		).toEqual({
			id: 'r1',
			touchpointId: 't2',
			metric: 'csat',
			score: 4,
			comment: 'Quick',
			segmentId: 'seg-a',
			at: Date.UTC(2026, 2, 1, 9, 30)
		});
	});

	test('a batch answers every refused response with its index', () => {
		const result = checkResponses(
			[
				{ touchpointId: 't1', metric: 'nps', score: 9 },
				{ touchpointId: 't1', metric: 'nps', score: 11 },
				{ touchpointId: 't9', metric: 'ces', score: 2 }
			],
			targets
		);
		expect(result).toEqual({
			ok: false,
			errors: [
				{ index: 1, error: 'score: nps takes whole numbers from 0 to 10' },
				{ index: 2, error: 'touchpointId: the board has no touchpoint "t9"' }
			]
		});
	});

	test('evidence ids name the touchpoint and the metric', () => {
		expect(intakeEvidenceId('t1', 'nps')).toBe('intake-t1-nps');
	});
});

describe('CSV', () => {
	test('parses quotes, doubled quotes, CRLF, a BOM and semicolons', () => {
		expect(parseCsv('\uFEFFa;b;c\r\n"x;1";"say ""hi""";\r\n\r\n3;"line\nbreak";z')).toEqual([
			['a', 'b', 'c'],
			['x;1', 'say "hi"', ''],
			['3', 'line\nbreak', 'z']
		]);
		expect(parseCsv('a,b\n1,2\n')).toEqual([
			['a', 'b'],
			['1', '2']
		]);
	});

	const board = {
		touchpoints: [
			{ id: 't1', title: '排队等候' },
			{ id: 't2', title: 'Counter' },
			{ id: 't3', title: 'Counter' }
		],
		segments: [{ id: 'seg-a', name: '金卡客户' }]
	};

	test('names touchpoints and segments by id or exact title, and refuses a title two cards share', () => {
		const read = csvResponses(
			'Touchpoint;Metric;Score;Segment;Comment\n排队等候;NPS;9;金卡客户;太慢了\nt2;csat;4;;\n\nCounter;ces;2;;',
			board
		);
		expect(read).toEqual({
			ok: true,
			// As a spreadsheet numbers them: the header is row 1, the blank row 4 is counted.
			rowNumbers: [2, 3, 5],
			rows: [
				{ touchpointId: 't1', metric: 'nps', score: 9, segmentId: 'seg-a', comment: '太慢了' },
				{ touchpointId: 't2', metric: 'csat', score: 4 },
				'touchpoint: more than one touchpoint is titled "Counter"; use its id'
			]
		});
	});

	test('numbers rows as a spreadsheet does, a quoted line break staying in its row', () => {
		expect(parseCsvRecords('a,b\r\n"two\nlines",1\r\n\r\n\r\nx,2')).toEqual([
			{ cells: ['a', 'b'], row: 1 },
			{ cells: ['two\nlines', '1'], row: 2 },
			{ cells: ['x', '2'], row: 5 }
		]);
	});

	test('a header without the required columns is refused', () => {
		expect(csvResponses('touchpoint,value\nt1,3', board)).toEqual({
			ok: false,
			error: 'The header row must name the columns metric, score'
		});
	});
});
