import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { openFilesLimit, socketsWithinLimit } from './descriptor-limit';

/** Default port when `PORT` is not set (contract). */
export const DEFAULT_PORT = 3000;

/** Runtime configuration read from the environment (see the README's table). */
export interface Config {
	port: number;
	host: string;
	dataDir: string;
	/** `DATABASE_URL`: a `postgres://…` database holding everything; null: SQLite in `dataDir`. */
	databaseUrl: string | null;
	origin: string;
	/** Largest evidence upload in bytes (`UPLOAD_LIMIT_MB`, default 10). */
	uploadLimitBytes: number;
	/** Largest WebSocket frame a sync client may send (`SYNC_MAX_MESSAGE_MB`, default 16); 1009 past it. */
	syncMaxMessageBytes: number;
	/** Largest stored board document (`BOARD_MAX_DOC_MB`, default 32); updates past it are refused. */
	boardMaxDocBytes: number;
	/** Budget of a board's live document in memory, as estimated from its structs (`BOARD_MAX_MEMORY_MB`, default 256); updates past it are refused. */
	boardMaxMemoryBytes: number;
	/** Largest awareness (presence) state of one client (`AWARENESS_MAX_STATE_KB`, default 32). */
	awarenessMaxStateBytes: number;
	/** Awareness updates a connection may make per second (`AWARENESS_MAX_PER_SECOND`, default 30). */
	awarenessMaxPerSecond: number;
	/** Milliseconds between two broadcasts of one board's coalesced presence changes (`AWARENESS_TICK_MS`, default 50). */
	awarenessTickMs: number;
	/** Presence updates one board applies per second, whoever sends them (`AWARENESS_BOARD_PER_SEC`, default 600). */
	awarenessBoardMaxPerSecond: number;
	/** Updates in a board's log that trigger compaction into its snapshot (`COMPACT_AFTER_UPDATES`, default 500). */
	compactAfterUpdates: number;
	/** Seconds without a write after which a board's room drops its `Y.Doc` and keeps only the encoded state (`ROOM_SLEEP_SECONDS`, default 300). */
	roomSleepMs: number;
	/** Sync sockets one person (a guest too) may hold on one board (`SYNC_MAX_SOCKETS_PER_USER_BOARD`, default 8). */
	syncMaxSocketsPerUserBoard: number;
	/** Sync sockets one person may hold across all boards (`SYNC_MAX_SOCKETS_PER_USER`, default 32). */
	syncMaxSocketsPerUser: number;
	/** Sync sockets on one board, everyone together (`SYNC_MAX_SOCKETS_PER_BOARD`, default 1,000). */
	syncMaxSocketsPerBoard: number;
	/** Sync sockets of the whole process (`SYNC_MAX_SOCKETS`, default 4,000 or fewer to leave a fifth of the file descriptor limit). */
	syncMaxSockets: number;
	/** Sync sockets from one client address, as `ADDRESS_HEADER` gives it (`SYNC_MAX_SOCKETS_PER_ADDRESS`, default 1,000). */
	syncMaxSocketsPerAddress: number;
	/**
	 * With `REDIS_URL`, how long a socket counts in the shared socket budgets without being renewed
	 * (`SYNC_SOCKET_LEASE_SECONDS`, default 30, at least 1): a killed process's sockets stop counting after it.
	 */
	syncSocketLeaseMs: number;
	/** Refused sync upgrades one client address may make per minute before the unauthenticated ones get 429 (`SYNC_MAX_REFUSALS_PER_MINUTE`, default 600). */
	syncMaxRefusalsPerMinute: number;
	/** Bytes queued to one sync socket beyond the frame it is reading (`SYNC_MAX_QUEUED_MB`, default 8); 4000 past it. */
	syncMaxQueuedBytes: number;
	/** Bytes queued to all sync sockets together, each frame counted once (`SYNC_MAX_QUEUED_TOTAL_MB`, default 512). */
	syncMaxQueuedTotalBytes: number;
	/** Bytes of frames still arriving on all sync sockets together (`SYNC_MAX_PARTIAL_TOTAL_MB`, default 64); 4001 past it. */
	syncMaxPartialTotalBytes: number;
	/** How long one frame may take to arrive (`SYNC_FRAME_TIMEOUT_SECONDS`, default 60); 4001 past it. */
	syncFrameTimeoutMs: number;
	/** Worker threads that render exports and derive journeys off the event loop (`RENDER_WORKERS`, default cores − 1, 1–2). */
	renderWorkers: number;
	/** Render jobs that may wait for a worker (`RENDER_QUEUE_MAX`, default 16); past it, 503. */
	renderQueueMax: number;
	/** Heap cap of one render worker, in megabytes (`RENDER_WORKER_HEAP_MB`, default 512). */
	renderWorkerHeapMb: number;
	/** Image and PDF exports one person may start per minute (`EXPORTS_PER_MINUTE`, default 30); past it, 429. */
	exportsPerMinute: number;
	/** Reads of a board's journey, analysis, exports and versions one person may make per minute (`READS_PER_MINUTE`, default 120); past their share a read waits its turn, then 429. */
	readsPerMinute: number;
	/** Sign-ups one client address may make per hour (`SIGNUP_MAX_PER_HOUR`, default 30); past it, 429. */
	signupsPerHour: number;
	/** Requests one intake token may make per minute (`INTAKE_MAX_PER_MINUTE`, default 120); past it, 429. */
	intakeRequestsPerMinute: number;
	/** Where mail is sent (`SMTP_URL`, `smtp://user:pass@host:587` or `smtps://…`); null: no mail, and nothing that needs it is offered. */
	smtpUrl: string | null;
	/** The sender of mails (`MAIL_FROM`); empty: `Journey workspace <no-reply@ORIGIN's host>`. */
	mailFrom: string;
	/** Personal invites one board owner may send per hour (`INVITES_MAX_PER_HOUR`, default 100); past it, 429. */
	invitesPerHour: number;
	/** How long mentions of one person are collected into one digest mail (`MENTION_DIGEST_MINUTES`, default 15). */
	mentionDigestMs: number;
	/** Most touchpoints a board may have to be rendered as SVG, PNG or PDF (`EXPORT_MAX_CARDS`, default 2000); past it, 413. */
	exportMaxCards: number;
	/** Most journey JSON a board may have to be rendered, in bytes (`EXPORT_MAX_TEXT_MB`, default 4); past it, 413. */
	exportMaxTextBytes: number;
	/** Memory kept for boards' derived reads (journey, analysis, exports), in bytes (`READ_CACHE_MB`, default 64). */
	readCacheBytes: number;
	/** Single sign-on with OpenID Connect (`OIDC_ISSUER`, `OIDC_CLIENT_ID`, `OIDC_CLIENT_SECRET`); null when not configured. */
	oidc: OidcConfig | null;
	/** Where sync processes exchange updates, presence and events (`REDIS_URL`, `redis://…`); null: one process, no bus. */
	redisUrl: string | null;
	/** While Redis is unreachable, how often each open board reads other processes' edits from the store (`CLUSTER_POLL_MS`, default 1,000). */
	clusterPollMs: number;
	/**
	 * With `REDIS_URL`: how long a sign-out, removal, role change, lock or board deletion waits for
	 * every other process to say it applied it before it is answered (`CLUSTER_EVENT_ACK_MS`, default 2,000).
	 */
	clusterEventAckMs: number;
}

