import type { Db } from '../../src/lib/server/db';
import { appendUpdates, loadState, storeSnapshot } from '../../src/lib/server/doc-store';
import { ensureDailyVersion } from '../../src/lib/server/versions';
import type { AppendReceipt, BoardSnapshot, BoardStore, BoardUpdate, StoredBoard } from './board-store';

/** An append that numbers nothing: SQLite's log ids are shared by every board. */
const NO_SEQUENCES: AppendReceipt = {};

/**
 * The board store in the SQLite file of `DATA_DIR` (`src/lib/server/doc-store.ts`). better-sqlite3
 * works synchronously, so each promise is settled when the call returns: an append has committed
 * before its caller's continuation runs, in the same event-loop turn (unless another caller's
 * transaction is open: then in the next).
 */
export class SqliteBoardStore implements BoardStore {
	constructor(private readonly db: Db) {}

	load(boardId: string): Promise<StoredBoard> {
		return loadState(this.db, boardId);
	}

	async append(updates: readonly BoardUpdate[]): Promise<AppendReceipt> {
		// Another caller's transaction may be open between two of its awaits (db/transaction.ts): the
		// append would join it and go with its rollback. Such a transaction never outlives the
		// event-loop turn, so the append waits for the next.
		while (this.db.$client.inTransaction) await new Promise((resolve) => setImmediate(resolve));
		appendUpdates(this.db, updates);
		return NO_SEQUENCES;
	}

	compact(boardId: string, snapshot: BoardSnapshot): Promise<void> {
		return storeSnapshot(this.db, boardId, snapshot.state, snapshot.stateVector, snapshot.folded);
	}

	saveDailyVersion(boardId: string, stateBeforeEdit: Uint8Array): Promise<boolean> {
		return ensureDailyVersion(this.db, boardId, stateBeforeEdit);
	}
}
