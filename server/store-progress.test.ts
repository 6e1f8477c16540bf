import { describe, expect, test } from 'vitest';
import { CLOSE_CODES } from './close-codes';
import type { Connection } from './connection';
import { SendBudget, SocketQueue } from './send-budget';
import { StoreProgress } from './store-progress';
import { connectionOn, TestSocket } from './test-socket';

const PER_SOCKET_BYTES = 1000;

/** An editor on a socket that reads nothing yet (its frames are kept in `sent`). */
function connect(budget: SendBudget): { connection: Connection; socket: TestSocket } {
	const socket = new TestSocket();
	return { connection: connectionOn(socket, new SocketQueue(budget)), socket };
}

const frameOf = (bytes: number) => new Uint8Array(bytes);

describe('frames held until their changes are stored', () => {
	test('count against the socket budget: past it the socket is cut as a slow reader, and nothing of it is kept', () => {
		const progress = new StoreProgress();
		const { connection, socket } = connect(new SendBudget(PER_SOCKET_BYTES, 100 * PER_SOCKET_BYTES));
		progress.applied();
		for (let i = 0; i < 3; i++) progress.send(connection, frameOf(300));
		expect(socket.closedWith).toBeNull();
		progress.send(connection, frameOf(300));
		expect(socket.closedWith).toBe(CLOSE_CODES.slowConsumer);
		progress.stored(1);
		expect(socket.sent).toEqual([]);
	});

	test('go out in order once stored, and free the budget they took', () => {
		const progress = new StoreProgress();
		const { connection, socket } = connect(new SendBudget(PER_SOCKET_BYTES, 100 * PER_SOCKET_BYTES));
		progress.applied();
		const frames = [frameOf(400), frameOf(400)];
		for (const frame of frames) progress.send(connection, frame);
		progress.stored(1);
		expect(socket.sent).toEqual(frames);
		progress.applied();
		for (const frame of frames) progress.send(connection, frame);
		expect(socket.closedWith).toBeNull();
	});

	test('a whole state larger than the budget is held alone, with the relays queued behind it', () => {
		const progress = new StoreProgress();
		const { connection, socket } = connect(new SendBudget(PER_SOCKET_BYTES, 100 * PER_SOCKET_BYTES));
		progress.applied();
		progress.send(connection, frameOf(5 * PER_SOCKET_BYTES));
		progress.send(connection, frameOf(200));
		expect(socket.closedWith).toBeNull();
		progress.send(connection, frameOf(5 * PER_SOCKET_BYTES));
		expect(socket.closedWith).toBe(CLOSE_CODES.slowConsumer);
	});
});
