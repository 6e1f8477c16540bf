import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { jitterReconnects, MAX_RECONNECT_BACKOFF_MS } from './reconnect-jitter';
import {
	backOffOnStorageTrouble,
	STORAGE_RECOVERED_AFTER_MS,
	STORAGE_RETRY_FIRST_MS,
	STORAGE_RETRY_MAX_MS,
	STORAGE_UNAVAILABLE_CLOSE,
	storageRetryDelay
} from './storage-backoff';

function provider(): WebsocketProvider {
	return new WebsocketProvider('ws://127.0.0.1:9/sync', 'board', new Y.Doc(), {
		connect: false,
		disableBc: true,
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket
	});
}

const storageClose = { code: STORAGE_UNAVAILABLE_CLOSE, reason: '' } as CloseEvent;

/** What the provider itself does after `connection-close`: count the attempt and compute its wait. */
function providerWait(subject: WebsocketProvider): number {
	subject.wsUnsuccessfulReconnects += 1;
	return Math.min(2 ** subject.wsUnsuccessfulReconnects * 100, subject.maxBackoffTime);
}

describe('storageRetryDelay', () => {
	test('the bound doubles up to the cap; the draw is in its upper half', () => {
		expect(storageRetryDelay(1, () => 0)).toBe(STORAGE_RETRY_FIRST_MS / 2);
		expect(storageRetryDelay(1, () => 1)).toBe(STORAGE_RETRY_FIRST_MS);
		expect(storageRetryDelay(3, () => 1)).toBe(STORAGE_RETRY_FIRST_MS * 4);
		expect(storageRetryDelay(30, () => 1)).toBe(STORAGE_RETRY_MAX_MS);
		expect(storageRetryDelay(30, () => 0)).toBe(STORAGE_RETRY_MAX_MS / 2);
	});
});

describe('backOffOnStorageTrouble', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	test('storage closes wait longer each time even though every connection synced first; no storm', () => {
		const subject = provider();
		const trouble: boolean[] = [];
		jitterReconnects(subject, MAX_RECONNECT_BACKOFF_MS, () => 1);
		backOffOnStorageTrouble(
			subject,
			(troubled) => trouble.push(troubled),
			() => 1
		);
		const waits: number[] = [];
		for (let attempt = 0; attempt < 8; attempt++) {
			// Each reconnect syncs (the provider then resets its own count), then the server fails to store.
			subject.synced = true;
			subject.synced = false;
			subject.emit('connection-close', [storageClose, subject]);
			waits.push(providerWait(subject));
		}
		expect(waits).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
		// The trouble is told once, and not over while syncs keep being followed by storage closes.
		expect(trouble).toEqual([true]);
		subject.destroy();
	});

	test('a connection that stays synced ends the trouble and resets the wait', () => {
		const subject = provider();
		const trouble: boolean[] = [];
		backOffOnStorageTrouble(
			subject,
			(troubled) => trouble.push(troubled),
			() => 1
		);
		subject.emit('connection-close', [storageClose, subject]);
		subject.emit('connection-close', [storageClose, subject]);
		subject.emit('sync', [true]);
		vi.advanceTimersByTime(STORAGE_RECOVERED_AFTER_MS - 1);
		expect(trouble).toEqual([true]);
		vi.advanceTimersByTime(1);
		expect(trouble).toEqual([true, false]);
		subject.wsUnsuccessfulReconnects = 0;
		subject.emit('connection-close', [storageClose, subject]);
		expect(providerWait(subject)).toBe(STORAGE_RETRY_FIRST_MS);
		subject.destroy();
	});

	test('other closes keep the ordinary jittered backoff', () => {
		const subject = provider();
		jitterReconnects(subject, MAX_RECONNECT_BACKOFF_MS, () => 1);
		backOffOnStorageTrouble(
			subject,
			() => {},
			() => 1
		);
		subject.emit('connection-close', [{ code: 1006, reason: '' } as CloseEvent, subject]);
		expect(providerWait(subject)).toBe(200);
		subject.destroy();
	});
});
