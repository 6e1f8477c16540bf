/**
 * The message to show for a failed API response: the `error` of its JSON body (`{ "error": "…" }`,
 * as every API route answers a failure), or `fallback` (default: the HTTP status) when the body
 * is not such JSON.
 */
export async function errorFrom(response: Response, fallback = `HTTP ${response.status}`): Promise<string> {
	const body: unknown = await response.json().catch(() => null);
	const error = body && typeof body === 'object' && 'error' in body ? body.error : undefined;
	return typeof error === 'string' ? error : fallback;
}

/** What a call to the API came to: its response, or the message to show for its failure. */
export type ApiOutcome = { ok: true; response: Response } | { ok: false; error: string };

/** Calls the API, with `body` sent as JSON when given; a failure comes back as the message to show. */
export async function callApi(method: string, url: string, body?: unknown, fallback?: string): Promise<ApiOutcome> {
	const response = await fetch(url, {
		method,
		headers: body === undefined ? undefined : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	return response.ok ? { ok: true, response } : { ok: false, error: await errorFrom(response, fallback) };
}
