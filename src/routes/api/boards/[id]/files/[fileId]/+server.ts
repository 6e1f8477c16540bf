import { boardAccess } from '$lib/server/board-access';
import { readConfig } from '$lib/server/config';
import { getDb } from '$lib/server/db';
import { isInlineImage } from '$lib/server/file-types';
import { readStoredFile } from '$lib/server/files';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	const stored = await readStoredFile(db, readConfig().dataDir, params.id, params.fileId);
	if (!stored) return apiError(404, 'File not found');
	const inline = isInlineImage(stored.file.mime);
	const disposition = `${inline ? 'inline' : 'attachment'}; filename="${asciiName(stored.file.name)}"; filename*=UTF-8''${encodeURIComponent(stored.file.name)}`;
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

function asciiName(name: string): string {
	return name.replace(/[^\x20-\x7e]|["\\]/g, '_');
}
