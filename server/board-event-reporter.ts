import type * as Y from 'yjs';
import { assignmentsIn } from '../src/lib/journey/assignments';
import { BOARD_MAP, readTitle } from '../src/lib/journey/document';
import { LIMITS } from '../src/lib/journey/schema';
import { isConnection } from './connection';
import type { BoardEvents } from './storage/board-store';

/**
 * Watches a board's live document for what the rest of the product hears of (`BoardEvents`): the
 * board's title, and actions a writer gives to someone else. Reports never hold up or break an
 * edit: a failure is logged.
 */
export class BoardEventReporter {
	/** The title last reported, so changes to other board fields report nothing. */
	#title: string | null = null;

	constructor(
		private readonly boardId: string,
		private readonly events: BoardEvents
	) {}

	/** Watches a document the room has just woken with. */
	watch(doc: Y.Doc): void {
		doc.on('afterTransaction', this.#onTransaction);
		doc.getMap(BOARD_MAP).observe(() => this.#onBoardChange(doc));
	}

	#onTransaction = (transaction: Y.Transaction) => {
		if (!isConnection(transaction.origin)) return;
		// An action given to someone else reaches their next mail digest (checked again when it is sent).
		const assigner = transaction.origin.userId;
		for (const { actionId, assigneeId } of assignmentsIn(transaction, transaction.doc.getMap('actions'))) {
			if (assigneeId !== assigner) this.#report('queueing an assignment', this.events.actionAssigned(this.boardId, actionId, assigneeId));
		}
	};

	#onBoardChange(doc: Y.Doc): void {
		const title = readTitle(doc).trim().slice(0, LIMITS.title);
		if (!title || title === this.#title) return;
		this.#title = title;
		this.#report('renaming the board', this.events.titleChanged(this.boardId, title));
	}

	#report(what: string, event: Promise<void>): void {
		event.catch((error) => console.error(`board ${this.boardId}: ${what} failed`, error));
	}
}
