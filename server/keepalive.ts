import type { Db } from '../src/lib/server/db';
import { CLOSE_CODES } from './close-codes';
import type { Connection } from './connection';
import { sessionIsLive } from './session-check';

/** Interval of keep-alive pings; a socket that misses one is terminated. */
export const PING_INTERVAL_MS = 30_000;

/**
 * Pings every open socket each interval, terminating those that missed the last ping and closing
 * those whose session ended meanwhile. Returns the function that stops it.
 */
export function startKeepalive(db: Db, connections: ReadonlySet<Connection>): () => void {
	const pinger = setInterval(() => {
		for (const connection of connections) {
			if (!connection.alive) {
				connection.socket.terminate();
				continue;
			}
			// A session that expired (or was deleted) while its socket stayed open ends it too.
			if (!sessionIsLive(db, connection.sessionId)) {
				connection.socket.close(CLOSE_CODES.sessionEnded, 'Session ended');
				continue;
			}
			connection.alive = false;
			connection.socket.ping();
		}
	}, PING_INTERVAL_MS);
	pinger.unref();
	return () => clearInterval(pinger);
}
