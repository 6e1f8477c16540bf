/** Board events pushed live to everyone on a board. */
export type BoardEvent = { type: 'comments' } | { type: 'members' } | { type: 'facilitation' } | { type: 'versions' };

interface Subscriber {
	userId: string;
	sessionId: string;
	send(event: BoardEvent): void;
	close(): void;
}

/** Seconds between keep-alive comments on an event stream, so proxies keep it open. */
export const EVENT_KEEPALIVE_MS = 25_000;

/** Which streams `closeStreams` closes: a session's, a board's, or one member's on a board. */
export interface StreamMatch {
	sessionId?: string;
	boardId?: string;
	userId?: string;
}

/** Hands events and closings to the other processes serving the same boards (`REDIS_URL`). */
export interface StreamRelay {
	publish(boardId: string, event: BoardEvent): void;
	closeStreams(match: StreamMatch): void;
}

/**
 * One process-wide registry: streams are opened by one request and fed by others. It is kept on
 * `globalThis` because the sync server and the SvelteKit handler are bundled apart but share the
 * process, and the sync server delivers other processes' events to the streams opened here.
 */
const SHARED_KEY = Symbol.for('journey-workspace.board-event-streams');
type GlobalWithStreams = typeof globalThis & { [SHARED_KEY]?: { boards: Map<string, Set<Subscriber>>; relay: StreamRelay | null } };
const shared = ((globalThis as GlobalWithStreams)[SHARED_KEY] ??= { boards: new Map(), relay: null });
const boards = shared.boards;

/** Sets (or, with null, removes) where events also go: the other processes. */
export function setStreamRelay(relay: StreamRelay | null): void {
	shared.relay = relay;
}

/** Sends an event to everyone subscribed to the board, on every process. */
export function publish(boardId: string, event: BoardEvent): void {
	publishHere(boardId, event);
	shared.relay?.publish(boardId, event);
}

/** Sends an event to this process's subscribers of the board only. */
export function publishHere(boardId: string, event: BoardEvent): void {
	for (const subscriber of boards.get(boardId) ?? []) subscriber.send(event);
}

/** Closes the streams of a session (log-out) or of a member removed from a board, on every process. */
export function closeStreams(match: StreamMatch): void {
	closeStreamsHere(match);
	shared.relay?.closeStreams(match);
}

/** Closes the matching streams of this process only. */
export function closeStreamsHere(match: StreamMatch): void {
	for (const [boardId, subscribers] of boards) {
		if (match.boardId && match.boardId !== boardId) continue;
		for (const subscriber of subscribers) {
			if (match.sessionId && subscriber.sessionId !== match.sessionId) continue;
			if (match.userId && subscriber.userId !== match.userId) continue;
			subscriber.close();
		}
	}
}

/** A Server-Sent Events response carrying the board's events until the client goes away. */
export function eventStream(boardId: string, who: { userId: string; sessionId: string }, signal: AbortSignal): Response {
	const encoder = new TextEncoder();
	let subscriber: Subscriber;
	let keepAlive: ReturnType<typeof setInterval>;
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			let open = true;
			const write = (text: string) => {
				if (!open) return;
				try {
					controller.enqueue(encoder.encode(text));
				} catch {
					subscriber.close();
				}
			};
			subscriber = {
				...who,
				send: (event) => write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
				close: () => {
					if (!open) return;
					open = false;
					clearInterval(keepAlive);
					boards.get(boardId)?.delete(subscriber);
					if (boards.get(boardId)?.size === 0) boards.delete(boardId);
					try {
						controller.close();
					} catch {
						// already closed by the client going away
					}
				}
			};
			if (!boards.has(boardId)) boards.set(boardId, new Set());
			boards.get(boardId)!.add(subscriber);
			write('retry: 2000\n\n');
			keepAlive = setInterval(() => write(': keep-alive\n\n'), EVENT_KEEPALIVE_MS);
			signal.addEventListener('abort', () => subscriber.close());
		},
		cancel() {
			subscriber.close();
		}
	});
	return new Response(stream, {
		headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' }
	});
}
