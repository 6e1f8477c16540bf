import { describe, expect, test } from 'vitest';
import { withSyncOrigin } from './csp';

describe('withSyncOrigin', () => {
	test("adds the origin's WebSocket URL to connect-src only", () => {
		const policy = "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:";
		expect(withSyncOrigin(policy, 'https://journeys.example')).toBe(
			"default-src 'self'; connect-src 'self' wss://journeys.example; img-src 'self' data: blob:"
		);
		expect(withSyncOrigin("connect-src 'self'", 'http://localhost:3000')).toBe("connect-src 'self' ws://localhost:3000");
	});

	test('a policy without connect-src is left alone', () => {
		expect(withSyncOrigin("default-src 'self'", 'https://a.example')).toBe("default-src 'self'");
	});
});
