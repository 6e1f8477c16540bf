/**
 * Shared helpers of the sync integration suite: the real built server (`build/app-server.js`) in a
 * child process on a loopback port with a temporary DATA_DIR, real HTTP, real `WebsocketProvider`
 * clients. Every server and client made here is torn down by `cleanup()` (call it in `afterAll`).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Journey, Touchpoint } from '../../src/lib/journey/schema';
import { newTouchpoint } from '../../src/lib/journey/touchpoint';
import { queryDatabase, startCluster, startRoundRobinProxy } from '../support/cluster';
import { registerCleanup, runCleanups, startProductProcess, type ProductProcess } from '../support/product-process';

/** Generous default wait for anything eventually-consistent; never an assertion. */
export const WAIT_TIMEOUT_MS = 20_000;
const POLL_INTERVAL_MS = 10;
/** Reconnect quickly in tests; the provider's default backoff grows to 2.5 s. */
const CLIENT_MAX_BACKOFF_MS = 200;

export const PASSWORD = 'correct horse battery';
/** An origin that is not the server's. */
export const FOREIGN_ORIGIN = 'https://evil.example';

/**
 * Whether this run is the sync suite on PostgreSQL (the `sync-pg` project): every `newServer()` is
 * then two product processes on one PostgreSQL database and one Redis, behind a round-robin proxy.
 * Tests of the SQLite file itself skip with `describe.skipIf(onPostgres)`.
 */
export const onPostgres = process.env.SYNC_ON_POSTGRES === '1';

/** Tears down every client and server created by these helpers (afterAll). */
export async function cleanup(): Promise<void> {
	await runCleanups();
}

/** Asserts that `predicate` comes true: polls it until it is truthy; throws after `timeoutMs` with `what` in the message. */
export async function waitFor<T>(
	predicate: () => T | Promise<T>,
	what = 'condition',
	timeoutMs = WAIT_TIMEOUT_MS
): Promise<NonNullable<T>> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown = null;
	for (;;) {
		try {
			const value = await predicate();
			if (value) {
				// Waiting for a condition asserts that it comes true: the test counts it as an assertion.
				expect(value, what).toBeTruthy();
				return value as NonNullable<T>;
			}
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) {
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
		}
		await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
	}
}

// ---------------------------------------------------------------------------------------------
// The server process

/**
 * The server a sync test holds (`newServer`): one product process, or on PostgreSQL a two-process
 * cluster behind a proxy standing for one (`databaseUrl` its database, `pid` its first process).
 */
export type TestServer = Pick<
	ProductProcess,
	'url' | 'syncUrl' | 'port' | 'origin' | 'dataDir' | 'databaseUrl' | 'exitCode' | 'pid' | 'pids' | 'stderr' | 'stop' | 'kill9' | 'restart'
>;

/** Where HTTP requests and sockets go: a server, one process of a cluster, or a proxy in front. */
export type Endpoint = Pick<TestServer, 'url' | 'syncUrl'>;

/**
 * Socket budgets of the suites' servers: the suites stand in for many people with one account, so
 * the per-person budgets are lifted unless a suite sets its own (`battery-budgets.test.ts`).
 */
const SUITE_SOCKET_BUDGETS = { SYNC_MAX_SOCKETS_PER_USER_BOARD: '10000', SYNC_MAX_SOCKETS_PER_USER: '10000' };
/** Sign-ups per address and personal invites per owner: the suites' accounts sign up from loopback, and one owner shares with many (`accounts-throttle.test.ts` sets its own). */
const SUITE_SIGNUP_BUDGET = { SIGNUP_MAX_PER_HOUR: '100000', INVITES_MAX_PER_HOUR: '100000' };

/**
 * Starts the built server on a loopback port 0 with a fresh temporary DATA_DIR; on PostgreSQL
 * (`onPostgres`), a two-process cluster behind a round-robin proxy that stands for it.
 */
export async function newServer(env: Record<string, string> = {}): Promise<TestServer> {
	const settings = { ...SUITE_SOCKET_BUDGETS, ...SUITE_SIGNUP_BUDGET, ...env };
	if (onPostgres) return newClusterServer(settings);
	return startProductProcess(settings);
}

