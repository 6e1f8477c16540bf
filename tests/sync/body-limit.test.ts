/**
 * A JSON body past the server's body size limit (adapter-node's BODY_SIZE_LIMIT) is answered 413
 * with a JSON error, not 400 "must be JSON", whether it declares its length or comes chunked.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cleanup, type Account, type TestServer } from './helpers';
import { setupBoard } from './setup';

/** A small limit keeps the test fast; the mapping is the same at the default. */
const LIMIT_BYTES = 1024 * 1024;

let server: TestServer;
let owner: Account;

beforeAll(async () => {
	({ server, owner } = await setupBoard({ env: { BODY_SIZE_LIMIT: String(LIMIT_BYTES) }, board: false }));
});
afterAll(cleanup);

function oversizedJson(): string {
	return JSON.stringify({ title: 'x'.repeat(LIMIT_BYTES * 2) });
}

describe('an oversized JSON body', () => {
	test('with Content-Length: 413 {"error"}', async () => {
		const response = await fetch(`${server.url}/api/boards`, {
			method: 'POST',
			headers: { cookie: owner.cookie, 'content-type': 'application/json' },
			body: oversizedJson()
		});
		expect(response.status).toBe(413);
		expect((await response.json()).error).toMatch(/larger than/);
	});

	test('sent chunked: 413 {"error"}', async () => {
		const bytes = new TextEncoder().encode(oversizedJson());
		const body = new ReadableStream({
			start(controller) {
				controller.enqueue(bytes);
				controller.close();
			}
		});
		const response = await fetch(`${server.url}/api/boards`, {
			method: 'POST',
			headers: { cookie: owner.cookie, 'content-type': 'application/json' },
			body,
			duplex: 'half'
		} as RequestInit);
		expect(response.status).toBe(413);
		expect((await response.json()).error).toMatch(/larger than/);
	});
});
