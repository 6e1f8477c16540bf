import { describe, expect, it } from 'vitest';
import { journeyToDoc, readJourney } from '$lib/journey/document';
import { emptyJourney } from '$lib/journey/schema';
import { ActionCommands } from './action-commands';

describe('ActionCommands', () => {
	it('adds an open action in the middle of the matrix, nudges it from the document’s values within 1…5, links each card once', () => {
		const doc = journeyToDoc(emptyJourney('Board'));
		const commands = new ActionCommands(doc);
		const id = commands.add(readJourney(doc), { title: 'Fix it', touchpointIds: ['a', 'a'], createdBy: 'u1' })!;
		expect(readJourney(doc).actions?.[0]).toMatchObject({ id, status: 'open', impact: 3, effort: 3, customersTold: false });
		// Two presses before anyone re-reads the journey: both count.
		commands.nudge(id, 0, 1);
		commands.nudge(id, -1, 0);
		commands.nudge(id, 5, 5);
		expect(readJourney(doc).actions?.[0]).toMatchObject({ impact: 5, effort: 5 });
		commands.update(id, { due: '2026-02-01', assigneeId: 'u2' });
		commands.update(id, { due: '', assigneeId: '' });
		expect(readJourney(doc).actions?.[0].due).toBeUndefined();
		expect(readJourney(doc).actions?.[0].assigneeId).toBeUndefined();
	});
});
