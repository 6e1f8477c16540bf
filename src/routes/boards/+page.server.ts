import { fail, redirect } from '@sveltejs/kit';
import { TEMPLATE_NAMES } from '$lib/journey/templates';
import { canManageBoard } from '$lib/journey/roles';
import { createBoardInput } from '$lib/server/board-start';
import { createBoardFor, deleteBoard, listBoards, refuseBoardCreation, roleOf } from '$lib/server/boards';
import { unreadMentions } from '$lib/server/comments';
import { getDb } from '$lib/server/db';
import { parseInput } from '$lib/server/service-result';
import { myWork, waitingCounts } from '$lib/server/my-work';
import { readRefused } from '$lib/server/reads/read-limits';
import { passwordSignInOff } from '$lib/server/oidc/sign-in-options';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) redirect(303, '/login');
	const db = getDb();
	const unread = await unreadMentions(db, locals.user.id);
	// A board the server is too busy to read now shows no count rather than holding up the list.
	const waiting = waitingCounts(await myWork(db, locals.user.id).catch(() => []));
	const boards = (await listBoards(db, locals.user.id)).map((board) => ({
		...board,
		unreadMentions: unread.get(board.id) ?? 0,
		waitingActions: waiting.get(board.id) ?? 0
	}));
	return { boards, templates: TEMPLATE_NAMES, isGuest: locals.user.isGuest ?? false, guestCanUpgrade: !passwordSignInOff() };
};

export const actions: Actions = {
	/** The same input, checks and messages as `POST /api/boards`. */
	create: async ({ request, locals }) => {
		if (!locals.user) redirect(303, '/login');
		const refused = refuseBoardCreation(locals.user);
		if (refused) return fail(refused.status, { error: refused.error });
		const form = await request.formData();
		const input = parseInput(createBoardInput, { title: String(form.get('title') ?? ''), template: form.get('template') ?? undefined });
		if (!input.ok) return fail(400, { error: input.error });
		const body = new TextEncoder().encode(JSON.stringify(input.data));
		const created = await createBoardFor(getDb(), locals.user, body, locals.locale).catch(readRefused);
		if (created instanceof Response) return fail(created.status, { error: ((await created.json()) as { error: string }).error });
		if (!created.ok) return fail(created.status, { error: created.error });
		redirect(303, `/boards/${created.id}`);
	},
	delete: async ({ request, locals }) => {
		if (!locals.user) redirect(303, '/login');
		const boardId = String((await request.formData()).get('boardId') ?? '');
		const db = getDb();
		const role = await roleOf(db, boardId, locals.user.id);
		if (!role || !canManageBoard(role)) return fail(404, { error: 'Board not found' });
		await deleteBoard(db, boardId);
		return { deleted: boardId };
	}
};