/**
 * Two product processes on a fresh PostgreSQL database and their own Redis, seen through a TCP
 * proxy that sends each new connection to the next process: one test's HTTP requests and sockets
 * land on both. Stopping, killing and restarting act on both processes; the proxy stays.
 */
async function newClusterServer(env: Record<string, string>): Promise<TestServer> {
	const proxy = await startRoundRobinProxy();
	const { processes, databaseUrl } = await startCluster({ env: { ORIGIN: `http://localhost:${proxy.port}`, ...env } });
	proxy.setTargets(processes.map((member) => member.port));
	const all = (action: (member: ProductProcess) => Promise<void>) => Promise.all(processes.map(action)).then(() => {});
	return {
		url: proxy.url,
		syncUrl: proxy.syncUrl,
		port: proxy.port,
		get origin() {
			return processes[0].origin;
		},
		dataDir: processes[0].dataDir,
		databaseUrl,
		get exitCode() {
			return processes.map((member) => member.exitCode).find((code) => code !== null) ?? null;
		},
		get pid() {
			return processes[0].pid;
		},
		get pids() {
			return processes.flatMap((member) => member.pids);
		},
		get stderr() {
			return processes.map((member) => member.stderr).join('');
		},
		stop: () => all((member) => member.stop()),
		kill9: () => all((member) => member.kill9()),
		async restart() {
			await all((member) => member.stop());
			proxy.dropConnections();
			// One after the other, as a rolling restart would (and the first applies any migration alone).
			for (const member of processes) await member.start();
		}
	};
}

/** What one statement on a server's database returned: its rows (reads) and the rows it changed (writes). */
export interface QueryResult<Row> {
	rows: Row[];
	changes: number;
}

/**
 * Runs one SQL statement, written with `?` placeholders in SQL both dialects read, straight on a
 * server's database: its SQLite file (the server runs in WAL mode) or its PostgreSQL database.
 * For setting up states the API cannot make (an expired session) and for counting stored rows.
 * Counts come back as numbers from both (`count(*) AS n`).
 */
export async function queryServerDb<Row = Record<string, unknown>>(
	server: TestServer,
	sql: string,
	params: unknown[] = []
): Promise<QueryResult<Row>> {
	if (server.databaseUrl) {
		let index = 0;
		const result = await queryDatabase<Row>(
			server.databaseUrl,
			sql.replace(/\?/g, () => `$${++index}`),
			params
		);
		return { rows: result.rows, changes: result.rowCount };
	}
	const db = new Database(join(server.dataDir, 'journey.db'));
	try {
		db.pragma('busy_timeout = 5000');
		const statement = db.prepare(sql);
		if (statement.reader) return { rows: statement.all(...params) as Row[], changes: 0 };
		return { rows: [], changes: statement.run(...params).changes };
	} finally {
		db.close();
	}
}

// ---------------------------------------------------------------------------------------------
// HTTP

export interface ApiResponse {
	status: number;
	headers: Headers;
	/** Parsed JSON body, or null for an empty body. */
	body: any;
}

/** One HTTP request; `body` objects are sent as JSON, strings and FormData as they are. */
export async function api(
	server: Endpoint,
	method: string,
	path: string,
	options: { cookie?: string; body?: unknown; headers?: Record<string, string> } = {}
): Promise<ApiResponse> {
	const headers: Record<string, string> = { ...options.headers };
	if (options.cookie) headers.cookie = options.cookie;
	let body: BodyInit | undefined;
	if (typeof options.body === 'string' || options.body instanceof FormData) body = options.body;
	else if (options.body !== undefined) {
		body = JSON.stringify(options.body);
		headers['content-type'] ??= 'application/json';
	}
	const response = await fetch(server.url + path, { method, headers, body, redirect: 'manual' });
	const text = await response.text();
	let parsed: unknown = null;
	if (text) {
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = text;
		}
	}
	return { status: response.status, headers: response.headers, body: parsed };
}

export interface Account {
	id: string;
	email: string;
	name: string;
	/** `session=<token>`, ready for a Cookie header. */
	cookie: string;
}

/** The `session=...` pair of a response's Set-Cookie headers, or null. */
export function sessionCookie(headers: Headers): string | null {
	for (const header of headers.getSetCookie()) {
		const pair = header.split(';')[0];
		if (pair.startsWith('session=') && pair !== 'session=') return pair;
	}
	return null;
}

