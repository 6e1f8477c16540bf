import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { tables } from '$lib/server/db/tables';
import type { RequestHandler } from './$types';

/** Answers once the database answers a query (SQLite or PostgreSQL); a failing one is the hooks' 507 or 500. */
export const GET: RequestHandler = async () => {
	const db = getDb();
	const { boards } = tables(db);
	await db.select({ id: boards.id }).from(boards).limit(1);
	return json({ ok: true });
};
