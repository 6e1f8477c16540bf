import { describe, expect, it } from 'vitest';
import { cardsToClipboard, CLIPBOARD_FORMAT, MAX_PASTED_CARDS, parseClipboardCards } from './clipboard';
import { emptyJourney } from './schema';
import { newTouchpoint } from './touchpoint';

const journey = {
	...emptyJourney('Board'),
	touchpoints: ['a', 'b', 'c'].map((id) => newTouchpoint({ id, stageId: 's', laneId: 'l', title: id, x: 0, y: 0 })),
	links: [
		{ id: 'ab', source: 'a', target: 'b', label: '' },
		{ id: 'bc', source: 'b', target: 'c', label: '' }
	],
	evidence: [
		{
			id: 'e',
			touchpointId: 'a',
			type: 'quote' as const,
			text: 'Hi',
			source: '',
			url: '',
			fileId: '',
			value: null,
			unit: '',
			count: null,
			createdBy: '',
			createdAt: ''
		}
	]
};

describe('clipboard cards', () => {
	it('round-trips the chosen cards with their evidence and the links between them', () => {
		const parsed = parseClipboardCards(cardsToClipboard(journey, ['a', 'b']));
		expect(parsed).toMatchObject({ ok: true });
		if (!parsed?.ok) return;
		expect(parsed.value.touchpoints.map((touchpoint) => touchpoint.id)).toEqual(['a', 'b']);
		expect(parsed.value.links.map((link) => link.id)).toEqual(['ab']);
		expect(parsed.value.evidence).toHaveLength(1);
	});

	it('leaves ordinary text alone and refuses invalid cards with the reason', () => {
		expect(parseClipboardCards('Just a note')).toBeNull();
		const bad = parseClipboardCards(JSON.stringify({ format: CLIPBOARD_FORMAT, touchpoints: [{ id: 'x', title: 'T'.repeat(400) }] }));
		expect(bad).toMatchObject({ ok: false });
		const many = Array.from(
			{ length: MAX_PASTED_CARDS + 1 },
			(_, index) => journey.touchpoints[0] && { ...journey.touchpoints[0], id: `t${index}` }
		);
		expect(parseClipboardCards(JSON.stringify({ format: CLIPBOARD_FORMAT, touchpoints: many }))).toMatchObject({ ok: false });
	});
});
