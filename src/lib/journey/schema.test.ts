import { describe, expect, it } from 'vitest';
import { emptyJourney, JOURNEY_FORMAT, parseJourney } from './schema';
import { readFixture } from '../../../tests/support/fixtures';

type JsonJourney = {
	format: unknown;
	touchpoints: Record<string, unknown>[];
	links: Record<string, unknown>[];
	evidence: Record<string, unknown>[];
	[key: string]: unknown;
};

function fixture(name: string): JsonJourney {
	return readFixture(name) as JsonJourney;
}

/** The bank-branch fixture with one change applied. */
function bankBranchWith(change: (journey: JsonJourney) => void): JsonJourney {
	const journey = fixture('bank-branch.journey.json');
	change(journey);
	return journey;
}

function errorOf(input: unknown): string {
	const result = parseJourney(input);
	if (result.ok) throw new Error('expected the journey to be rejected');
	return result.error;
}

describe('parseJourney', () => {
	it.each(['bank-branch.journey.json', 'credit-card-calls.journey.json', 'electronics-retailer.journey.json'])(
		'accepts the fixture %s',
		(name) => {
			const json = fixture(name);
			const result = parseJourney(json);
			expect(result.ok).toBe(true);
			if (!result.ok) return;
			expect(result.value.title).toBe(json.title);
			expect(result.value.touchpoints.map((touchpoint) => touchpoint.id)).toEqual(json.touchpoints.map((t) => t.id));
			expect(result.value.evidence).toHaveLength(json.evidence.length);
		}
	);

	it('accepts an empty journey, defaulting links and evidence', () => {
		const { links: _links, evidence: _evidence, ...bare } = emptyJourney('Bare');
		expect(parseJourney(bare)).toEqual({ ok: true, value: emptyJourney('Bare') });
	});

	it('treats a null emotion or score as absent', () => {
		const result = parseJourney(
			bankBranchWith((journey) => {
				journey.touchpoints[0].emotion = null;
				journey.touchpoints[0].importance = null;
			})
		);
		expect(result.ok && result.value.touchpoints[0].emotion).toBeUndefined();
		expect(result.ok && result.value.touchpoints[0].importance).toBeUndefined();
	});

	it('accepts the limits of the emotion and score ranges', () => {
		const result = parseJourney(
			bankBranchWith((journey) => {
				Object.assign(journey.touchpoints[0], { emotion: -5, expectation: 0, experience: 10 });
				Object.assign(journey.touchpoints[1], { emotion: 5, importance: 0, ideal: 10 });
			})
		);
		expect(result.ok).toBe(true);
	});

	it('rejects input that is not a journey object', () => {
		expect(errorOf(null)).toBeTruthy();
		expect(errorOf('journey')).toBeTruthy();
	});

	it('rejects a wrong format tag, naming the field', () => {
		expect(errorOf(bankBranchWith((journey) => (journey.format = 'journey-map/v2')))).toBe(`format: must be "${JOURNEY_FORMAT}"`);
		expect(errorOf(bankBranchWith((journey) => delete (journey as Partial<JsonJourney>).format))).toMatch(/^format: /);
	});

	it('rejects an emotion outside −5…5', () => {
		const error = errorOf(bankBranchWith((journey) => (journey.touchpoints[2].emotion = 6)));
		expect(error).toBe('touchpoints[2].emotion: must be an integer from -5 to 5');
		expect(errorOf(bankBranchWith((journey) => (journey.touchpoints[2].emotion = -6)))).toMatch(/^touchpoints\[2\]\.emotion: /);
	});

	it('rejects a fractional emotion', () => {
		expect(errorOf(bankBranchWith((journey) => (journey.touchpoints[3].emotion = 1.5)))).toBe(
			'touchpoints[3].emotion: must be an integer from -5 to 5'
		);
	});

	it.each(['expectation', 'experience', 'importance', 'ideal'])('rejects %s outside 0…10', (field) => {
		expect(errorOf(bankBranchWith((journey) => (journey.touchpoints[4][field] = 11)))).toBe(
			`touchpoints[4].${field}: must be from 0 to 10`
		);
		expect(errorOf(bankBranchWith((journey) => (journey.touchpoints[4][field] = -1)))).toBe(
			`touchpoints[4].${field}: must be from 0 to 10`
		);
	});

	it('rejects an unknown touchpoint kind', () => {
		expect(errorOf(bankBranchWith((journey) => (journey.touchpoints[0].kind = 'peak')))).toMatch(
			/^touchpoints\[0\]\.kind: must be one of neutral, positive-peak, negative-peak/
		);
	});

	it('rejects duplicate ids, naming the second one', () => {
		expect(errorOf(bankBranchWith((journey) => (journey.touchpoints[5].id = 't1')))).toBe('touchpoints[5].id: "t1" is used twice');
		expect(errorOf(bankBranchWith((journey) => (journey.evidence[1].id = 'e1')))).toBe('evidence[1].id: "e1" is used twice');
	});

	it('accepts an unplaced touchpoint as exported: its stage or lane gone, or the id left out', () => {
		const gone = parseJourney(bankBranchWith((journey) => (journey.touchpoints[6].stageId = 's9')));
		expect(gone.ok && gone.value.touchpoints[6].stageId).toBe('s9');
		const leftOut = parseJourney(bankBranchWith((journey) => delete journey.touchpoints[6].laneId));
		expect(leftOut.ok && leftOut.value.touchpoints[6].laneId).toBe('');
	});

	it('reads a touchpoint exported without title or kind as untitled and neutral', () => {
		const parsed = parseJourney(
			bankBranchWith((journey) => {
				delete journey.touchpoints[2].title;
				delete journey.touchpoints[2].kind;
			})
		);
		expect(parsed.ok && { title: parsed.value.touchpoints[2].title, kind: parsed.value.touchpoints[2].kind }).toEqual({
			title: '',
			kind: 'neutral'
		});
	});

	it('rejects a link to a touchpoint that does not exist', () => {
		expect(errorOf(bankBranchWith((journey) => (journey.links[0].source = 'gone')))).toBe('links[0].source: no touchpoint "gone"');
		expect(errorOf(bankBranchWith((journey) => (journey.links[3].target = 'gone')))).toBe('links[3].target: no touchpoint "gone"');
	});

	it('rejects evidence for a touchpoint that does not exist', () => {
		expect(errorOf(bankBranchWith((journey) => (journey.evidence[2].touchpointId = 'gone')))).toBe(
			'evidence[2].touchpointId: no touchpoint "gone"'
		);
	});

	it('rejects a negative evidence count', () => {
		expect(errorOf(bankBranchWith((journey) => (journey.evidence[0].count = -1)))).toBe('evidence[0].count: must not be negative');
	});
});
