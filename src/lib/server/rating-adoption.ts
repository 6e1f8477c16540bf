import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { patchItem, setSegmentValue } from '../journey/document';
import { adoptedEmotion, ratingResults } from '../journey/workshop-rounds';
import { readBoardJourney } from './board-journey';
import { notifyBoard } from './board-notify';
import type { Db } from './db';
import { tables } from './db/tables';
import { facilitationState } from './facilitation';
import { refuse, type Refusal } from './service-result';
import { recordAdoption } from './workshop-rounds';

export const adoptionInput = z.object({
	/** The touchpoint of the round the facilitator saw revealed, so a round started since is not adopted by mistake. */
	touchpointId: z.string().min(1).max(64)
});

/** What adopting a rating round wrote. */
export interface Adoption {
	touchpointId: string;
	/** The segment whose emotion was written (null: the all-customers emotion). */
	segmentId: string | null;
	emotion: number;
}

/**
 * An owner adopts the revealed ratings of the running round: their mean, rounded to a whole step,
 * becomes the touchpoint's emotion, or the rated segment's own emotion (`emotion@<segmentId>`) in a
 * segment round. Written into the live document on the server, stored before it is relayed.
 */
export async function adoptRating(
	db: Db,
	boardId: string,
	input: z.infer<typeof adoptionInput>
): Promise<{ ok: true; adoption: Adoption } | Refusal> {
	const { facilitation, ratings } = tables(db);
	const state = await facilitationState(db, boardId);
	if (state.ratingTouchpointId !== input.touchpointId) return refuse(409, 'This touchpoint is not being rated now');
	if (!state.ratingRevealed) return refuse(409, 'Reveal the ratings before adopting them');
	const rows = await db
		.select({ emotion: ratings.emotion })
		.from(ratings)
		.where(and(eq(ratings.boardId, boardId), eq(ratings.touchpointId, input.touchpointId)));
	const figures = ratingResults(rows.map((row) => row.emotion));
	if (!figures) return refuse(409, 'Nobody has rated this touchpoint');
	const journey = await readBoardJourney(db, boardId);
	if (!journey.touchpoints.some((touchpoint) => touchpoint.id === input.touchpointId))
		return refuse(404, 'No such touchpoint on this board');
	const segmentId = state.ratingSegmentId;
	if (segmentId && !journey.segments.some((segment) => segment.id === segmentId)) {
		return refuse(409, 'The segment being rated has been deleted from the board');
	}
	const emotion = adoptedEmotion(figures.mean);
	const [round] = await db.select({ id: facilitation.ratingRoundId }).from(facilitation).where(eq(facilitation.boardId, boardId)).limit(1);
	if (round?.id) await recordAdoption(db, round.id, emotion);
	await notifyBoard(boardId, {
		live: (hub) =>
			hub.editDocument(boardId, (doc) => {
				if (segmentId) setSegmentValue(doc, input.touchpointId, segmentId, 'emotion', emotion);
				else patchItem(doc, 'touchpoints', input.touchpointId, { emotion });
			}),
		event: 'facilitation'
	});
	return { ok: true, adoption: { touchpointId: input.touchpointId, segmentId, emotion } };
}
