import type { Db } from '../src/lib/server/db';
import { CLOSE_CODES } from './close-codes';
import type { Connection } from './connection';
import { sessionIsLive } from './session-check';

/** Interval of keep-alive pings; a socket that misses one is terminated. */
export const PING_INTERVAL_MS = 30_000;
/**
 * Sockets a keep-alive round handles in one event-loop turn; the next slice waits for the turn
 * after, so a round over thousands of sockets never holds up the edits relayed meanwhile.
 */
export const KEEPALIVE_SLICE = 100;

/**
 * Pings every open socket each interval, terminating those that missed the last ping and closing
 * those whose session ended meanwhile. Returns the function that stops it.
 */
export function startKeepalive(db: Db, connections: ReadonlySet<Connection>): () => void {
	let stopped = false;
	const pinger = setInterval(() => {
		keepaliveRound(db, [...connections], () => stopped).catch((error) => console.error('keep-alive round failed', error));
	}, PING_INTERVAL_MS);
	pinger.unref();
	return () => {
		stopped = true;
		clearInterval(pinger);
	};
}

/**
 * One round over the sockets open when it started, `KEEPALIVE_SLICE` at a time. Each session is
 * looked up once per round, however many sockets it holds (a person's tabs, a town hall's guests).
 */
async function keepaliveRound(db: Db, connections: Connection[], stopped: () => boolean): Promise<void> {
	const live = new Map<string, boolean>();
	for (let start = 0; start < connections.length; start += KEEPALIVE_SLICE) {
		if (start > 0) await new Promise((resolve) => setImmediate(resolve));
		if (stopped()) return;
		for (const connection of connections.slice(start, start + KEEPALIVE_SLICE)) {
			const socket = connection.socket;
			if (socket.readyState !== socket.OPEN) continue;
			if (!connection.alive) {
				socket.terminate();
				continue;
			}
			let sessionLive = live.get(connection.sessionId);
			if (sessionLive === undefined) {
				live.set(connection.sessionId, (sessionLive = await sessionIsLive(db, connection.sessionId)));
				// The socket may have closed while the database answered.
				if (socket.readyState !== socket.OPEN) continue;
			}
			// A session that expired (or was deleted) while its socket stayed open ends it too.
			if (!sessionLive) {
				socket.close(CLOSE_CODES.sessionEnded, 'Session ended');
				continue;
			}
			connection.alive = false;
			socket.ping();
		}
	}
}
