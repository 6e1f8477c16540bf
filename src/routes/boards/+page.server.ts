import { fail, redirect } from '@sveltejs/kit';
import { templateJourney, TEMPLATE_NAMES, type TemplateName } from '$lib/journey/templates';
import { boardTitle, createBoard, deleteBoard, listBoards, roleOf } from '$lib/server/boards';
import { unreadMentions } from '$lib/server/comments';
import { getDb } from '$lib/server/db';
import { syncHub } from '$lib/server/sync-hub';
import type { Actions, PageServerLoad } from './$types';
import { closeStreams } from '$lib/server/board-event-streams';

export const load: PageServerLoad = ({ locals }) => {
	if (!locals.user) redirect(303, '/login');
	const db = getDb();
	const unread = unreadMentions(db, locals.user.id);
	const boards = listBoards(db, locals.user.id).map((board) => ({ ...board, unreadMentions: unread.get(board.id) ?? 0 }));
	return { boards, templates: TEMPLATE_NAMES, isGuest: locals.user.isGuest ?? false };
};

export const actions: Actions = {
	create: async ({ request, locals }) => {
		if (!locals.user) redirect(303, '/login');
		if (locals.user.isGuest) return fail(403, { error: 'Create an account to make boards' });
		const form = await request.formData();
		const title = boardTitle.safeParse(String(form.get('title') ?? ''));
		if (!title.success) return fail(400, { error: title.error.issues[0].message });
		const template = String(form.get('template') ?? 'blank');
		if (!TEMPLATE_NAMES.includes(template as TemplateName)) return fail(400, { error: 'Unknown template' });
		const id = createBoard(getDb(), locals.user.id, templateJourney(template as TemplateName, title.data, locals.locale));
		redirect(303, `/boards/${id}`);
	},
	delete: async ({ request, locals }) => {
		if (!locals.user) redirect(303, '/login');
		const boardId = String((await request.formData()).get('boardId') ?? '');
		const db = getDb();
		if (roleOf(db, boardId, locals.user.id) !== 'owner') return fail(404, { error: 'Board not found' });
		deleteBoard(db, boardId);
		syncHub().closeBoard(boardId);
		closeStreams({ boardId });
		return { deleted: boardId };
	}
};
