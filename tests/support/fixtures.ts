/** Journey fixtures in `tests/fixtures/`, shared by the unit and the sync suites. */
import { readFileSync } from 'node:fs';
import { parseJourney, type Journey } from '../../src/lib/journey/schema';

/** A fixture's JSON as stored, a fresh copy on every call (tests may change it). */
export function readFixture(name: string): unknown {
	return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
}

/** A fixture parsed through `parseJourney`; throws, naming the fixture, when it is not a valid journey. */
export function fixtureJourney(name: string): Journey {
	const parsed = parseJourney(readFixture(name));
	if (!parsed.ok) throw new Error(`${name}: ${parsed.error}`);
	return parsed.value;
}
