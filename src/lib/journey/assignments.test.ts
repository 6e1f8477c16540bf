import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { assignmentsIn, type Assignment } from './assignments';

/** The assignments each transaction of `edit` made. */
function assignedBy(doc: Y.Doc, edit: (actions: Y.Map<unknown>) => void): Assignment[] {
	const actions = doc.getMap('actions');
	let seen: Assignment[] = [];
	const listener = (transaction: Y.Transaction) => (seen = [...seen, ...assignmentsIn(transaction, actions)]);
	doc.on('afterTransaction', listener);
	doc.transact(() => edit(actions));
	doc.off('afterTransaction', listener);
	return seen;
}

function action(fields: Record<string, unknown>): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	for (const [key, value] of Object.entries(fields)) map.set(key, value);
	return map;
}

describe('assignments in a transaction', () => {
	test('a new action with an assignee, and an assignee set on an existing one, are assignments', () => {
		const doc = new Y.Doc();
		expect(assignedBy(doc, (actions) => actions.set('a1', action({ id: 'a1', title: 'Kiosk', assigneeId: 'u-ada' })))).toEqual([
			{ actionId: 'a1', assigneeId: 'u-ada' }
		]);
		doc.getMap('actions').set('a2', action({ id: 'a2', title: 'Fees' }));
		expect(assignedBy(doc, (actions) => (actions.get('a2') as Y.Map<unknown>).set('assigneeId', 'u-bo'))).toEqual([
			{ actionId: 'a2', assigneeId: 'u-bo' }
		]);
	});

	test('other fields, a cleared assignee and an action deleted at once assign nobody', () => {
		const doc = new Y.Doc();
		doc.getMap('actions').set('a1', action({ id: 'a1', title: 'Kiosk', assigneeId: 'u-ada' }));
		expect(assignedBy(doc, (actions) => (actions.get('a1') as Y.Map<unknown>).set('status', 'done'))).toEqual([]);
		expect(assignedBy(doc, (actions) => (actions.get('a1') as Y.Map<unknown>).delete('assigneeId'))).toEqual([]);
		expect(
			assignedBy(doc, (actions) => {
				(actions.get('a1') as Y.Map<unknown>).set('assigneeId', 'u-bo');
				actions.delete('a1');
			})
		).toEqual([]);
	});

	test('updates from a client are seen on a document that was loaded before its actions map was typed', () => {
		const client = new Y.Doc();
		client.getMap('actions').set('a1', action({ id: 'a1', title: 'Kiosk' }));
		const server = new Y.Doc();
		Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
		const actions = server.getMap('actions');
		let seen: Assignment[] = [];
		server.on('afterTransaction', (transaction: Y.Transaction) => (seen = [...seen, ...assignmentsIn(transaction, actions)]));
		const before = Y.encodeStateVector(client);
		(client.getMap('actions').get('a1') as Y.Map<unknown>).set('assigneeId', 'u-ada');
		client.getMap('actions').set('a2', action({ id: 'a2', title: 'Fees', assigneeId: 'u-bo' }));
		Y.applyUpdate(server, Y.encodeStateAsUpdate(client, before));
		expect(seen).toEqual([
			{ actionId: 'a1', assigneeId: 'u-ada' },
			{ actionId: 'a2', assigneeId: 'u-bo' }
		]);
	});
});
