/**
 * Test support for the sync server's unit tests: just enough of a `ws` socket for a `Connection`.
 * It never reads slowly by itself (`bufferedAmount` stays what a test sets), keeps what it is sent
 * (or hands each frame to `deliver`), and remembers how it was closed.
 */
import type { WebSocket } from 'ws';
import type { Connection } from './connection';
import type { SocketQueue } from './send-budget';

export class TestSocket {
	readonly OPEN = 1;
	readyState = 1;
	bufferedAmount = 0;
	/** The frames sent to it, in order (empty when they go to `deliver`). */
	readonly sent: Uint8Array[] = [];
	/** The close code of its first `close`, or null while open. */
	closedWith: number | null = null;

	/** `deliver`, when given, takes each frame as it is sent (a client applying it), instead of `sent`. */
	constructor(private readonly deliver?: (frame: Uint8Array) => void) {}

	send(frame: Uint8Array, _options: unknown, done?: () => void): void {
		if (this.deliver) this.deliver(frame);
		else this.sent.push(frame);
		done?.();
	}

	close(code: number): void {
		if (this.readyState !== this.OPEN) return;
		this.readyState = 2;
		this.closedWith = code;
	}

	terminate(): void {
		this.readyState = 3;
	}
}

/** A person's connection on `socket`, queueing within `queue`: an editor on `board` unless `fields` say otherwise. */
export function connectionOn(
	socket: TestSocket,
	queue: SocketQueue,
	fields: Partial<Omit<Connection, 'socket' | 'queue'>> = {}
): Connection {
	return {
		socket: socket as unknown as WebSocket,
		boardId: 'board',
		userId: 'user',
		userName: 'Ann',
		sessionId: 'session',
		role: 'editor',
		awarenessIds: new Set(),
		alive: true,
		queue,
		...fields
	};
}
