import { error, redirect } from '@sveltejs/kit';
import { analyzeJourney } from '$lib/journey/analysis';
import { journeySvg } from '$lib/journey/export/svg';
import { boardTitleOf, roleOf } from '$lib/server/boards';
import { getDb } from '$lib/server/db';
import { listVersions, versionJourney } from '$lib/server/versions';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, params, url }) => {
	if (!locals.user) redirect(303, '/login');
	const db = getDb();
	const role = roleOf(db, params.id, locals.user.id);
	if (!role) error(404, 'Board not found');
	const viewId = url.searchParams.get('view');
	const viewed = viewId ? versionJourney(db, params.id, viewId) : null;
	return {
		board: { id: params.id, title: boardTitleOf(db, params.id) ?? '', role },
		versions: listVersions(db, params.id),
		// A version opened read-only: drawn as an image of the canvas, with its analysis.
		viewed: viewed && {
			id: viewId!,
			name: viewed.name,
			createdAt: viewed.createdAt,
			svg: journeySvg(viewed.journey, locals.locale),
			analysis: analyzeJourney(viewed.journey)
		}
	};
};
