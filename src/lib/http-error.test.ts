import { describe, expect, it } from 'vitest';
import { errorFrom } from './http-error';

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
