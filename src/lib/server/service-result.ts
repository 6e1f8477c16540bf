import type { z } from 'zod';
import { describeIssue } from '../journey/schema';

/** A service's refusal: the status and message the API answers with, and a form shows. */
export type Refusal = { ok: false; status: 400 | 403 | 404 | 409; error: string };

export function refuse(status: Refusal['status'], error: string): Refusal {
	return { ok: false, status, error };
}

/** Validates input against a schema; the first problem as one line (`path: message`) when it does not fit. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): { ok: true; data: z.output<S> } | { ok: false; error: string } {
	const parsed = schema.safeParse(input);
	return parsed.success ? { ok: true, data: parsed.data } : { ok: false, error: describeIssue(parsed.error.issues[0]) };
}
