// Touchpoint titles typed by several people at once, and integrations that write the plain string
// (docs/api.md, "Collaborative text"), against the built server with real providers.
import { afterEach, describe, expect, it } from 'vitest';
import { patchItem, putItem } from '../../src/lib/journey/document';
import { typeText } from '../../src/lib/journey/text-fields';
import { cleanup, connectClient, getJourney, touchpoint, waitFor } from './helpers';
import { card, textOf, typeOfflineAtOnce } from './offline-typing';
import { ALICE_AND_BOB, setupBoard } from './setup';

afterEach(cleanup);

describe('collaborative titles', () => {
	it('merge two people typing offline at once, each run kept together, and every reader gets the merged string', async () => {
		const { server, owner, boardId, clients } = await setupBoard(ALICE_AND_BOB);
		const [alice, bob] = clients;
		const merged = await typeOfflineAtOnce(alice, bob);
		await waitFor(
			() => card(alice.doc, 'tp-1').get('title') === merged && card(bob.doc, 'tp-1').get('title') === merged,
			'the string to follow'
		);
		const journey = await getJourney(server, owner, boardId);
		expect(journey.touchpoints.find((item) => item.id === 'tp-1')?.title).toBe(merged);
	});

	it('take a plain string from an integration on the stock provider, and editors see it in the text', async () => {
		const { server, owner, boardId, clients } = await setupBoard(ALICE_AND_BOB);
		const [alice] = clients;
		putItem(alice.doc, 'touchpoints', touchpoint('tp-1', { title: 'Card' }));
		typeText(card(alice.doc, 'tp-1'), 'title', 'Card typed in the app');

		const integration = connectClient(server, owner.cookie, boardId);
		await integration.synced;
		await waitFor(() => textOf(integration.doc, 'tp-1') === 'Card typed in the app', 'the integration to see the card');
		// A reader that expects a string gets the title's text.
		expect(card(integration.doc, 'tp-1').get('title')).toBe('Card typed in the app');
		patchItem(integration.doc, 'touchpoints', 'tp-1', { title: 'Renamed by the CRM' });

		await waitFor(() => textOf(alice.doc, 'tp-1') === 'Renamed by the CRM', "Alice's editor to show the integration's title");
		expect(card(alice.doc, 'tp-1').get('title')).toBe('Renamed by the CRM');
		const journey = await waitFor(async () => {
			const current = await getJourney(server, owner, boardId);
			return current.touchpoints.find((item) => item.id === 'tp-1')?.title === 'Renamed by the CRM' ? current : null;
		}, 'the journey to give the new title');
		expect(typeof journey.touchpoints[0].title).toBe('string');
		expect(journey.touchpoints[0]).not.toHaveProperty('titleText');
	});
});
