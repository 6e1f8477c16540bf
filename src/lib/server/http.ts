import { json } from '@sveltejs/kit';
import type { z } from 'zod';
import { parseInput } from './service-result';
import type { SessionUser } from './session';

/** The contract's error body: `{"error": message}` with a fitting status. */
export function apiError(status: number, message: string): Response {
	return json({ error: message }, { status });
}

/** Parses a JSON request body against a schema; a Response with a 400 when it does not fit. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S> | Response> {
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		return apiError(400, 'The request body must be JSON');
	}
	const parsed = parseInput(schema, body);
	return parsed.ok ? parsed.data : apiError(400, parsed.error);
}

/** The signed-in user, or a 401 Response. */
export function requireUser(locals: App.Locals): SessionUser | Response {
	return locals.user ?? apiError(401, 'Sign in first');
}
