import { error, redirect } from '@sveltejs/kit';
import type { Analysis } from '$lib/journey/analysis';
import { departmentBurdens } from '$lib/journey/departments';
import type { Journey } from '$lib/journey/schema';
import { boardTitleOf, roleOf } from '$lib/server/boards';
import { listComments } from '$lib/server/comments';
import { getDb } from '$lib/server/db';
import { reportContext } from '$lib/server/export/report-context';
import { listRounds } from '$lib/server/workshop-rounds';
import { boardReads } from '$lib/server/reads/board-reads';
import { readErrorCode } from '$lib/server/reads/read-errors';
import { actionsByDepartment } from '$lib/journey/action-outcomes';
import { finishedActionChecks } from '$lib/server/action-checks';
import type { PageServerLoad } from './$types';

const decoder = new TextDecoder();
/** Revealed rating rounds listed in the summary, newest first. */
const RATING_ROUNDS_SHOWN = 10;

export const load: PageServerLoad = async ({ locals, params }) => {
	if (!locals.user) redirect(303, '/login');
	const db = getDb();
	const role = await roleOf(db, params.id, locals.user.id);
	if (!role) error(404, 'Board not found');
	// The journey and analysis kept for the board's state, derived off the event loop when not kept.
	const reads = await boardReads(db, params.id);
	let journey: Journey;
	let analysis: Analysis;
	let checks: Awaited<ReturnType<typeof finishedActionChecks>>;
	try {
		journey = JSON.parse(decoder.decode((await reads.journey()).json));
		analysis = JSON.parse(decoder.decode(await reads.analysis()));
		checks = await finishedActionChecks(db, params.id, journey);
	} catch (failure) {
		const code = readErrorCode(failure);
		if (code === 'queue-full') error(503, 'The server is busy; try again shortly');
		if (code === 'out-of-memory') error(413, 'The board is too large to summarise');
		throw failure;
	}
	return {
		board: { id: params.id, title: journey.title || (await boardTitleOf(db, params.id)) || '', role },
		journey,
		analysis,
		departments: departmentBurdens(journey.touchpoints, analysis.gaps),
		actions: actionsByDepartment(
			journey,
			analysis.actions.map((action) => action.actionId),
			checks
		),
		openComments: (await listComments(db, params.id)).filter((comment) => !comment.parentId && !comment.resolved),
		generatedAt: new Date().toISOString(),
		report: await reportContext(db, params.id),
		ratingRounds: (await listRounds(db, params.id))
			.filter((round) => round.kind === 'rating' && round.results !== null)
			.slice(0, RATING_ROUNDS_SHOWN)
	};
};
