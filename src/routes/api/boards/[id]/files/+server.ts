import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { readConfig } from '$lib/server/config';
import { getDb } from '$lib/server/db';
import { storeFile } from '$lib/server/files';
import { apiError, hasStatus, PAYLOAD_TOO_LARGE } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'uploadFile');
	if (access instanceof Response) return refuse(request, access);
	const config = readConfig();
	const declared = Number(request.headers.get('content-length') ?? 0);
	// Refuse before reading when the declared body is already too big (multipart adds a little).
	if (declared > config.uploadLimitBytes + 64 * 1024) {
		return refuse(request, apiError(413, tooLarge(config.uploadLimitBytes)));
	}
	let file: FormDataEntryValue | null;
	try {
		file = (await request.formData()).get('file');
	} catch (error) {
		// A body past the server's body size limit (sent chunked, without Content-Length) is too large, not malformed.
		if (hasStatus(error, PAYLOAD_TOO_LARGE)) return apiError(413, tooLarge(config.uploadLimitBytes));
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

/**
 * Answers without using the body, while reading and dropping what the client is still sending:
 * left unread, a large body stays paused on its keep-alive connection and swallows the
 * connection's next request. (The adapter's body size limit bounds what is read.)
 */
function refuse(request: Request, response: Response): Response {
	if (request.body && !request.bodyUsed) void request.body.pipeTo(new WritableStream()).catch(() => {});
	return response;
}

function tooLarge(limitBytes: number): string {
	return `The file is larger than the ${Math.round((limitBytes / 1024 / 1024) * 10) / 10} MB limit`;
}
