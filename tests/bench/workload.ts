/**
 * The one seeded workload every server gets: journeys made by a seeded generator, and touchpoint
 * moves (x and y of one card in one transaction) picked by a seeded generator.
 */
import * as Y from 'yjs';
import { journeyToDoc } from '../../src/lib/journey/document';
import { JOURNEY_FORMAT, type Journey, type Touchpoint } from '../../src/lib/journey/schema';
import { newTouchpoint } from '../../src/lib/journey/touchpoint';

/** The seed of every generator in the suite, so two runs send the same bytes. */
export const SEED = 20_240_606;

/** A small fast seeded generator (mulberry32); returns floats in [0, 1). */
export function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const STAGES = ['Discover', 'Consider', 'Sign up', 'Onboard', 'Use', 'Pay', 'Get help', 'Renew', 'Recommend', 'Leave'];
const LANES = [
	{ name: 'Customer actions', type: 'actions' },
	{ name: 'Touchpoints', type: 'touchpoints' },
	{ name: 'Channels', type: 'channels' },
	{ name: 'Backstage', type: 'backstage' }
] as const;
const CHANNELS = ['Web', 'App', 'Phone', 'Branch', 'Email', 'Chat'];
const OWNERS = ['Marketing', 'Sales', 'Support', 'Operations', 'Finance', 'IT'];
const WORDS = 'customer wants quick answer waits queue form app login card payment branch staff helpful confusing slow clear'.split(' ');

/** Column width of a stage on the generated board, in canvas units. */
const STAGE_WIDTH = 1_200;
const CARD_SPACING = 150;

/** A journey with `touchpoints` cards spread over ten stages; `descriptionChars` pads each description. */
export function generateJourney(touchpoints: number, options: { seed?: number; descriptionChars?: number; title?: string } = {}): Journey {
	const next = random(options.seed ?? SEED);
	const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
	const words = (count: number) => Array.from({ length: count }, () => pick(WORDS)).join(' ');
	const stages = STAGES.map((name, index) => ({ id: `stage-${index + 1}`, name, order: index, width: STAGE_WIDTH }));
	const lanes = LANES.map((lane, index) => ({ id: `lane-${index + 1}`, name: lane.name, order: index, type: lane.type }));
	const list: Touchpoint[] = [];
	for (let i = 0; i < touchpoints; i++) {
		const stage = i % stages.length;
		const slot = Math.floor(i / stages.length);
		const lane = slot % lanes.length;
		let description = words(12);
		const pad = options.descriptionChars ?? 0;
		while (description.length < pad) description += ` ${words(16)}`;
		list.push(
			newTouchpoint({
				id: `tp-${i}`,
				stageId: stages[stage].id,
				laneId: lanes[lane].id,
				title: `${pick(['Sees', 'Opens', 'Fills', 'Calls', 'Visits', 'Reads'])} ${words(2)} ${i}`,
				description: pad ? description.slice(0, pad) : description,
				kind: i % 17 === 0 ? 'negative-peak' : i % 13 === 0 ? 'positive-peak' : 'neutral',
				emotion: Math.floor(next() * 11) - 5,
				expectation: Math.floor(next() * 11),
				experience: Math.floor(next() * 11),
				importance: Math.floor(next() * 11),
				channel: pick(CHANNELS),
				owner: pick(OWNERS),
				x: stage * STAGE_WIDTH + 40 + (Math.floor(slot / lanes.length) % 7) * CARD_SPACING,
				y: lane * 200 + 40 + Math.floor(slot / lanes.length / 7) * 20
			})
		);
	}
	return {
		format: JOURNEY_FORMAT,
		title: options.title ?? `Benchmark journey (${touchpoints} touchpoints)`,
		stages,
		lanes,
		touchpoints: list,
		links: [],
		evidence: [],
		segments: []
	};
}

/** The journey as an encoded Yjs update (V1), as a client that imported it would hold it. */
export function journeyUpdate(journey: Journey): Uint8Array {
	const doc = journeyToDoc(journey);
	const update = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return update;
}

/** The write every benchmark client makes: moves one card (x and y in one transaction). */
export function moveTouchpoint(doc: Y.Doc, id: string, x: number, y: number): boolean {
	const touchpoint = doc.getMap<Y.Map<unknown>>('touchpoints').get(id);
	if (!(touchpoint instanceof Y.Map)) return false;
	doc.transact(() => {
		touchpoint.set('x', x);
		touchpoint.set('y', y);
	});
	return true;
}
