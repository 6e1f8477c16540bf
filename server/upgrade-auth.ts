import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { roleOf } from '../src/lib/server/boards';
import { clientAddressOf } from '../src/lib/server/client-address';
import { publicOrigin } from '../src/lib/server/config';
import type { Db } from '../src/lib/server/db';
import type { Role } from '../src/lib/journey/roles';
import { FailureThrottle, type CountersChoice } from '../src/lib/server/rate-limit';
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
export async function authenticateUpgrade(db: Db, request: IncomingMessage): Promise<UpgradeAuth> {
	const path = new URL(request.url ?? '/', 'http://localhost').pathname;
	const match = SYNC_PATH.exec(path);
	if (!match) return { kind: 'not-sync' };
	const boardId = match[1];
	const origin = request.headers.origin;
	if (origin !== undefined && origin !== publicOrigin()) return { kind: 'refused', status: 403, reason: 'Forbidden' };
	const token = sessionTokenFromCookieHeader(request.headers.cookie);
	const auth = token ? await validateSessionToken(db, token) : null;
	if (!auth?.session) return { kind: 'refused', status: 401, reason: 'Unauthorized' };
	const role = await roleOf(db, boardId, auth.user.id);
	if (!role) return { kind: 'refused', status: 404, reason: 'Not Found' };
	return { kind: 'admitted', identity: { boardId, userId: auth.user.id, userName: auth.user.name, sessionId: auth.session.id, role } };
}

/** The window of the refused-upgrade budget per client address (`SYNC_MAX_REFUSALS_PER_MINUTE`). */
export const FAILED_UPGRADE_WINDOW_MS = 60 * 1000;

/** The upgrade's client address, by the rule HTTP requests follow (`ADDRESS_HEADER`, `XFF_DEPTH`). */
export function upgradeAddress(request: IncomingMessage): string {
	return clientAddressOf((name) => {
		const value = request.headers[name];
		return Array.isArray(value) ? value.join(', ') : value;
	}, request.socket.remoteAddress);
}

/** An upgrade's outcome together with the client address it came from. */
export type AddressedUpgrade =
	| { kind: 'not-sync' }
	| { kind: 'refused'; status: number; reason: string; throttled?: { error: string; retryAfterSeconds: number } }
	| { kind: 'admitted'; identity: UpgradeIdentity; address: string };

/**
 * Authenticates upgrades under a budget of refusals per client address. Past it, an address's
 * upgrades that do not prove a live session are answered 429 with `Retry-After` (one without any
 * session cookie before the database is asked); a member's live session is still admitted, so
 * people sharing a proxy's address with a prober keep following their boards.
 */
export class UpgradeGate {
	readonly #refusals: FailureThrottle;

	constructor(
		private readonly db: Db,
		maxRefusalsPerMinute: number,
		counters?: CountersChoice
	) {
		this.#refusals = new FailureThrottle('sync-refusals-address', maxRefusalsPerMinute, FAILED_UPGRADE_WINDOW_MS, counters);
	}

	/**
	 * Checks an upgrade and counts it against its address when refused. A live session is admitted
	 * without asking the budget; one without a session cookie is refused before the database is asked.
	 */
	async authenticate(request: IncomingMessage): Promise<AddressedUpgrade> {
		if (!isSyncPath(request)) return { kind: 'not-sync' };
		const address = upgradeAddress(request);
		const now = Date.now();
		const auth = await authenticateUpgrade(this.db, request);
		if (auth.kind === 'admitted') return { ...auth, address };
		if (auth.kind === 'not-sync') return auth;
		// Counted only while the address is within its budget, in one step for all processes.
		const blockedMs = await this.#refusals.take(address, now);
		if (blockedMs === 0) return auth;
		return {
			kind: 'refused',
			status: 429,
			reason: 'Too Many Requests',
			throttled: {
				error: 'Too many refused connection attempts from this address; try again later',
				retryAfterSeconds: Math.max(1, Math.ceil(blockedMs / 1000))
			}
		};
	}
}

/** Whether an upgrade asks for the sync endpoint `/sync/:boardId`. */
export function isSyncPath(request: IncomingMessage): boolean {
	return SYNC_PATH.test(new URL(request.url ?? '/', 'http://localhost').pathname);
}

/** Seconds a client refused for the process's socket budget is asked to wait (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 5;

/** Answers a refused upgrade: a plain HTTP status, or 429 with its JSON error and `Retry-After`. */
export function refuseUpgrade(socket: Duplex, refusal: Extract<AddressedUpgrade, { kind: 'refused' }>): void {
	if (refusal.throttled) refuseWithError(socket, 429, refusal.throttled.error, refusal.throttled.retryAfterSeconds);
	else refuse(socket, refusal.status, refusal.reason);
}

/** Answers an upgrade request with a plain HTTP error and closes the socket. */
export function refuse(socket: Duplex, status: number, reason: string): void {
	socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Answers an upgrade request with an HTTP error and a JSON body `{"error": …}`, and closes the
 * socket; a 503 always carries `Retry-After`, a 429 when `retryAfterSeconds` is given.
 */
export function refuseWithError(socket: Duplex, status: number, error: string, retryAfterSeconds?: number): void {
	const body = JSON.stringify({ error });
	const wait = status === 503 ? RETRY_AFTER_SECONDS : retryAfterSeconds;
	const retry = wait !== undefined ? `Retry-After: ${wait}\r\n` : '';
	const reason = status === 503 ? 'Service Unavailable' : 'Too Many Requests';
	socket.end(
		`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\n${retry}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
	);
}