let accountSeq = 0;

/** Signs a new account up; the email is unique per call. */
export async function signUp(server: Endpoint, name: string): Promise<Account> {
	const email = `${name.toLowerCase().replace(/[^a-z0-9]/g, '')}-${++accountSeq}-${process.pid}@example.test`;
	const response = await api(server, 'POST', '/api/auth/signup', { body: { email, password: PASSWORD, name } });
	if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${JSON.stringify(response.body)}`);
	const cookie = sessionCookie(response.headers);
	if (!cookie) throw new Error('signup set no session cookie');
	return { ...response.body.user, cookie };
}

/** Creates a board owned by `owner`; returns its id. */
export async function createBoard(
	server: Endpoint,
	owner: Account,
	input: { title?: string; template?: string; journey?: unknown } = { title: 'Test board' }
): Promise<string> {
	const response = await api(server, 'POST', '/api/boards', { cookie: owner.cookie, body: input });
	if (response.status !== 201) throw new Error(`create board failed: ${response.status} ${JSON.stringify(response.body)}`);
	return response.body.id;
}

/**
 * Adds `member` to the board with `role` (or changes their role), as `owner`. An address not yet
 * confirmed gets a personal invite (202), which the member then accepts with its link's token.
 */
export async function addMember(
	server: Endpoint,
	owner: Account,
	boardId: string,
	member: Account,
	role: 'owner' | 'editor' | 'commenter' | 'viewer'
): Promise<void> {
	const response = await api(server, 'POST', `/api/boards/${boardId}/members`, {
		cookie: owner.cookie,
		body: { email: member.email, role }
	});
	if (response.status === 202) {
		await acceptInvite(server, member, response.body.invite.url);
		return;
	}
	if (response.status !== 201) throw new Error(`add member failed: ${response.status} ${JSON.stringify(response.body)}`);
}

/** The token at the end of an invite link (`…/join/<token>`). */
export function inviteToken(url: string): string {
	return new URL(url).pathname.split('/').pop()!;
}

/** `account` accepts an invite (a link or a personal invite) through the API. */
export async function acceptInvite(server: Endpoint, account: Account, url: string): Promise<void> {
	const accepted = await api(server, 'POST', '/api/invites/accept', { cookie: account.cookie, body: { token: inviteToken(url) } });
	if (accepted.status !== 200) throw new Error(`accepting the invite failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
}

/** The board's journey JSON as the server has it. */
export async function getJourney(server: Endpoint, account: Account, boardId: string): Promise<Journey> {
	const response = await api(server, 'GET', `/api/boards/${boardId}/journey`, { cookie: account.cookie });
	if (response.status !== 200) throw new Error(`get journey failed: ${response.status} ${JSON.stringify(response.body)}`);
	return response.body;
}

// ---------------------------------------------------------------------------------------------
// WebSocket clients

/** A `ws` WebSocket class that sends the session cookie (and optionally an Origin) at the upgrade. */
export function webSocketWith(cookie: string | null, origin?: string) {
	return class extends WebSocket {
		constructor(address: string | URL | null, protocols?: string | string[]) {
			super(address!, protocols, { headers: cookie ? { cookie } : {}, ...(origin ? { origin } : {}) });
		}
	};
}

export interface Client {
	doc: Y.Doc;
	provider: WebsocketProvider;
	/** Resolves when the provider has first synced with the server. */
	synced: Promise<void>;
	/** Close codes of every server-side close of this client's sockets, in order. */
	closeCodes: number[];
	/** Stops and forgets the client. */
	destroy(): void;
}

