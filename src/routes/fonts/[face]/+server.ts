import { readFile } from 'node:fs/promises';
import { error } from '@sveltejs/kit';
import { shippedFont } from '$lib/server/export/shipped-font';
import type { RequestHandler } from './$types';

/** A year: the files change only with the package, and their names then stay the same only within one install. */
const CACHE_SECONDS = 365 * 24 * 60 * 60;

/**
 * The shipped Chinese font for browsers without one of their own (app.css names it first, for the
 * CJK range only, after the machine's own Chinese fonts in each face's sources, so a browser that
 * has one never downloads it). Public, like the pages.
 */
export const GET: RequestHandler = async ({ params }) => {
	const font = shippedFont();
	const path =
		params.face === 'noto-sans-sc-regular.otf' ? font?.regular.path : params.face === 'noto-sans-sc-bold.otf' ? font?.bold.path : undefined;
	if (!path) error(404, 'No such font');
	const bytes = await readFile(path);
	return new Response(new Uint8Array(bytes), {
		headers: {
			'Content-Type': 'font/otf',
			'Content-Length': String(bytes.byteLength),
			'Cache-Control': `public, max-age=${CACHE_SECONDS}`,
			'X-Content-Type-Options': 'nosniff'
		}
	});
};
