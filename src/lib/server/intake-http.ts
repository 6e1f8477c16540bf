import { json } from '@sveltejs/kit';
import { readConfig } from './config';
import { apiError, PAYLOAD_TOO_LARGE, tooManyRequests } from './http';
import type { IntakeOutcome } from './intake';
import { FailureThrottle } from './rate-limit';

/** Largest intake request body (JSON batch or CSV upload): 1 MB. */
export const MAX_INTAKE_BODY_BYTES = 1024 * 1024;
/** The window of the per-token request budget (`INTAKE_MAX_PER_MINUTE`). */
export const INTAKE_WINDOW_MS = 60 * 1000;

/**
 * Reads a request body of at most `maxBytes`; 'too-large' past it. Only the allowed bytes are kept:
 * the rest is read and dropped (so the client gets the answer), never buffered.
 */
export async function readLimitedBody(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | 'too-large'> {
	const declared = Number(request.headers.get('content-length'));
	const reader = request.body?.getReader();
	if (!reader) return new Uint8Array();
	const chunks: Uint8Array[] = [];
	let length = 0;
	let tooLarge = Number.isFinite(declared) && declared > maxBytes;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			length += value.byteLength;
			if (length > maxBytes) tooLarge = true;
			if (!tooLarge) chunks.push(value);
		}
	} catch {
		// The server's own body limit ended the stream: the body is too large all the same.
		if (tooLarge) return 'too-large';
		throw new Error('The request body could not be read');
	}
	if (tooLarge) return 'too-large';
	const body = new Uint8Array(length);
	let offset = 0;
	for (const chunk of chunks) {
		body.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return body;
}

/** The 413 of an intake request over `MAX_INTAKE_BODY_BYTES`. */
export function intakeTooLarge(): Response {
	return apiError(PAYLOAD_TOO_LARGE, `The request body may be at most ${MAX_INTAKE_BODY_BYTES} bytes`);
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(request: Request): string | null {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
	return match ? match[1] : null;
}

let perToken: FailureThrottle | null = null;

/** Counts one request of an intake token (or `user:<id>` for a person's CSV upload): null when it may go on, else the seconds to wait. */
export async function takeIntakeRequest(tokenId: string): Promise<number | null> {
	perToken ??= new FailureThrottle('intake-token', readConfig().intakeRequestsPerMinute, INTAKE_WINDOW_MS);
	const blockedMs = await perToken.take(tokenId);
	return blockedMs > 0 ? Math.ceil(blockedMs / 1000) : null;
}

/** The 429 of an intake token past its budget. */
export function intakeRateLimited(retryAfterSeconds: number): Response {
	return tooManyRequests('Too many intake requests for this token; try again later', retryAfterSeconds);
}

/** The contract's answer to a batch: 200 `{accepted, duplicates}`, or `{error, errors}` with 400 or 413. */
export function intakeAnswer(outcome: IntakeOutcome): Response {
	if (outcome.ok) return json({ accepted: outcome.accepted, duplicates: outcome.duplicates });
	return json({ error: outcome.error, errors: outcome.errors }, { status: outcome.status });
}
