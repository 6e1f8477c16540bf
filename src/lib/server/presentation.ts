/**
 * The stage each board's facilitator presents to the people following them. Live state only, like
 * presence: a restart of the server ends every presentation (leading the view itself is stored).
 */
const presentedStages = new Map<string, string>();

/** The stage presented on the board, or null. */
export function presentedStage(boardId: string): string | null {
	return presentedStages.get(boardId) ?? null;
}

/** Presents a stage on the board, or ends its presentation (null). */
export function presentStage(boardId: string, stageId: string | null): void {
	if (stageId === null) presentedStages.delete(boardId);
	else presentedStages.set(boardId, stageId);
}
