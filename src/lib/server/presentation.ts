/**
 * The stage each board's facilitator presents to the people following them. Live state only, like
 * presence: a restart of the server ends every presentation (leading the view itself is stored).
 * With several processes each keeps it, told by the hub (`SyncHub.presentStage`). One map per
 * process under a registered symbol: the sync server and the SvelteKit handler are bundled apart.
 */
const STAGES_KEY = Symbol.for('journey-workspace.presented-stages');
type GlobalWithStages = typeof globalThis & { [STAGES_KEY]?: Map<string, string> };
const presentedStages = ((globalThis as GlobalWithStages)[STAGES_KEY] ??= new Map<string, string>());

/** The stage presented on the board, or null. */
export function presentedStage(boardId: string): string | null {
	return presentedStages.get(boardId) ?? null;
}

/** Presents a stage on the board, or ends its presentation (null). */
export function presentStage(boardId: string, stageId: string | null): void {
	if (stageId === null) presentedStages.delete(boardId);
	else presentedStages.set(boardId, stageId);
}
