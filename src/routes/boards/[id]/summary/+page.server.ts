import { error, redirect } from '@sveltejs/kit';
import { analyzeJourney } from '$lib/journey/analysis';
import { departmentBurdens } from '$lib/journey/departments';
import { readJourney } from '$lib/journey/document';
import { boardTitleOf, roleOf } from '$lib/server/boards';
import { listComments } from '$lib/server/comments';
import { getDb } from '$lib/server/db';
import { loadDoc } from '$lib/server/doc-store';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, params }) => {
	if (!locals.user) redirect(303, '/login');
	const db = getDb();
	const role = roleOf(db, params.id, locals.user.id);
	if (!role) error(404, 'Board not found');
	const { doc } = loadDoc(db, params.id);
	const journey = readJourney(doc);
	doc.destroy();
	const analysis = analyzeJourney(journey);
	return {
		board: { id: params.id, title: journey.title || boardTitleOf(db, params.id) || '', role },
		journey,
		analysis,
		departments: departmentBurdens(journey.touchpoints, analysis.gaps),
		openComments: listComments(db, params.id).filter((comment) => !comment.parentId && !comment.resolved),
		generatedAt: new Date().toISOString()
	};
};
