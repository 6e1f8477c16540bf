import { readFile } from 'node:fs/promises';
import { error } from '@sveltejs/kit';
import { shippedFont } from '$lib/server/export/shipped-font';
import { fontCut, parseSliceFileName, sliceFile } from '$lib/fonts/font-slices.server';
import { readErrorCode } from '$lib/server/reads/read-errors';
import type { RequestHandler } from './$types';

/** A year: a slice's address names its cut, and the whole files change only with the package. */
const CACHE_SECONDS = 365 * 24 * 60 * 60;
/** The stylesheet naming the slices, linked from every page (src/app.html). */
const STYLESHEET = 'noto-sans-sc.css';

function fontResponse(bytes: Uint8Array, immutable: boolean): Response {
	return new Response(new Uint8Array(bytes), {
		headers: {
			'Content-Type': 'font/otf',
			'Content-Length': String(bytes.byteLength),
			'Cache-Control': `public, max-age=${CACHE_SECONDS}${immutable ? ', immutable' : ''}`,
			'X-Content-Type-Options': 'nosniff'
		}
	});
}

/**
 * The shipped Chinese font for browsers without one of their own, public like the pages. The
 * interface loads it in slices (`noto-sans-sc.css` names each with its `unicode-range`), so a page
 * downloads only the slices its characters need; the whole faces stay at their addresses.
 */
export const GET: RequestHandler = async (event) => {
	try {
		return await fontFile(event);
	} catch (failure) {
		// The slices are cut on the render workers; when their queue is full the browser tries again.
		if (readErrorCode(failure) === 'queue-full') return new Response(null, { status: 503, headers: { 'Retry-After': '2' } });
		throw failure;
	}
};

async function fontFile({ params, request }: Parameters<RequestHandler>[0]): Promise<Response> {
	if (params.face === STYLESHEET) {
		const cut = await fontCut();
		if (!cut) error(404, 'No such font');
		const etag = `"${cut.version}"`;
		const headers = { 'Cache-Control': 'no-cache', ETag: etag, 'X-Content-Type-Options': 'nosniff' };
		if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
		return new Response(cut.css, { headers: { ...headers, 'Content-Type': 'text/css; charset=utf-8' } });
	}
	const slice = parseSliceFileName(params.face);
	if (slice) {
		const bytes = await sliceFile(slice.version, slice.face, slice.index);
		if (!bytes) error(404, 'No such font');
		return fontResponse(bytes, true);
	}
	const font = shippedFont();
	const path =
		params.face === 'noto-sans-sc-regular.otf' ? font?.regular.path : params.face === 'noto-sans-sc-bold.otf' ? font?.bold.path : undefined;
	if (!path) error(404, 'No such font');
	return fontResponse(await readFile(path), false);
}
