import { json } from '@sveltejs/kit';
import type { z } from 'zod';
import { parseInput } from './service-result';
import type { SessionUser } from './session';

/** A request body past the server's body size limit. */
export const PAYLOAD_TOO_LARGE = 413;

/** The contract's error body: `{"error": message}` with a fitting status. */
export function apiError(status: number, message: string): Response {
	return json({ error: message }, { status });
}

/** A 429 with `Retry-After` in whole seconds (at least 1). */
export function tooManyRequests(message: string, retryAfterSeconds: number): Response {
	return json({ error: message }, { status: 429, headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) } });
}

/** A request body's bytes, read without parsing (a render worker parses large ones); a 413 Response past the body size limit. */
export async function readBody(request: Request): Promise<Uint8Array | Response> {
	try {
		return new Uint8Array(await request.arrayBuffer());
	} catch (error) {
		if (hasStatus(error, PAYLOAD_TOO_LARGE)) return apiError(PAYLOAD_TOO_LARGE, 'The request body is larger than the server accepts');
		return apiError(400, 'The request body could not be read');
	}
}

/** Parses a JSON request body against a schema; a Response with a 400 when it does not fit. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S> | Response> {
	let body: unknown;
	try {
		body = await request.json();
	} catch (error) {
		// adapter-node stops reading past BODY_SIZE_LIMIT with a 413 error: too large, not malformed.
		if (hasStatus(error, PAYLOAD_TOO_LARGE)) return apiError(PAYLOAD_TOO_LARGE, 'The request body is larger than the server accepts');
		return apiError(400, 'The request body must be JSON');
	}
	const parsed = parseInput(schema, body);
	return parsed.ok ? parsed.data : apiError(400, parsed.error);
}

/** How deep a chain of `cause`s is searched for a status. */
const MAX_CAUSE_DEPTH = 5;

/** Whether an error, or one of its causes, carries an HTTP status (SvelteKit's body size errors do). */
export function hasStatus(error: unknown, status: number): boolean {
	let current = error;
	for (let depth = 0; depth < MAX_CAUSE_DEPTH && current && typeof current === 'object'; depth++) {
		if ((current as { status?: unknown }).status === status) return true;
		current = (current as { cause?: unknown }).cause;
	}
	return false;
}

/** The signed-in user, or a 401 Response. */
export function requireUser(locals: App.Locals): SessionUser | Response {
	return locals.user ?? apiError(401, 'Sign in first');
}