/** Single sign-on with an OpenID Connect provider. */
export interface OidcConfig {
	/** The issuer identifier, as the provider's discovery document states it (`OIDC_ISSUER`). */
	issuer: string;
	clientId: string;
	clientSecret: string;
	/** The provider's name on the sign-in button (`OIDC_NAME`, default `SSO`). */
	name: string;
	/** Password sign-in and sign-up are turned off (`OIDC_ONLY=true`); guests still join by invite link. */
	only: boolean;
}

/** Longest `OIDC_NAME`: it must fit on the sign-in button. */
export const OIDC_NAME_MAX_LENGTH = 40;
/** The button's name when `OIDC_NAME` is unset. */
export const DEFAULT_OIDC_NAME = 'SSO';

/** Default evidence upload limit in megabytes. */
export const DEFAULT_UPLOAD_LIMIT_MB = 10;
/** Default largest sync frame, in megabytes: far above any single edit, far below the memory of a small host. */
export const DEFAULT_SYNC_MAX_MESSAGE_MB = 16;
/** Default largest board document, in megabytes (a 2,000-card board with evidence is about 2 MB). */
export const DEFAULT_BOARD_MAX_DOC_MB = 32;
/** Default memory budget of one board's live document, in megabytes (a 2,000-card board with evidence estimates to about 35 MB). */
export const DEFAULT_BOARD_MAX_MEMORY_MB = 256;
/** Default largest awareness state, in kilobytes (a selection of ~1,500 cards). */
export const DEFAULT_AWARENESS_MAX_STATE_KB = 32;
/** Default awareness update rate per connection (the canvas sends cursors at most 20 times a second). */
export const DEFAULT_AWARENESS_MAX_PER_SECOND = 30;
/** Default presence tick, in milliseconds: 20 broadcasts a second, as often as the canvas sends cursors. */
export const DEFAULT_AWARENESS_TICK_MS = 50;
/** Default presence budget of one board per second: 30 people moving their cursors at the canvas's full rate. */
export const DEFAULT_AWARENESS_BOARD_PER_SEC = 600;
/** Default compaction threshold of a board's update log. */
export const DEFAULT_COMPACT_AFTER_UPDATES = 500;
/** Default idle time before a board's room sleeps, in seconds. */
export const DEFAULT_ROOM_SLEEP_SECONDS = 300;

