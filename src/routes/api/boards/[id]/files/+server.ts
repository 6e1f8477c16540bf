import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { readConfig } from '$lib/server/config';
import { getDb } from '$lib/server/db';
import { storeFile } from '$lib/server/files';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	const access = boardAccess(db, locals, params.id, 'editor');
	if (access instanceof Response) return access;
	const config = readConfig();
	const declared = Number(request.headers.get('content-length') ?? 0);
	// Refuse before reading when the declared body is already too big (multipart adds a little).
	if (declared > config.uploadLimitBytes + 64 * 1024) {
		return apiError(413, `The file is larger than the ${config.uploadLimitBytes / 1024 / 1024} MB limit`);
	}
	let file: FormDataEntryValue | null;
	try {
		file = (await request.formData()).get('file');
	} catch {
		return apiError(400, 'Send the file as multipart/form-data in the field "file"');
	}
	if (!(file instanceof File)) return apiError(400, 'Send the file as multipart/form-data in the field "file"');
	const stored = await storeFile(db, config.dataDir, {
		boardId: params.id,
		userId: access.user.id,
		file,
		limitBytes: config.uploadLimitBytes
	});
	if (!stored.ok) return apiError(stored.status, stored.error);
	return json({ fileId: stored.fileId, url: `/api/boards/${params.id}/files/${stored.fileId}` }, { status: 201 });
};
