import type { Db } from '../src/lib/server/db';
import { CLOSE_CODES } from './close-codes';
import type { Connection } from './connection';
import { liveSessions } from './session-check';

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
		keepaliveRound(db, [...connections], () => stopped, true).catch((error) => console.error('keep-alive round failed', error));
	}, PING_INTERVAL_MS);
	pinger.unref();
	return () => {
		stopped = true;
		clearInterval(pinger);
	};
}

/**
 * Closes the open sockets whose session ended, as a keep-alive round does but without pinging:
 * run when the cluster bus is back, since a sign-out made meanwhile through another process was
 * not heard here.
 */
export function closeEndedSessions(db: Db, connections: ReadonlySet<Connection>): Promise<void> {
	return keepaliveRound(db, [...connections], () => false, false);
}

/**
 * One round over the sockets open when it started, `KEEPALIVE_SLICE` at a time. Each session is
 * looked up once per round, however many sockets it holds (a person's tabs, a town hall's guests),
 * and a slice's sessions in one query. Pinging, it also terminates the sockets that missed the last ping.
 */
async function keepaliveRound(db: Db, connections: Connection[], stopped: () => boolean, ping: boolean): Promise<void> {
	const live = new Map<string, boolean>();
	for (let start = 0; start < connections.length; start += KEEPALIVE_SLICE) {
		if (start > 0) await new Promise((resolve) => setImmediate(resolve));
		if (stopped()) return;
		const slice = connections.slice(start, start + KEEPALIVE_SLICE);
		const unknown = [...new Set(slice.map((connection) => connection.sessionId).filter((id) => !live.has(id)))];
		const found = await liveSessions(db, unknown);
		for (const id of unknown) live.set(id, found.has(id));
		for (const connection of slice) {
			// The socket may have closed while the database answered.
			const socket = connection.socket;
			if (socket.readyState !== socket.OPEN) continue;
			if (ping && !connection.alive) {
				socket.terminate();
				continue;
			}
			// A session that expired (or was deleted) while its socket stayed open ends it too.
			if (!live.get(connection.sessionId)) {
				socket.close(CLOSE_CODES.sessionEnded, 'Session ended');
				continue;
			}
			if (!ping) continue;
			connection.alive = false;
			socket.ping();
		}
	}
}
