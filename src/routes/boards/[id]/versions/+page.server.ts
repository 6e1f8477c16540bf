import { error, redirect } from '@sveltejs/kit';
import type { Analysis } from '$lib/journey/analysis';
import { boardTitleOf, roleOf } from '$lib/server/boards';
import { getDb } from '$lib/server/db';
import { versionReads, type VersionReads } from '$lib/server/reads/board-reads';
import { readErrorCode } from '$lib/server/reads/read-errors';
import { listVersions } from '$lib/server/versions';
import type { PageServerLoad } from './$types';

const decoder = new TextDecoder();

export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!locals.user) redirect(303, '/login');
	const db = getDb();
	const role = await roleOf(db, params.id, locals.user.id);
	if (!role) error(404, 'Board not found');
	const viewId = url.searchParams.get('view');
	const viewed = viewId ? await versionReads(db, params.id, viewId) : null;
	return {
		board: { id: params.id, title: (await boardTitleOf(db, params.id)) ?? '', role },
		versions: await listVersions(db, params.id),
		// A version opened read-only: drawn as an image of the canvas, with its analysis, both
		// derived off the event loop and kept.
		viewed: viewed && {
			id: viewId!,
			name: viewed.name,
			createdAt: viewed.createdAt,
			...(await viewedVersion(viewed, locals.locale))
		}
	};
};

async function viewedVersion(viewed: VersionReads, locale: App.Locals['locale']) {
	try {
		const [svg, analysis] = await Promise.all([viewed.export('svg', locale), viewed.analysis()]);
		return { svg: decoder.decode(svg), analysis: JSON.parse(decoder.decode(analysis)) as Analysis };
	} catch (failure) {
		const code = readErrorCode(failure);
		if (code === 'queue-full') error(503, 'The server is busy; try again shortly');
		if (code === 'out-of-memory') error(413, 'The board is too large to show');
		throw failure;
	}
}
