import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callApi, errorFrom } from './api-client';

describe('errorFrom', () => {
	it('is the error message of a JSON body', async () => {
		const response = new Response(JSON.stringify({ error: 'Only owners can share' }), {
			status: 403,
			headers: { 'Content-Type': 'application/json' }
		});
		expect(await errorFrom(response, 'Something went wrong')).toBe('Only owners can share');
	});

	it('falls back to the status, or to the message given, when the body is not JSON with an error', async () => {
		expect(await errorFrom(new Response('<html>Bad gateway</html>', { status: 502 }))).toBe('HTTP 502');
		expect(await errorFrom(new Response('', { status: 500 }), 'Something went wrong')).toBe('Something went wrong');
		expect(await errorFrom(new Response(JSON.stringify({ message: 'no' }), { status: 400 }))).toBe('HTTP 400');
		expect(await errorFrom(new Response('null', { status: 404 }))).toBe('HTTP 404');
	});
});

describe('callApi', () => {
	const calls: { url: string; init: RequestInit }[] = [];
	const realFetch = globalThis.fetch;
	beforeEach(() => {
		calls.length = 0;
		globalThis.fetch = (async (url: string, init: RequestInit) => {
			calls.push({ url, init });
			return url.endsWith('/fails')
				? new Response(JSON.stringify({ error: 'Only owners can share' }), { status: 403 })
				: new Response('{}', { status: 200 });
		}) as typeof fetch;
	});
	afterEach(() => {
		globalThis.fetch = realFetch;
	});

	it('sends the body as JSON and gives back the response', async () => {
		const outcome = await callApi('POST', '/api/ok', { email: 'a@example.com' });
		expect(outcome.ok).toBe(true);
		expect(calls[0].init).toMatchObject({
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"email":"a@example.com"}'
		});
	});

	it('sends no body when none is given, and a failure as its message', async () => {
		expect(await callApi('DELETE', '/api/fails')).toEqual({ ok: false, error: 'Only owners can share' });
		expect(calls[0].init.body).toBeUndefined();
		expect(calls[0].init.headers).toBeUndefined();
	});
});