/** Default sockets per person and board: a handful of tabs and devices. */
export const DEFAULT_SYNC_MAX_SOCKETS_PER_USER_BOARD = 8;
/** Default sockets per person across boards. */
export const DEFAULT_SYNC_MAX_SOCKETS_PER_USER = 32;
/** Default sockets per board: a large workshop or all-hands following one board. */
export const DEFAULT_SYNC_MAX_SOCKETS_PER_BOARD = 1_000;
/** Default sockets per process; fewer when the file descriptor limit would not leave its reserve (`descriptor-limit.ts`). */
export const DEFAULT_SYNC_MAX_SOCKETS = 4_000;
/**
 * Default sockets per client address: a whole board's audience (`DEFAULT_SYNC_MAX_SOCKETS_PER_BOARD`)
 * may sit behind one proxy that is not named by `ADDRESS_HEADER`, while one address still cannot
 * take more than a quarter of the process's sockets.
 */
export const DEFAULT_SYNC_MAX_SOCKETS_PER_ADDRESS = 1_000;
/** Default lease of a socket in the shared socket budgets, renewed every third of it while the socket is open. */
export const DEFAULT_SYNC_SOCKET_LEASE_SECONDS = 30;
/**
 * Default refused upgrades per client address and minute: a refused y-websocket client retries about
 * every 2.5 s, so this is 25 such clients at once; a live session is admitted past it all the same.
 */
export const DEFAULT_SYNC_MAX_REFUSALS_PER_MINUTE = 600;
/** Default bytes queued to one socket beyond the frame it is reading, in megabytes. */
export const DEFAULT_SYNC_MAX_QUEUED_MB = 8;
/** Default bytes queued to all sockets together, in megabytes. */
export const DEFAULT_SYNC_MAX_QUEUED_TOTAL_MB = 512;
/** Default bytes of unfinished frames on all sockets together, in megabytes (four largest frames). */
export const DEFAULT_SYNC_MAX_PARTIAL_TOTAL_MB = 64;
/** Default time one frame may take to arrive, in seconds (16 MB at about 2 Mbit/s). */
export const DEFAULT_SYNC_FRAME_TIMEOUT_SECONDS = 60;
/** Most render worker threads by default: renders are CPU-bound, and the sync server needs a core of its own. */
export const DEFAULT_RENDER_WORKERS_MAX = 2;
/** Default render worker threads: one core left to the event loop, at least one worker, at most two. */
export const DEFAULT_RENDER_WORKERS = Math.min(DEFAULT_RENDER_WORKERS_MAX, Math.max(1, availableParallelism() - 1));
/** Default render jobs waiting for a worker. */
export const DEFAULT_RENDER_QUEUE_MAX = 16;
/** Default heap cap of one render worker, in megabytes. */
export const DEFAULT_RENDER_WORKER_HEAP_MB = 512;
/** Default image and PDF exports per person and minute. */
export const DEFAULT_EXPORTS_PER_MINUTE = 30;
/** Default journey, analysis, export and version reads per person and minute: two a second, far more than reading a board takes. */
export const DEFAULT_READS_PER_MINUTE = 120;
/** Default sign-ups per client address and hour: a team signing up from one office, not a script. */
export const DEFAULT_SIGNUP_MAX_PER_HOUR = 30;
/** Default personal invites per owner and hour: a few workshops' worth, not a mailing list. */
export const DEFAULT_INVITES_MAX_PER_HOUR = 100;
/** Default minutes mentions are collected before one digest mail: a workshop's burst of mentions is one mail. */
export const DEFAULT_MENTION_DIGEST_MINUTES = 15;
/** Default intake requests per token and minute: two batches of 1,000 responses a second. */
export const DEFAULT_INTAKE_MAX_PER_MINUTE = 120;
/** Default most touchpoints of a rendered board (a PNG of 5,000 cards took 650 MB). */
export const DEFAULT_EXPORT_MAX_CARDS = 2_000;
/** Default most journey JSON of a rendered board, in megabytes. */
export const DEFAULT_EXPORT_MAX_TEXT_MB = 4;
/** Default memory of the read cache, in megabytes. */
export const DEFAULT_READ_CACHE_MB = 64;
/** Default interval of the store polling that stands in for Redis while it is away: edits from another process show within about a second. */
export const DEFAULT_CLUSTER_POLL_MS = 1_000;
/** Default wait for the other processes' acknowledgements of an event: a live process answers within a round trip, so only a hung one meets it. */
export const DEFAULT_CLUSTER_EVENT_ACK_MS = 2_000;

