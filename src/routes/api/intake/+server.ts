import { getDb } from '$lib/server/db';
import { apiError, PAYLOAD_TOO_LARGE } from '$lib/server/http';
import { acceptResponses } from '$lib/server/intake';
import {
	bearerToken,
	intakeAnswer,
	intakeRateLimited,
	intakeTooLarge,
	MAX_INTAKE_BODY_BYTES,
	readLimitedBody,
	takeIntakeRequest
} from '$lib/server/intake-http';
import { findIntakeToken, noteIntakeTokenUse } from '$lib/server/intake-tokens';
import { MAX_INTAKE_RESPONSES } from '$lib/journey/intake';
import type { RequestHandler } from './$types';

/** Takes a batch of survey responses for the token's board; no cookie or Origin is involved (see hooks.server.ts). */
export const POST: RequestHandler = async ({ request }) => {
	const db = getDb();
	const token = bearerToken(request);
	if (!token) return apiError(401, 'Send the intake token as Authorization: Bearer <token>');
	const holder = await findIntakeToken(db, token);
	if (!holder) return apiError(401, 'Unknown or revoked intake token');
	const wait = await takeIntakeRequest(holder.id);
	if (wait !== null) return intakeRateLimited(wait);
	await noteIntakeTokenUse(db, holder);

	const body = await readLimitedBody(request, MAX_INTAKE_BODY_BYTES);
	if (body === 'too-large') return intakeTooLarge();
	let parsed: unknown;
	try {
		parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
	} catch {
		return apiError(400, 'The request body must be JSON');
	}
	const responses = (parsed as { responses?: unknown } | null)?.responses;
	if (!Array.isArray(responses)) return apiError(400, 'responses: must be a list of responses');
	if (responses.length === 0) return apiError(400, 'responses: must hold at least one response');
	if (responses.length > MAX_INTAKE_RESPONSES) return apiError(PAYLOAD_TOO_LARGE, `responses: at most ${MAX_INTAKE_RESPONSES} per request`);
	return intakeAnswer(await acceptResponses(db, holder.boardId, responses));
};
