/**
 * The sync upgrade reads the client address as HTTP does (`ADDRESS_HEADER`, `XFF_DEPTH`): sockets
 * are limited per address, and an address that keeps being refused gets 429 for upgrades without a
 * live session, while members behind the same address still connect. With the defaults, a board's
 * audience behind one proxy (one shared address) follows the board.
 */
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { putItem } from '../../src/lib/journey/document';
import {
	addMember,
	api,
	cleanup,
	createBoard,
	newServer,
	sessionCookie,
	signUp,
	touchpoint,
	touchpointIds,
	waitFor,
	type Account,
	type TestServer
} from './helpers';

/** The limits of the proxied server below. */
const SOCKETS_PER_ADDRESS = 3;
const FAILED_UPGRADES_PER_MINUTE = 5;
/** The defaults (docs/api.md): a board's audience behind one proxy must fit under them. */
const DEFAULT_FAILED_UPGRADES_PER_MINUTE = 600;
const AUDIENCE = 300;

/** What a proxy appending to X-Forwarded-For sends for a client at `address`; `claimed` is what the client itself wrote. */
function forwardedFor(address: string, claimed?: string): Record<string, string> {
	return { 'x-forwarded-for': claimed ? `${claimed}, ${address}` : address };
}

interface Attempt {
	status: number;
	retryAfter: string | null;
	body: string;
	/** The open socket, when the upgrade succeeded. */
	socket: WebSocket | null;
}

const openSockets: WebSocket[] = [];

/** One upgrade with these headers; an opened socket stays open until `close()` or the end of the suite. */
function attempt(server: TestServer, boardId: string, headers: Record<string, string>): Promise<Attempt> {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(`${server.syncUrl}/${boardId}`, { headers });
		socket.once('unexpected-response', (_request, response) => {
			let body = '';
			response.on('data', (chunk: Buffer) => (body += chunk.toString()));
			response.on('end', () => {
				socket.terminate();
				resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] ?? null, body, socket: null });
			});
		});
		socket.once('open', () => {
			openSockets.push(socket);
			resolve({ status: 101, retryAfter: null, body: '', socket });
		});
		socket.once('error', reject);
	});
}