/**
 * `REDIS_URL` when set: a `redis:` or `rediss:` URL with a host, and only with `DATABASE_URL`
 * (processes that share a bus must share a database; SQLite is one process's file).
 */
function redisUrl(env: NodeJS.ProcessEnv): string | null {
	const value = env.REDIS_URL;
	if (!value) return null;
	let url: URL | null = null;
	try {
		url = new URL(value);
	} catch {
		// reported below
	}
	if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || !url.hostname)
		throw new Error('REDIS_URL must look like redis://host:6379 or rediss://user:password@host:6380');
	if (!env.DATABASE_URL)
		throw new Error(
			'REDIS_URL is set without DATABASE_URL: several processes need one shared PostgreSQL database (SQLite in DATA_DIR belongs to one process). Set DATABASE_URL=postgres://… too, or unset REDIS_URL to run one process.'
		);
	return value;
}

/** `SMTP_URL` when set: an `smtp:` or `smtps:` URL with a host, else the process stops at start. */
function smtpUrl(env: NodeJS.ProcessEnv): string | null {
	const value = env.SMTP_URL;
	if (!value) return null;
	let url: URL | null = null;
	try {
		url = new URL(value);
	} catch {
		// reported below
	}
	if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) {
		throw new Error('SMTP_URL must look like smtp://user:password@host:587 or smtps://user:password@host:465');
	}
	return value;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether a URL is plain HTTP to this machine (allowed for an issuer, e.g. a provider on loopback). */
