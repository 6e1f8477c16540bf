import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { apiError } from '$lib/server/http';
import { versionReads } from '$lib/server/reads/board-reads';
import { readRefused, takeRead } from '$lib/server/reads/read-limits';
import type { RequestHandler } from './$types';

const encoder = new TextEncoder();

/** One version, read-only: its journey and analysis. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	const version = await versionReads(db, params.id, params.versionId);
	if (!version) return apiError(404, 'Version not found');
	const paced = await takeRead(access.user.id);
	if (paced) return paced;
	try {
		const [journey, analysis] = await Promise.all([version.journey(), version.analysis()]);
		// `{name, createdAt, journey, analysis}` joined from the kept JSON, never parsed here.
		const head = JSON.stringify({ name: version.name, createdAt: version.createdAt }).slice(0, -1);
		const body = Buffer.concat([
			encoder.encode(`${head},"journey":`),
			journey.json,
			encoder.encode(',"analysis":'),
			analysis,
			encoder.encode('}')
		]);
		return new Response(body, { headers: { 'content-type': 'application/json' } });
	} catch (error) {
		return readRefused(error);
	}
};
