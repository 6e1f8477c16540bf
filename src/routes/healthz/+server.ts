import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => {
	getDb().$client.prepare('SELECT 1').get();
	return json({ ok: true });
};
