import { boardAccess } from '$lib/server/board-access';
import { contentDisposition } from '$lib/server/content-disposition';
import { readConfig } from '$lib/server/config';
import { getDb } from '$lib/server/db';
import { isInlineImage } from '$lib/server/file-types';
import { EVIDENCE_FILE_STEM, readStoredFile } from '$lib/server/files';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	const stored = await readStoredFile(db, readConfig().dataDir, params.id, params.fileId);
	if (!stored) return apiError(404, 'File not found');
	const inline = isInlineImage(stored.file.mime);
	const disposition = contentDisposition(inline ? 'inline' : 'attachment', stored.file.name, EVIDENCE_FILE_STEM);
	return new Response(new Uint8Array(stored.bytes), {
		headers: {
			'Content-Type': stored.file.mime,
			'Content-Length': String(stored.bytes.length),
			'Content-Disposition': disposition,
			// Never run as a page in the product's origin, whatever the bytes turn out to be.
			'X-Content-Type-Options': 'nosniff',
			'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
			'Cross-Origin-Resource-Policy': 'same-origin',
			'Cache-Control': 'private, max-age=3600'
		}
	});
};