export function isLoopbackHttp(url: URL): boolean {
	return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * The `OIDC_*` variables: all three of issuer, client id and secret, or none. The issuer must be
 * an https URL (plain http only on loopback); anything else stops the process at start.
 */
function oidcConfig(env: NodeJS.ProcessEnv): OidcConfig | null {
	const issuer = env.OIDC_ISSUER?.trim() ?? '';
	const clientId = env.OIDC_CLIENT_ID?.trim() ?? '';
	const clientSecret = env.OIDC_CLIENT_SECRET ?? '';
	const only = (env.OIDC_ONLY ?? '').trim().toLowerCase();
	if (only !== '' && only !== 'true' && only !== 'false') throw new Error(`OIDC_ONLY must be true or false, got "${env.OIDC_ONLY}"`);
	if (!issuer && !clientId && !clientSecret) {
		if (only === 'true') throw new Error('OIDC_ONLY=true needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
		return null;
	}
	if (!issuer || !clientId || !clientSecret)
		throw new Error('Single sign-on needs all of OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
	let url: URL | null = null;
	try {
		url = new URL(issuer);
	} catch {
		// reported below
	}
	if (!url || !(url.protocol === 'https:' || isLoopbackHttp(url)) || url.search || url.hash || url.username) {
		throw new Error('OIDC_ISSUER must be an https URL such as https://login.example.com/realms/staff (plain http only on localhost)');
	}
	const name = (env.OIDC_NAME ?? '').trim() || DEFAULT_OIDC_NAME;
	if (name.length > OIDC_NAME_MAX_LENGTH) throw new Error(`OIDC_NAME must be at most ${OIDC_NAME_MAX_LENGTH} characters`);
	return { issuer, clientId, clientSecret, name, only: only === 'true' };
}

/** Whether a `DATABASE_URL` names a PostgreSQL database. */
export function isPostgresUrl(url: string): boolean {
	return /^postgres(ql)?:\/\//i.test(url);
}

/** `DATABASE_URL`, checked: only PostgreSQL URLs are understood. */
function databaseUrl(env: NodeJS.ProcessEnv): string | null {
	const url = (env.DATABASE_URL ?? '').trim();
	if (url === '') return null;
	if (!isPostgresUrl(url))
		throw new Error('DATABASE_URL must start with postgres:// or postgresql:// (leave it unset for SQLite in DATA_DIR)');
	return url;
}

/** Reads the configuration; `ORIGIN` defaults to http://localhost:$PORT. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const port = env.PORT === undefined || env.PORT === '' ? DEFAULT_PORT : Number(env.PORT);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new Error(`PORT must be an integer 0–65535, got "${env.PORT}"`);
	}
	const uploadLimitMb = positiveNumber(env, 'UPLOAD_LIMIT_MB', DEFAULT_UPLOAD_LIMIT_MB);
	return {
		port,
		host: env.HOST || '0.0.0.0',
		dataDir: resolve(env.DATA_DIR || './data'),
		databaseUrl: databaseUrl(env),
		origin: (env.ORIGIN || `http://localhost:${port}`).replace(/\/$/, ''),
		uploadLimitBytes: Math.round(uploadLimitMb * 1024 * 1024),
		syncMaxMessageBytes: Math.round(positiveNumber(env, 'SYNC_MAX_MESSAGE_MB', DEFAULT_SYNC_MAX_MESSAGE_MB) * 1024 * 1024),
		boardMaxDocBytes: Math.round(positiveNumber(env, 'BOARD_MAX_DOC_MB', DEFAULT_BOARD_MAX_DOC_MB) * 1024 * 1024),
		boardMaxMemoryBytes: Math.round(positiveNumber(env, 'BOARD_MAX_MEMORY_MB', DEFAULT_BOARD_MAX_MEMORY_MB) * 1024 * 1024),
		awarenessMaxStateBytes: Math.round(positiveNumber(env, 'AWARENESS_MAX_STATE_KB', DEFAULT_AWARENESS_MAX_STATE_KB) * 1024),
		awarenessMaxPerSecond: positiveNumber(env, 'AWARENESS_MAX_PER_SECOND', DEFAULT_AWARENESS_MAX_PER_SECOND),
		awarenessTickMs: positiveNumber(env, 'AWARENESS_TICK_MS', DEFAULT_AWARENESS_TICK_MS),
		awarenessBoardMaxPerSecond: positiveNumber(env, 'AWARENESS_BOARD_PER_SEC', DEFAULT_AWARENESS_BOARD_PER_SEC),
		compactAfterUpdates: Math.max(1, Math.round(positiveNumber(env, 'COMPACT_AFTER_UPDATES', DEFAULT_COMPACT_AFTER_UPDATES))),
		roomSleepMs: Math.round(positiveNumber(env, 'ROOM_SLEEP_SECONDS', DEFAULT_ROOM_SLEEP_SECONDS) * 1000),
		syncMaxSocketsPerUserBoard: count(env, 'SYNC_MAX_SOCKETS_PER_USER_BOARD', DEFAULT_SYNC_MAX_SOCKETS_PER_USER_BOARD),
		syncMaxSocketsPerUser: count(env, 'SYNC_MAX_SOCKETS_PER_USER', DEFAULT_SYNC_MAX_SOCKETS_PER_USER),
		syncMaxSocketsPerBoard: count(env, 'SYNC_MAX_SOCKETS_PER_BOARD', DEFAULT_SYNC_MAX_SOCKETS_PER_BOARD),
		syncMaxSockets: count(env, 'SYNC_MAX_SOCKETS', socketsWithinLimit(DEFAULT_SYNC_MAX_SOCKETS, openFilesLimit())),
		syncMaxSocketsPerAddress: count(env, 'SYNC_MAX_SOCKETS_PER_ADDRESS', DEFAULT_SYNC_MAX_SOCKETS_PER_ADDRESS),
		// At least a second: the lease is renewed every third of it.
		syncSocketLeaseMs: Math.round(Math.max(1, positiveNumber(env, 'SYNC_SOCKET_LEASE_SECONDS', DEFAULT_SYNC_SOCKET_LEASE_SECONDS)) * 1000),
		syncMaxRefusalsPerMinute: count(env, 'SYNC_MAX_REFUSALS_PER_MINUTE', DEFAULT_SYNC_MAX_REFUSALS_PER_MINUTE),
		syncMaxQueuedBytes: megabytes(env, 'SYNC_MAX_QUEUED_MB', DEFAULT_SYNC_MAX_QUEUED_MB),
		syncMaxQueuedTotalBytes: megabytes(env, 'SYNC_MAX_QUEUED_TOTAL_MB', DEFAULT_SYNC_MAX_QUEUED_TOTAL_MB),
		syncMaxPartialTotalBytes: megabytes(env, 'SYNC_MAX_PARTIAL_TOTAL_MB', DEFAULT_SYNC_MAX_PARTIAL_TOTAL_MB),
		syncFrameTimeoutMs: Math.round(positiveNumber(env, 'SYNC_FRAME_TIMEOUT_SECONDS', DEFAULT_SYNC_FRAME_TIMEOUT_SECONDS) * 1000),
		renderWorkers: Math.max(1, Math.round(positiveNumber(env, 'RENDER_WORKERS', DEFAULT_RENDER_WORKERS))),
		renderQueueMax: Math.max(1, Math.round(positiveNumber(env, 'RENDER_QUEUE_MAX', DEFAULT_RENDER_QUEUE_MAX))),
		renderWorkerHeapMb: Math.max(64, Math.round(positiveNumber(env, 'RENDER_WORKER_HEAP_MB', DEFAULT_RENDER_WORKER_HEAP_MB))),
		exportsPerMinute: Math.max(1, Math.round(positiveNumber(env, 'EXPORTS_PER_MINUTE', DEFAULT_EXPORTS_PER_MINUTE))),
		readsPerMinute: Math.max(1, Math.round(positiveNumber(env, 'READS_PER_MINUTE', DEFAULT_READS_PER_MINUTE))),
		smtpUrl: smtpUrl(env),
		mailFrom: env.MAIL_FROM || '',
		invitesPerHour: Math.max(1, Math.round(positiveNumber(env, 'INVITES_MAX_PER_HOUR', DEFAULT_INVITES_MAX_PER_HOUR))),
		mentionDigestMs: Math.round(positiveNumber(env, 'MENTION_DIGEST_MINUTES', DEFAULT_MENTION_DIGEST_MINUTES) * 60 * 1000),
		signupsPerHour: Math.max(1, Math.round(positiveNumber(env, 'SIGNUP_MAX_PER_HOUR', DEFAULT_SIGNUP_MAX_PER_HOUR))),
		intakeRequestsPerMinute: Math.max(1, Math.round(positiveNumber(env, 'INTAKE_MAX_PER_MINUTE', DEFAULT_INTAKE_MAX_PER_MINUTE))),
		exportMaxCards: Math.round(positiveNumber(env, 'EXPORT_MAX_CARDS', DEFAULT_EXPORT_MAX_CARDS)),
		exportMaxTextBytes: Math.round(positiveNumber(env, 'EXPORT_MAX_TEXT_MB', DEFAULT_EXPORT_MAX_TEXT_MB) * 1024 * 1024),
		readCacheBytes: Math.round(positiveNumber(env, 'READ_CACHE_MB', DEFAULT_READ_CACHE_MB) * 1024 * 1024),
		oidc: oidcConfig(env),
		redisUrl: redisUrl(env),
		clusterPollMs: Math.round(positiveNumber(env, 'CLUSTER_POLL_MS', DEFAULT_CLUSTER_POLL_MS)),
		clusterEventAckMs: Math.round(positiveNumber(env, 'CLUSTER_EVENT_ACK_MS', DEFAULT_CLUSTER_EVENT_ACK_MS))
	};
}

/** A positive number from the environment, or the default when the variable is unset or empty. */
function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
	return value;
}

/** A count from the environment, at least 1. */
function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
	return Math.max(1, Math.round(positiveNumber(env, name, fallback)));
}

/** A size in megabytes from the environment, in bytes. */
function megabytes(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
	return Math.round(positiveNumber(env, name, fallback) * 1024 * 1024);
}

/** The public origin requests and sockets must come from. */
export function publicOrigin(): string {
	return readConfig().origin;
}
