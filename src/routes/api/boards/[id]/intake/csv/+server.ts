import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { apiError } from '$lib/server/http';
import { acceptCsv } from '$lib/server/intake';
import {
	intakeAnswer,
	intakeRateLimited,
	intakeTooLarge,
	MAX_INTAKE_BODY_BYTES,
	readLimitedBody,
	takeIntakeRequest
} from '$lib/server/intake-http';
import type { RequestHandler } from './$types';

/** Room for the multipart framing around a CSV of `MAX_INTAKE_BODY_BYTES`. */
const MULTIPART_OVERHEAD_BYTES = 16 * 1024;

/** Takes a CSV of survey responses (multipart field `file`) from an editor or owner. */
export const POST: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'editDocument');
	if (access instanceof Response) return access;
	// Uploads draw on the same per-minute budget as a token, per person.
	const wait = await takeIntakeRequest(`user:${access.user.id}`);
	if (wait !== null) return intakeRateLimited(wait);
	const contentType = request.headers.get('content-type') ?? '';
	if (!contentType.toLowerCase().startsWith('multipart/form-data'))
		return apiError(400, 'Send the CSV as multipart/form-data in the field "file"');
	const body = await readLimitedBody(request, MAX_INTAKE_BODY_BYTES + MULTIPART_OVERHEAD_BYTES);
	if (body === 'too-large') return intakeTooLarge();
	let file: FormDataEntryValue | null;
	try {
		file = (await new Response(body, { headers: { 'content-type': contentType } }).formData()).get('file');
	} catch {
		return apiError(400, 'The request body is not valid multipart/form-data');
	}
	if (!(file instanceof File)) return apiError(400, 'file: a CSV file is required');
	if (file.size > MAX_INTAKE_BODY_BYTES) return intakeTooLarge();
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
	} catch {
		return apiError(400, 'file: the CSV must be UTF-8');
	}
	return intakeAnswer(await acceptCsv(db, params.id, text));
};