/** A real WebsocketProvider behind the proxy at `address`; resolves once it synced. */
async function follow(server: TestServer, account: Account, boardId: string, address: string) {
	const headers = { cookie: account.cookie, ...forwardedFor(address) };
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(server.syncUrl, boardId, doc, {
		WebSocketPolyfill: class extends WebSocket {
			constructor(url: string | URL, protocols?: string | string[]) {
				super(url, protocols, { headers });
			}
		} as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	await waitFor(() => provider.synced, `${account.name} to sync from ${address}`);
	return { doc, provider, destroy: () => (provider.destroy(), doc.destroy()) };
}

afterAll(() => {
	for (const socket of openSockets) socket.terminate();
});

describe('sync upgrades behind a proxy (ADDRESS_HEADER=x-forwarded-for)', () => {
	let server: TestServer;
	let owner: Account;
	let editor: Account;
	let boardId: string;

	beforeAll(async () => {
		server = await newServer({
			ADDRESS_HEADER: 'x-forwarded-for',
			XFF_DEPTH: '1',
			SYNC_MAX_SOCKETS_PER_ADDRESS: String(SOCKETS_PER_ADDRESS),
			SYNC_MAX_REFUSALS_PER_MINUTE: String(FAILED_UPGRADES_PER_MINUTE)
		});
		owner = await signUp(server, 'Owner');
		editor = await signUp(server, 'Editor');
		boardId = await createBoard(server, owner);
		await addMember(server, owner, boardId, editor, 'editor');
	});
	afterAll(cleanup);

	test(`sockets per address: the proxy's entry decides, not what the client claims; ${SOCKETS_PER_ADDRESS} open, then 429, freed on close`, async () => {
		const from = (address: string, claimed?: string) => ({ cookie: owner.cookie, ...forwardedFor(address, claimed) });
		const held: Attempt[] = [];
		for (let i = 0; i < SOCKETS_PER_ADDRESS; i++) {
			const opened = await attempt(server, boardId, from('198.51.100.1'));
			expect(opened.status).toBe(101);
			held.push(opened);
		}
		const refused = await attempt(server, boardId, from('198.51.100.1'));
		expect(refused.status).toBe(429);
		expect(JSON.parse(refused.body).error).toBe('Too many live connections from this address');
		// Claiming another address in its own header does not help: the proxy's entry is the last one.
		expect((await attempt(server, boardId, from('198.51.100.1', '198.51.100.2'))).status).toBe(429);

		// The same account from a neighbouring address follows the board live with a real provider.
		const elsewhere = await follow(server, editor, boardId, '198.51.100.2');
		const ownerClient = await attempt(server, boardId, from('198.51.100.3'));
		expect(ownerClient.status).toBe(101);
		elsewhere.destroy();

		// A closed socket gives its slot back.
		held[0].socket!.close();
		await waitFor(async () => (await attempt(server, boardId, from('198.51.100.1'))).status === 101, 'a freed slot at 198.51.100.1');
	});

	test(`refused upgrades per address: after ${FAILED_UPGRADES_PER_MINUTE}, 429 with Retry-After for upgrades without a live session; members behind it still connect`, async () => {
		const prober = '198.51.100.66';
		for (let i = 0; i < FAILED_UPGRADES_PER_MINUTE; i++) {
			expect((await attempt(server, boardId, forwardedFor(prober))).status).toBe(401);
		}
		const throttled = await attempt(server, boardId, forwardedFor(prober));
		expect(throttled.status).toBe(429);
		expect(Number(throttled.retryAfter)).toBeGreaterThan(0);
		expect(Number(throttled.retryAfter)).toBeLessThanOrEqual(60);
		expect(JSON.parse(throttled.body).error).toMatch(/refused connection attempts/);
		// A made-up session cookie, or a live session of someone not on the board, is throttled too.
		expect((await attempt(server, boardId, { cookie: 'session=made-up-token', ...forwardedFor(prober) })).status).toBe(429);
		const stranger = await signUp(server, 'Stranger');
		expect((await attempt(server, boardId, { cookie: stranger.cookie, ...forwardedFor(prober) })).status).toBe(429);

		// A member sharing the prober's address (the same office proxy) still follows the board.
		const member = await follow(server, editor, boardId, prober);
		const owners = await follow(server, owner, boardId, '198.51.100.67');
		putItem(member.doc, 'touchpoints', touchpoint('tp-from-the-office'));
		await waitFor(() => touchpointIds(owners.doc).includes('tp-from-the-office'), 'the member’s edit to reach the owner');
		member.destroy();
		owners.destroy();

		// Other addresses are not affected.
		expect((await attempt(server, boardId, forwardedFor('198.51.100.68'))).status).toBe(401);
	});

	test('an upgrade without the configured header is refused as usual, not failed', async () => {
		expect((await attempt(server, boardId, {})).status).toBe(401);
	});
});

describe(`with the default limits, no ADDRESS_HEADER: ${AUDIENCE} people behind one proxy follow one board`, () => {
	let server: TestServer;

	beforeAll(async () => {
		// Every request comes from 127.0.0.1, as from a proxy that the server is not told about.
		server = await newServer({ SIGNUP_MAX_PER_HOUR: String(AUDIENCE + 10) });
	});
	afterAll(cleanup);

	test(`${AUDIENCE} guests hold a socket each from one address, and a prober's refusals past the budget do not keep a newcomer out`, async () => {
		const owner = await signUp(server, 'Facilitator');
		const boardId = await createBoard(server, owner);
		const invite = await api(server, 'POST', `/api/boards/${boardId}/invites`, {
			cookie: owner.cookie,
			body: { role: 'viewer', expiresInHours: 1 }
		});
		expect(invite.status).toBe(201);
		const joinPath = new URL(invite.body.invite.url).pathname;
		const joinAsGuest = async (name: string) => {
			const form = new FormData();
			form.set('name', name);
			const joined = await fetch(`${server.url}${joinPath}?/guest`, {
				method: 'POST',
				body: form,
				redirect: 'manual',
				headers: { origin: server.origin, accept: 'text/html' }
			});
			expect(joined.status).toBe(303);
			return sessionCookie(joined.headers)!;
		};

		for (let person = 0; person < AUDIENCE; person++) {
			const cookie = await joinAsGuest(`Guest ${person}`);
			expect((await attempt(server, boardId, { cookie })).status).toBe(101);
		}
		for (let i = 0; i < DEFAULT_FAILED_UPGRADES_PER_MINUTE; i++) expect((await attempt(server, boardId, {})).status).toBe(401);
		expect((await attempt(server, boardId, {})).status).toBe(429);
		const latecomer = await joinAsGuest('Latecomer');
		expect((await attempt(server, boardId, { cookie: latecomer })).status).toBe(101);
	});
});
