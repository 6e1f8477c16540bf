import { describe, expect, test } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { jitterReconnects } from './reconnect-jitter';

function provider(): WebsocketProvider {
	return new WebsocketProvider('ws://127.0.0.1:9/sync', 'board', new Y.Doc(), {
		connect: false,
		disableBc: true,
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket
	});
}

describe('jitterReconnects', () => {
	test('each close draws the next delay uniformly below the exponential bound', () => {
		const draws = [0.5, 0, 1, 0.25];
		const subject = provider();
		jitterReconnects(subject, 5_000, () => draws.shift() ?? 1);
		const delays: number[] = [];
		for (let attempt = 0; attempt < 4; attempt++) {
			subject.emit('connection-close', [null, subject]);
			delays.push(subject.maxBackoffTime);
			subject.wsUnsuccessfulReconnects += 1;
		}
		// Bounds 200, 400, 800, 1600 ms (the provider counts the close before it waits).
		expect(delays).toEqual([100, 0, 800, 400]);
		subject.destroy();
	});

	test('the bound stops growing at the cap', () => {
		const subject = provider();
		jitterReconnects(subject, 5_000, () => 1);
		subject.wsUnsuccessfulReconnects = 20;
		subject.emit('connection-close', [null, subject]);
		expect(subject.maxBackoffTime).toBe(5_000);
		subject.destroy();
	});
});