/** A real `WebsocketProvider` on the board, authenticated by `cookie`. */
export function connectClient(
	server: Endpoint,
	cookie: string,
	boardId: string,
	options: { doc?: Y.Doc; origin?: string; connect?: boolean } = {}
): Client {
	const doc = options.doc ?? new Y.Doc();
	const provider = new WebsocketProvider(server.syncUrl, boardId, doc, {
		WebSocketPolyfill: webSocketWith(cookie, options.origin) as unknown as typeof globalThis.WebSocket,
		// Two providers of one room in one process would otherwise sync through a BroadcastChannel,
		// around the server, and hide exactly what these tests check.
		disableBc: true,
		maxBackoffTime: CLIENT_MAX_BACKOFF_MS,
		connect: options.connect ?? true
	});
	const closeCodes: number[] = [];
	provider.on('connection-close', (event) => {
		if (event) closeCodes.push(event.code);
	});
	const synced = new Promise<void>((resolveSynced) => {
		if (provider.synced) return resolveSynced();
		const onSync = (state: boolean) => {
			if (!state) return;
			provider.off('sync', onSync);
			resolveSynced();
		};
		provider.on('sync', onSync);
	});
	let destroyed = false;
	const client: Client = {
		doc,
		provider,
		synced,
		closeCodes,
		destroy() {
			if (destroyed) return;
			destroyed = true;
			provider.destroy();
			doc.destroy();
		}
	};
	registerCleanup(() => client.destroy());
	return client;
}

/** Connects, waits for the first sync, and returns a copy of the server's document. */
export async function loadFresh(server: Endpoint, account: Account, boardId: string): Promise<Y.Doc> {
	const client = connectClient(server, account.cookie, boardId);
	try {
		await waitFor(() => client.synced.then(() => true), 'a fresh client to sync');
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(client.doc));
		return copy;
	} finally {
		client.destroy();
	}
}

/** A raw `ws` socket on `/sync/:boardId`, open and authenticated; for hostile frames. */
export async function openRawSocket(server: TestServer, cookie: string, boardId: string): Promise<RawSocket> {
	const socket = new WebSocket(`${server.syncUrl}/${boardId}`, { headers: { cookie } });
	const closed = new Promise<number>((resolveClose) => socket.once('close', (code) => resolveClose(code)));
	socket.on('error', () => {});
	await new Promise<void>((resolveOpen, rejectOpen) => {
		socket.once('open', resolveOpen);
		socket.once('unexpected-response', (_request, response) => rejectOpen(new Error(`upgrade refused: ${response.statusCode}`)));
	});
	registerCleanup(() => socket.terminate());
	return { socket, closed };
}

export interface RawSocket {
	socket: WebSocket;
	/** Resolves with the close code once the socket is closed. */
	closed: Promise<number>;
}

/**
 * Attempts the `/sync/:boardId` upgrade with the `ws` package directly; resolves with the HTTP
 * status the server answered (101 when the socket opened).
 */
export function upgradeStatus(server: TestServer, boardId: string, options: { cookie?: string; origin?: string } = {}): Promise<number> {
	return new Promise((resolveStatus, rejectStatus) => {
		const socket = new WebSocket(`${server.syncUrl}/${boardId}`, {
			headers: options.cookie ? { cookie: options.cookie } : {},
			...(options.origin ? { origin: options.origin } : {})
		});
		socket.once('unexpected-response', (_request, response) => {
			resolveStatus(response.statusCode ?? 0);
			response.resume();
			socket.terminate();
		});
		socket.once('open', () => {
			resolveStatus(101);
			socket.close();
		});
		socket.once('error', (error) => rejectStatus(error));
	});
}

// ---------------------------------------------------------------------------------------------
// Journey content

/** Stage and lane of the `blank` template, so touchpoints made here are valid on a blank board. */
export const BLANK_STAGE = 'stage-1';
export const BLANK_LANE = 'lane-touchpoints';

/** A valid touchpoint for a blank board. */
export function touchpoint(id: string, fields: Partial<Touchpoint> = {}): Touchpoint {
	return newTouchpoint({ id, stageId: BLANK_STAGE, laneId: BLANK_LANE, title: `Touchpoint ${id}`, ...fields });
}

/** The ids of a document's touchpoints map. */
export function touchpointIds(doc: Y.Doc): string[] {
	return [...doc.getMap('touchpoints').keys()].sort();
}

/**
 * A causal barrier through the server: sets an awareness marker on `from` and waits until `to`
 * sees it. The server handles one socket's frames in order, so every document frame `from` sent
 * before has been handled (applied and relayed, or dropped) by then.
 */
export async function barrier(from: Client, to: Client): Promise<void> {
	const marker = `${Date.now()}-${Math.random()}`;
	from.provider.awareness.setLocalStateField('barrier', marker);
	await waitFor(
		() => to.provider.awareness.getStates().get(from.doc.clientID)?.barrier === marker,
		'the awareness barrier to pass through the server'
	);
}
