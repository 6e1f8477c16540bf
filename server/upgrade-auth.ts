import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { roleOf } from '../src/lib/server/boards';
import { publicOrigin } from '../src/lib/server/config';
import type { Db } from '../src/lib/server/db';
import type { Role } from '../src/lib/journey/roles';
import { sessionTokenFromCookieHeader, validateSessionToken } from '../src/lib/server/session';

const SYNC_PATH = /^\/sync\/([A-Za-z0-9_-]{1,64})\/?$/;

/** Who opens a socket on which board, as the upgrade request proved. */
export interface UpgradeIdentity {
	boardId: string;
	userId: string;
	/** The account's display name, which its presence carries. */
	userName: string;
	sessionId: string;
	role: Role;
}

/** The upgrade's outcome: not the sync path, refused with an HTTP status, or admitted. */
export type UpgradeAuth =
	{ kind: 'not-sync' } | { kind: 'refused'; status: number; reason: string } | { kind: 'admitted'; identity: UpgradeIdentity };

/** Checks an upgrade to `/sync/:boardId`: same origin, a live session, and a member of the board. */
export function authenticateUpgrade(db: Db, request: IncomingMessage): UpgradeAuth {
	const path = new URL(request.url ?? '/', 'http://localhost').pathname;
	const match = SYNC_PATH.exec(path);
	if (!match) return { kind: 'not-sync' };
	const boardId = match[1];
	const origin = request.headers.origin;
	if (origin !== undefined && origin !== publicOrigin()) return { kind: 'refused', status: 403, reason: 'Forbidden' };
	const token = sessionTokenFromCookieHeader(request.headers.cookie);
	const auth = token ? validateSessionToken(db, token) : null;
	if (!auth?.session) return { kind: 'refused', status: 401, reason: 'Unauthorized' };
	const role = roleOf(db, boardId, auth.user.id);
	if (!role) return { kind: 'refused', status: 404, reason: 'Not Found' };
	return { kind: 'admitted', identity: { boardId, userId: auth.user.id, userName: auth.user.name, sessionId: auth.session.id, role } };
}

/** Seconds a client refused for the process's socket budget is asked to wait (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 5;

/** Answers an upgrade request with a plain HTTP error and closes the socket. */
export function refuse(socket: Duplex, status: number, reason: string): void {
	socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Answers an upgrade request with an HTTP error and a JSON body `{"error": …}`, and closes the socket. */
export function refuseWithError(socket: Duplex, status: number, error: string): void {
	const body = JSON.stringify({ error });
	const retry = status === 503 ? `Retry-After: ${RETRY_AFTER_SECONDS}\r\n` : '';
	const reason = status === 503 ? 'Service Unavailable' : 'Too Many Requests';
	socket.end(
		`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\n${retry}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
	);
}
