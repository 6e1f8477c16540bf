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
