import * as Y from 'yjs';
import type { AppendReceipt, BoardEvents, BoardSnapshot, BoardStore, BoardUpdate, SequencedUpdate, StoredBoard } from './board-store';

/** An update that holds nothing. */
const EMPTY_UPDATE = new Uint8Array([0, 0]);

/** One board's document as the memory store keeps it. */
interface MemoryBoard {
	snapshot: { state: Uint8Array; stateVector: Uint8Array } | null;
	/** The last sequence number the snapshot holds. */
	snapshotSeq: number;
	/** Updates after the snapshot, numbered in order. */
	log: SequencedUpdate[];
	/** The last sequence number given to an update of this board (never reused, gap-free). */
	sequence: number;
}

/** A day's automatic version kept by the memory store. */
export interface MemoryDailyVersion {
	boardId: string;
	/** UTC day, `YYYY-MM-DD`. */
	day: string;
	state: Uint8Array;
}

/**
 * A board store in a Map: nothing survives the process. It keeps the contract of a real store —
 * an append to a board it does not know (never created, or deleted) stores nothing of the
 * transaction and rejects, sequence numbers have no gaps — so the sync server's rooms, turn log
 * and guards are unit-tested against it.
 */
export class MemoryBoardStore implements BoardStore {
	readonly #boards = new Map<string, MemoryBoard>();
	readonly dailyVersions: MemoryDailyVersion[] = [];

	/** Adds a board, holding `state` (V1) as its snapshot when given. */
	createBoard(boardId: string, state?: Uint8Array): void {
		const snapshot = state ? { state, stateVector: Y.encodeStateVectorFromUpdate(state) } : null;
		this.#boards.set(boardId, { snapshot, snapshotSeq: 0, log: [], sequence: 0 });
	}

	/** Removes a board: appends to it fail from now on. */
	deleteBoard(boardId: string): void {
		this.#boards.delete(boardId);
	}

	/** A board's logged updates since its snapshot, in order. */
	logOf(boardId: string): readonly Uint8Array[] {
		return this.#boards.get(boardId)?.log.map(({ update }) => update) ?? [];
	}

	async load(boardId: string): Promise<StoredBoard> {
		return this.loadNow(boardId);
	}

	/** The same, synchronously (for tests). */
	loadNow(boardId: string): StoredBoard {
		const board = this.#boards.get(boardId);
		const snapshot = board?.snapshot ?? null;
		const log = board?.log.map(({ update }) => update) ?? [];
		const seq = board?.sequence ?? 0;
		const storedBytes = log.reduce((sum, update) => sum + update.length, snapshot?.state.length ?? 0);
		if (log.length === 0)
			return { state: snapshot?.state ?? EMPTY_UPDATE, stateVector: snapshot?.stateVector ?? null, logLength: 0, storedBytes, seq };
		return { state: Y.mergeUpdates(snapshot ? [snapshot.state, ...log] : log), stateVector: null, logLength: log.length, storedBytes, seq };
	}

	async loadSince(boardId: string, afterSeq: number): Promise<SequencedUpdate[] | null> {
		const board = this.#boards.get(boardId);
		if (!board) throw new Error(`board ${boardId} does not exist`);
		// Folded into the snapshot: the log no longer has them one by one.
		if (afterSeq < board.snapshotSeq) return null;
		return board.log.filter(({ seq }) => seq > afterSeq);
	}

	async append(updates: readonly BoardUpdate[]): Promise<AppendReceipt> {
		// All or nothing, like one transaction.
		const unknown = updates.find(({ boardId }) => !this.#boards.has(boardId));
		if (unknown) throw new Error(`board ${unknown.boardId} does not exist`);
		const sequences = new Map<string, number>();
		for (const { boardId, update } of updates) {
			const board = this.#boards.get(boardId)!;
			board.log.push({ seq: ++board.sequence, update });
			sequences.set(boardId, board.sequence);
		}
		return { sequences };
	}

	async compact(boardId: string, snapshot: BoardSnapshot): Promise<void> {
		const board = this.#boards.get(boardId);
		if (!board) throw new Error(`board ${boardId} does not exist`);
		board.snapshot = { state: snapshot.state, stateVector: snapshot.stateVector };
		if (snapshot.seq !== undefined) {
			// Numbered: the state holds every update up to `seq`, whoever appended it.
			board.log = board.log.filter(({ seq }) => seq > snapshot.seq!);
			board.snapshotSeq = Math.max(board.snapshotSeq, snapshot.seq);
			return;
		}
		// A log shorter than counted: none of it is known to be in the state, so none goes (as in SQLite).
		if (snapshot.folded <= board.log.length) {
			const folded = board.log.splice(0, snapshot.folded);
			if (folded.length > 0) board.snapshotSeq = folded[folded.length - 1].seq;
		}
	}

	async saveDailyVersion(boardId: string, stateBeforeEdit: Uint8Array): Promise<boolean> {
		const day = new Date().toISOString().slice(0, 10);
		if (this.dailyVersions.some((version) => version.boardId === boardId && version.day === day)) return false;
		this.dailyVersions.push({ boardId, day, state: stateBeforeEdit });
		return true;
	}
}

/** Board events kept in arrays, in the order they came (for tests and a store without a product around it). */
export class MemoryBoardEvents implements BoardEvents {
	readonly titles: { boardId: string; title: string }[] = [];
	readonly assignments: { boardId: string; actionId: string; assigneeId: string }[] = [];

	async titleChanged(boardId: string, title: string): Promise<void> {
		this.titles.push({ boardId, title });
	}

	async actionAssigned(boardId: string, actionId: string, assigneeId: string): Promise<void> {
		this.assignments.push({ boardId, actionId, assigneeId });
	}
}
