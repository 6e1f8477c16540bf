import * as Y from 'yjs';

/** An action given to a person by one transaction. */
export interface Assignment {
	actionId: string;
	assigneeId: string;
}

/**
 * The actions a transaction gave to someone: an `assigneeId` set on an action, or a new action
 * that carries one. Ids are the action maps' keys; an action deleted in the same transaction, or
 * whose assignee was cleared, gives nobody anything.
 */
export function assignmentsIn(transaction: Y.Transaction, actions: Y.Map<unknown>): Assignment[] {
	const found = new Map<string, string>();
	const note = (actionId: string, action: unknown) => {
		if (!(action instanceof Y.Map) || action._item?.deleted) return;
		const assigneeId = action.get('assigneeId');
		if (typeof assigneeId === 'string' && assigneeId !== '') found.set(actionId, assigneeId);
	};
	for (const [type, keys] of transaction.changed) {
		if ((type as unknown) === actions) {
			for (const key of keys) if (typeof key === 'string') note(key, actions.get(key));
		} else if (type instanceof Y.Map && type._item?.parent === actions && keys.has('assigneeId')) {
			const actionId = type._item.parentSub;
			if (actionId) note(actionId, type);
		}
	}
	return [...found].map(([actionId, assigneeId]) => ({ actionId, assigneeId }));
}
