import * as Y from 'yjs';
import { BOARD_MAP } from '$lib/journey/document';
import { COLLECTIONS } from '$lib/journey/schema';

/** Edits closer together than this become one undo step (e.g. the writes of one drag). */
const CAPTURE_TIMEOUT_MS = 500;

/**
 * Per-person undo and redo. Only this client's own transactions (origin null) are tracked, so
 * undo never reverts what someone else did; remote and IndexedDB updates carry other origins.
 */
export class BoardHistory {
	canUndo = $state(false);
	canRedo = $state(false);
	readonly #manager: Y.UndoManager;

	constructor(doc: Y.Doc) {
		const scope = [...COLLECTIONS.map((name) => doc.getMap(name)), doc.getMap(BOARD_MAP)];
		this.#manager = new Y.UndoManager(scope, { captureTimeout: CAPTURE_TIMEOUT_MS });
		const refresh = () => {
			this.canUndo = this.#manager.canUndo();
			this.canRedo = this.#manager.canRedo();
		};
		for (const event of ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const) {
			this.#manager.on(event, refresh);
		}
	}

	undo(): void {
		this.#manager.undo();
	}

	/** Ends the current undo step: the next edit starts one of its own, however soon it follows. */
	endStep(): void {
		this.#manager.stopCapturing();
	}

	redo(): void {
		this.#manager.redo();
	}

	destroy(): void {
		this.#manager.destroy();
	}
}
