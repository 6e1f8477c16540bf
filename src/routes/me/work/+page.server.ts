import { fail, redirect } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { departmentsInput, departmentsOf, myWork, setDepartments, today } from '$lib/server/my-work';
import { parseInput } from '$lib/server/service-result';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	if (!locals.user) redirect(303, '/login?next=/me/work');
	const db = getDb();
	return {
		work: await myWork(db, locals.user.id),
		departments: await departmentsOf(db, locals.user.id),
		today: today(),
		userId: locals.user.id
	};
};

export const actions: Actions = {
	/** The same checks and messages as `PATCH /api/me {departments}`; the field lists them separated by commas. */
	departments: async ({ request, locals }) => {
		if (!locals.user) redirect(303, '/login?next=/me/work');
		const text = String((await request.formData()).get('departments') ?? '');
		const input = parseInput(departmentsInput, text.split(/[,，、]/u));
		if (!input.ok) return fail(400, { error: input.error });
		await setDepartments(getDb(), locals.user.id, input.data);
		return { saved: true };
	}
};
