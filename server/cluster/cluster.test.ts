/**
 * Two sync "processes" in one test process: each has its own rooms, turn log, message handler
 * and hub, and they share one memory board store (the database) and one memory bus network
 * (Redis). Clients are real Yjs documents behind fake sockets: what a process sends a socket is
 * applied to its client's document, and the client's own changes go back as update frames.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { collectionMap, journeyToDoc, patchItem, putItem, readJourney } from '../../src/lib/journey/document';
import type { Role } from '../../src/lib/journey/roles';
import { templateJourney } from '../../src/lib/journey/templates';
import { collaborativeText, typeText } from '../../src/lib/journey/text-fields';
import { newTouchpoint } from '../../src/lib/journey/touchpoint';
import type { SyncHub } from '../../src/lib/server/sync-hub';
import { AwarenessGuard } from '../awareness-guard';
import { CLOSE_CODES } from '../close-codes';
import type { Connection } from '../connection';
import { DailyVersions } from '../daily-versions';
import { DroppedWrites } from '../dropped-writes';
import { createHub } from '../hub';
import type { LockCache } from '../lock-cache';
import { createMessageHandler } from '../message-handler';
import { decodeClientMessage, encodeAwareness, encodeSyncStep1, encodeSyncUpdate } from '../protocol';
import { RoleRecheck } from '../role-recheck';
import type { Room } from '../room';
import { Rooms } from '../rooms';
import { SendBudget, SocketQueue } from '../send-budget';
import type { SequencedUpdate } from '../storage/board-store';
import { MemoryBoardEvents, MemoryBoardStore } from '../storage/memory-board-store';
import { connectionOn, TestSocket } from '../test-socket';
import { UpdateGuard } from '../update-guard';
import { closeStreams, publish } from '../../src/lib/server/board-event-streams';
import { decodeClusterEvent } from './bus-codec';
import { clusterHub } from './cluster-hub';
import { MemoryBusNetwork, type MemoryBoardBus } from './memory-board-bus';
import type { SharedPresenceOwners } from './presence-owners';
import { relayBoardStreams } from './stream-relay';

const BOARD = 'board-1';
/** Long enough that no room unloads or sleeps by itself during a test. */
const IDLE_MS = 60_000;
/** Polling while the bus is down, short for the tests. */
const POLL_MS = 20;
const SERVER = Symbol('server');

/** A memory store that can make `loadSince` wait, to hold a catch-up open. */
class TestStore extends MemoryBoardStore {
	loadsSince = 0;
	loads = 0;
	override async loadSince(boardId: string, afterSeq: number): Promise<SequencedUpdate[] | null> {
		this.loadsSince += 1;
		return super.loadSince(boardId, afterSeq);
	}
	override async load(boardId: string) {
		this.loads += 1;
		return super.load(boardId);
	}
}

interface Client {
	doc: Y.Doc;
	awareness: awarenessProtocol.Awareness;
	socket: TestSocket;
	connection: Connection;
	room: Room;
	/** Client ids whose presence this client has heard of (states present now). */
	presence: Set<number>;
	/** Makes `edit` before answering the next sync step 1, as if typed while that step 1 was on its way. */
	typeBeforeAnswering(edit: () => void): void;
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const step of cleanup.reverse()) await step();
	cleanup = [];
	vi.restoreAllMocks();
});

/** Presence client ids' owners in a map, as Redis keeps them for every process. */
class MemoryPresenceOwners implements SharedPresenceOwners {
	readonly owners = new Map<string, string>();
	claims = 0;
	available = true;
	async claim(boardId: string, clientId: number, userId: string): Promise<string | null> {
		this.claims += 1;
		if (!this.available) return null;
		const key = `${boardId}:${clientId}`;
		if (!this.owners.has(key)) this.owners.set(key, userId);
		return this.owners.get(key)!;
	}
	renew(): void {}
	async close(): Promise<void> {}
}

/** A database and a Redis for the processes of one test (with presence owners shared through it when `sharedOwners`). */
function cluster({ sharedOwners = false } = {}) {
	const store = new TestStore();
	const presenceOwners = sharedOwners ? new MemoryPresenceOwners() : null;
	const network = new MemoryBusNetwork();
	const base = journeyToDoc(templateJourney('blank', 'Branch visit', 'en'));
	store.createBoard(BOARD, Y.encodeStateAsUpdate(base));
	const budget = new SendBudget(16 * 1024 * 1024, 64 * 1024 * 1024);
	/** The members table every process reads roles from. */
	const roles = new Map<string, Role>();

	/** One sync process over the shared store and network. */
	function process(name: string) {
		const bus: MemoryBoardBus = network.connect(name);
		const rooms = new Rooms(store, new MemoryBoardEvents(), IDLE_MS, IDLE_MS, { bus, pollMs: POLL_MS, presenceOwners });
		cleanup.push(async () => {
			await rooms.closeAll();
			await bus.close();
		});
		const connections = new Set<Connection>();
		const lockState = new Map<string, boolean>();
		const locks = {
			isLocked: (boardId: string) => lockState.get(boardId) ?? false,
			set: (boardId: string, locked: boolean) => lockState.set(boardId, locked),
			forget: (boardId: string) => lockState.delete(boardId),
			refresh: () => {}
		} as unknown as LockCache;
		const roleRecheck = new RoleRecheck(
			{
				read: async (boardId, userId) => roles.get(userId) ?? null,
				apply: (boardId, userId, role) => local.setMemberRole(boardId, userId, role)
			},
			1024 * 1024
		);
		const local = createHub(rooms, connections, locks, (connection) => roleRecheck.roleSet(connection));
		const hub: SyncHub = clusterHub(local, bus);
		const receive = createMessageHandler({
			rooms,
			updateGuard: new UpdateGuard(4 * 1024 * 1024, 64 * 1024 * 1024),
			awarenessGuard: new AwarenessGuard({ maxStateBytes: 4096, maxPerSecond: 1000 }),
			locks,
			dailyVersions: new DailyVersions(store),
			roleRecheck,
			droppedWrites: new DroppedWrites()
		});

		/**
		 * A person's client on this process: synced from its room, sending its own changes as they
		 * happen, and answering a sync step 1 as the stock provider does. `doc`, when given (offline
		 * edits), is sent whole once connected, as the provider's answer to the server's step 1;
		 * `clientId`, when given, is its presence client id (a reconnect, or someone trying to speak
		 * for another).
		 */
		async function connect(
			role: Role = 'editor',
			userId = `user-${Math.random()}`,
			{ clientId, doc = new Y.Doc() }: { clientId?: number; doc?: Y.Doc } = {}
		): Promise<Client> {
			const room = await rooms.open(BOARD);
			if (!roles.has(userId)) roles.set(userId, role);
			const awarenessDoc = new Y.Doc();
			if (clientId !== undefined) awarenessDoc.clientID = clientId;
			const awareness = new awarenessProtocol.Awareness(awarenessDoc);
			const presence = new Set<number>();
			let typedMeanwhile: (() => void) | null = null;
			const socket = new TestSocket((received) => {
				const message = decodeClientMessage(received);
				if (message.type === 'sync-update') Y.applyUpdate(doc, message.update, SERVER);
				// Answered after the frame arrives, as over a network (never inside the server's send).
				const stateVector = message.type === 'sync-step1' ? message.stateVector : null;
				if (stateVector) {
					if (typedMeanwhile) queueMicrotask(typedMeanwhile);
					typedMeanwhile = null;
					setImmediate(() => frame(encodeSyncUpdate(Y.encodeStateAsUpdate(doc, stateVector))));
				}
				if (message.type === 'awareness') {
					awarenessProtocol.applyAwarenessUpdate(awareness, message.update, SERVER);
					presence.clear();
					for (const id of awareness.getStates().keys()) if (id !== awareness.clientID) presence.add(id);
				}
			});
			const connection = connectionOn(socket, new SocketQueue(budget), {
				boardId: BOARD,
				userId,
				userName: role,
				sessionId: `session-${userId}`,
				role
			});
			connections.add(connection);
			room.connections.add(connection);
			const frame = (bytes: Uint8Array) => receive(room, connection, Buffer.from(bytes), true);
			frame(encodeSyncStep1(Y.encodeStateVector(doc)));
			if (doc.store.clients.size > 0) frame(encodeSyncUpdate(Y.encodeStateAsUpdate(doc, room.stateVector())));
			doc.on('update', (update: Uint8Array, origin: unknown) => {
				if (origin !== SERVER) frame(encodeSyncUpdate(update));
			});
			awareness.on('update', ({ added, updated }: { added: number[]; updated: number[] }, origin: unknown) => {
				const own = [...added, ...updated].filter((id) => id === awareness.clientID);
				if (origin !== SERVER && own.length > 0) frame(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(awareness, own)));
			});
			await vi.waitFor(() => expect(readJourney(doc).stages.length).toBeGreaterThan(0));
			return { doc, awareness, socket, connection, room, presence, typeBeforeAnswering: (edit) => (typedMeanwhile = edit) };
		}

		/** The socket closes: the room forgets it (and its presence). */
		function disconnect(client: Client): void {
			client.socket.close(CLOSE_CODES.goingAway);
			connections.delete(client.connection);
			client.room.leave(client.connection);
		}

		return { name, bus, rooms, hub, connect, disconnect };
	}

	return { store, network, roles, presenceOwners, process };
}

function addTouchpoint(client: Client, id: string, title = `Touchpoint ${id}`): void {
	putItem(client.doc, 'touchpoints', newTouchpoint({ id, stageId: 'stage-1', laneId: 'lane-touchpoints', title }));
}

/** What a person sees of the board: its touchpoints' ids and titles, in a stable order. */
function seen(doc: Y.Doc): string[] {
	return readJourney(doc)
		.touchpoints.map((touchpoint) => `${touchpoint.id}:${touchpoint.title}`)
		.sort();
}

/** The board as stored, as a fresh load reads it. */
async function storedView(store: MemoryBoardStore): Promise<string[]> {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, (await store.load(BOARD)).state);
	return seen(doc);
}

/** A seeded pseudo-random generator, so a failing run can be replayed. */
function random(seed: number): () => number {
	return () => {
		seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
		return seed / 2 ** 31;
	};
}

describe('two processes serving one board', () => {
	test('clients on both converge under random edits, with the store, and each edit crosses the bus once', async () => {
		const { store, network, process } = cluster();
		const [a, b] = [process('a'), process('b')];
		const clients = [await a.connect(), await a.connect(), await b.connect(), await b.connect()];
		const next = random(18);
		const ids: string[] = [];
		for (let round = 0; round < 60; round += 1) {
			const client = clients[Math.floor(next() * clients.length)];
			const choice = next();
			if (choice < 0.5 || ids.length === 0) {
				const id = `tp-${round}`;
				ids.push(id);
				addTouchpoint(client, id);
			} else if (choice < 0.85) {
				const id = ids[Math.floor(next() * ids.length)];
				const touchpoint = client.doc.getMap('touchpoints').get(id) as Y.Map<unknown> | undefined;
				touchpoint?.set('title', `Renamed in round ${round}`);
			} else {
				client.doc.getMap('touchpoints').delete(ids.splice(Math.floor(next() * ids.length), 1)[0]);
			}
			// Some edits land in the same turn, some in later ones.
			if (next() < 0.5) await new Promise((resolve) => setImmediate(resolve));
		}
		await vi.waitFor(async () => {
			const expected = await storedView(store);
			for (const client of clients) expect(seen(client.doc)).toEqual(expected);
		});
		expect(seen(clients[0].doc).length).toBeGreaterThan(0);
		// Every stored batch is published once and heard once by the other process.
		const appended = store.logOf(BOARD).length;
		expect(network.counts.published).toBe(appended);
		expect(network.counts.delivered).toBe(appended);
	});

	test('a lost bus message is read from the store once the gap shows', async () => {
		const { store, network, process } = cluster();
		const [a, b] = [process('a'), process('b')];
		const onA = await a.connect();
		const onB = await b.connect();
		network.dropBoardMessages = 1;
		addTouchpoint(onA, 'lost-on-the-way');
		await vi.waitFor(() => expect(store.logOf(BOARD)).toHaveLength(1));
		// Nothing tells b yet; the next update (numbered 2) shows it misses number 1.
		addTouchpoint(onA, 'after-the-gap');
		await vi.waitFor(() => expect(seen(onB.doc)).toEqual(seen(onA.doc)));
		expect(seen(onB.doc).join()).toContain('lost-on-the-way');
		expect(store.loadsSince).toBeGreaterThan(0);
		expect(onB.room.sequence?.watermark).toBe(2);
	});

	test('an update stored while a process loads the board is neither lost nor applied twice', async () => {
		const { store, network, process } = cluster();
		const [a, b] = [process('a'), process('b')];
		const onA = await a.connect();
		// b reads the board, then a stores an edit and publishes it before b's room exists.
		vi.spyOn(store, 'load').mockImplementationOnce(async (boardId) => {
			const before = await MemoryBoardStore.prototype.load.call(store, boardId);
			addTouchpoint(onA, 'during-the-load');
			await vi.waitFor(() => expect(network.counts.published).toBe(1));
			await new Promise((resolve) => setImmediate(resolve));
			return before;
		});
		const onB = await b.connect();
		await vi.waitFor(() => expect(seen(onB.doc)).toEqual(seen(onA.doc)));
		expect(seen(onB.doc).join()).toContain('during-the-load');
		expect(onB.room.sequence?.watermark).toBe(1);
		expect(onB.room.sequence?.hasGap).toBe(false);
		// Taken from the message held during the load, not read again from the store.
		expect(store.loadsSince).toBe(0);
	});

	test('with the bus down both processes poll the store and converge; back up, they catch up', async () => {
		const { store, process } = cluster();
		const [a, b] = [process('a'), process('b')];
		const onA = await a.connect();
		const onB = await b.connect();
		a.bus.setConnected(false);
		b.bus.setConnected(false);
		addTouchpoint(onA, 'written-on-a');
		addTouchpoint(onB, 'written-on-b');
		await vi.waitFor(() => {
			expect(seen(onA.doc).join()).toContain('written-on-b');
			expect(seen(onB.doc).join()).toContain('written-on-a');
		});
		const pollsWhileDown = store.loadsSince;
		expect(pollsWhileDown).toBeGreaterThan(0);

		// Back: edits flow over the bus again, and polling stops.
		a.bus.setConnected(true);
		b.bus.setConnected(true);
		addTouchpoint(onA, 'after-the-outage');
		await vi.waitFor(() => expect(seen(onB.doc)).toEqual(seen(onA.doc)));
		expect(seen(onB.doc)).toEqual(await storedView(store));
		const pollsAfter = store.loadsSince;
		await new Promise((resolve) => setTimeout(resolve, POLL_MS * 5));
		expect(store.loadsSince).toBe(pollsAfter);
	});

	test('a process that lost the bus alone still sees the other process write once it is back', async () => {
		const { process } = cluster();
		const [a, b] = [process('a'), process('b')];
		const onA = await a.connect();
		const onB = await b.connect();
		b.bus.setConnected(false);
		addTouchpoint(onA, 'while-b-was-away');
		await vi.waitFor(() => expect(seen(onB.doc).join()).toContain('while-b-was-away'));
		b.bus.setConnected(true);
		addTouchpoint(onA, 'after');
		await vi.waitFor(() => expect(seen(onB.doc)).toEqual(seen(onA.doc)));
	});

	test('edits stored by a process whose bus alone was down reach the other once it is back', async () => {
		const { process } = cluster();
		const [a, b] = [process('a'), process('b')];
		const onA = await a.connect();
		const onB = await b.connect();
		a.bus.setConnected(false);
		addTouchpoint(onA, 'published-to-nobody');
		await vi.waitFor(() => expect(onA.room.sequence?.watermark).toBe(1));
		// b's bus stayed up, so b does not poll: it learns of the edit from a's announcement.
		a.bus.setConnected(true);
		await vi.waitFor(() => expect(seen(onB.doc).join()).toContain('published-to-nobody'));
	});

	test('a sleeping room takes another process’s edits without waking', async () => {
		const { process } = cluster();
		const [a, b] = [process('a'), process('b')];
		const onA = await a.connect();
		const onB = await b.connect('viewer');
		expect(onB.room.asleep).toBe(true);
		addTouchpoint(onA, 'seen-by-a-sleeping-room');
		await vi.waitFor(() => expect(seen(onB.doc).join()).toContain('seen-by-a-sleeping-room'));
		expect(onB.room.asleep).toBe(true);
	});

	test('compaction folds by the room’s sequence number, whichever process stored the updates', async () => {
		const { store, process } = cluster();
		const [a, b] = [process('a'), process('b')];
		const onA = await a.connect();
		const onB = await b.connect();
		addTouchpoint(onA, 'from-a');
		addTouchpoint(onB, 'from-b');
		await vi.waitFor(() => expect(onA.room.sequence?.watermark).toBe(2));
		await onA.room.compact();
		expect(store.logOf(BOARD)).toHaveLength(0);
		expect(await storedView(store)).toEqual(seen(onB.doc));
		// A process behind the folded log reads the whole board instead.
		expect(await store.loadSince(BOARD, 0)).toBeNull();
	});
});

describe('presence across processes', () => {
	test('a person on one process shows on the other, and leaves when their socket closes', async () => {
		const { process } = cluster();
		const [a, b] = [process('a'), process('b')];
		const onA = await a.connect();
		const onB = await b.connect();
		onA.awareness.setLocalState({ user: { id: 'x', name: 'x' }, cursor: { x: 10, y: 20 } });
		await vi.waitFor(() => expect(onB.presence.has(onA.awareness.clientID)).toBe(true));
		expect(onB.room.awareness.getStates().get(onA.awareness.clientID)).toMatchObject({ cursor: { x: 10, y: 20 } });
		// Not echoed back: a's room holds it once, as its own socket's.
		a.disconnect(onA);
		await vi.waitFor(() => expect(onB.presence.has(onA.awareness.clientID)).toBe(false));
		expect(onB.room.awareness.getStates().has(onA.awareness.clientID)).toBe(false);
	});
});

describe('presence client ids across processes', () => {
	/** What `client` sees of the person behind `clientId`: their cursor's x, or undefined. */
	const cursorOf = (client: Client, clientId: number) =>
		(client.awareness.getStates().get(clientId) as { cursor?: { x: number } } | undefined)?.cursor?.x;

	test('another person’s claim through the other process is dropped there, the owner’s presence stays on both', async () => {
		const { process } = cluster();
		const [a, b] = [process('a'), process('b')];
		const victim = await a.connect('editor', 'victim');
		const watcherOnA = await a.connect('viewer', 'watcher-a');
		const watcherOnB = await b.connect('viewer', 'watcher-b');
		const victimId = victim.awareness.clientID;
		victim.awareness.setLocalStateField('cursor', { x: 1, y: 1 });
		await vi.waitFor(() => expect(cursorOf(watcherOnB, victimId)).toBe(1));

		const mallory = await b.connect('viewer', 'mallory', { clientId: victimId });
		mallory.awareness.setLocalStateField('cursor', { x: 666, y: 6 });
		// Something later through both processes: the claim had its chance to arrive.
		victim.awareness.setLocalStateField('cursor', { x: 2, y: 2 });
		await vi.waitFor(() => expect(cursorOf(watcherOnB, victimId)).toBe(2));
		expect(cursorOf(watcherOnA, victimId)).toBe(2);
		expect(mallory.connection.awarenessIds.size).toBe(0);
		expect(mallory.socket.closedWith).toBeNull();
	});

	test('an id claimed on each process by different people while the bus was down: neither crosses to the other', async () => {
		const { process } = cluster();
		const [a, b] = [process('a'), process('b')];
		const watcherOnA = await a.connect('viewer', 'watcher-a');
		const watcherOnB = await b.connect('viewer', 'watcher-b');
		b.bus.setConnected(false);
		const victim = await a.connect('editor', 'victim');
		const victimId = victim.awareness.clientID;
		victim.awareness.setLocalStateField('cursor', { x: 1, y: 1 });
		const mallory = await b.connect('viewer', 'mallory', { clientId: victimId });
		mallory.awareness.setLocalStateField('cursor', { x: 666, y: 6 });
		await vi.waitFor(() => expect(cursorOf(watcherOnB, victimId)).toBe(666));
		b.bus.setConnected(true);

		// Each process's states are tagged with their owner; the other drops those of an id it gave someone else.
		mallory.awareness.setLocalStateField('cursor', { x: 667, y: 6 });
		victim.awareness.setLocalStateField('cursor', { x: 2, y: 2 });
		const marker = await a.connect('editor', 'marker');
		marker.awareness.setLocalStateField('cursor', { x: 3, y: 3 });
		await vi.waitFor(() => expect(cursorOf(watcherOnB, marker.awareness.clientID)).toBe(3));
		expect(cursorOf(watcherOnA, victimId)).toBe(2);
		expect(cursorOf(watcherOnB, victimId)).toBe(667);
		// Mallory leaving on b does not remove the victim's presence on a.
		b.disconnect(mallory);
		const markerOnB = await b.connect('editor', 'marker-b');
		markerOnB.awareness.setLocalStateField('cursor', { x: 4, y: 4 });
		await vi.waitFor(() => expect(cursorOf(watcherOnA, markerOnB.awareness.clientID)).toBe(4));
		expect(cursorOf(watcherOnA, victimId)).toBe(2);
	});

	test('with shared owners, the claim is refused even where the owner was never seen; the owner gets the id back on the other process', async () => {
		const { process, network, presenceOwners } = cluster({ sharedOwners: true });
		const [a, b] = [process('a'), process('b')];
		const watcherOnB = await b.connect('viewer', 'watcher-b');
		const victim = await a.connect('editor', 'victim');
		const victimId = victim.awareness.clientID;
		// The victim's presence never reaches b.
		network.dropBoardMessages = 1_000;
		victim.awareness.setLocalStateField('cursor', { x: 1, y: 1 });
		await vi.waitFor(() => expect(victim.room.awareness.getStates().get(victimId)).toMatchObject({ cursor: { x: 1 } }));
		expect(presenceOwners!.owners.get(`${BOARD}:${victimId}`)).toBe('victim');
		network.dropBoardMessages = 0;

		const mallory = await b.connect('viewer', 'mallory', { clientId: victimId });
		mallory.awareness.setLocalStateField('cursor', { x: 666, y: 6 });
		await vi.waitFor(() => expect(presenceOwners!.claims).toBe(2));
		const marker = await b.connect('editor', 'marker');
		marker.awareness.setLocalStateField('cursor', { x: 3, y: 3 });
		await vi.waitFor(() => expect(cursorOf(watcherOnB, marker.awareness.clientID)).toBe(3));
		expect(cursorOf(watcherOnB, victimId)).toBeUndefined();
		expect(mallory.connection.awarenessIds.size).toBe(0);

		// The victim reconnects through b with the same id: theirs there too.
		a.disconnect(victim);
		const back = await b.connect('editor', 'victim', { clientId: victimId });
		back.awareness.setLocalStateField('cursor', { x: 5, y: 5 });
		await vi.waitFor(() => expect(cursorOf(watcherOnB, victimId)).toBe(5));
	});

	test('while the shared owners cannot answer, each process decides by its own rule', async () => {
		const { process, presenceOwners } = cluster({ sharedOwners: true });
		presenceOwners!.available = false;
		const [a, b] = [process('a'), process('b')];
		const watcherOnB = await b.connect('viewer', 'watcher-b');
		const person = await a.connect('editor', 'person');
		person.awareness.setLocalStateField('cursor', { x: 1, y: 1 });
		await vi.waitFor(() => expect(cursorOf(watcherOnB, person.awareness.clientID)).toBe(1));
		expect(presenceOwners!.claims).toBe(0);
	});
});

describe('hub events on every process', () => {
	test('a removed member’s sockets close on both processes', async () => {
		const { process } = cluster();
		const [a, b] = [process('a'), process('b')];
		const onA = await a.connect('editor', 'removed');
		const onB = await b.connect('editor', 'removed');
		const other = await b.connect('editor', 'stays');
		// Resolved once the other process has applied it too: the request that removed them answers after that.
		await a.hub.setMemberRole(BOARD, 'removed', null);
		expect(onA.socket.closedWith).toBe(CLOSE_CODES.accessRevoked);
		expect(onB.socket.closedWith).toBe(CLOSE_CODES.accessRevoked);
		expect(other.socket.closedWith).toBeNull();
	});

	test('a demotion and the facilitator’s lock hold on the other process', async () => {
		const { store, process } = cluster();
		const [a, b] = [process('a'), process('b')];
		const onA = await a.connect('owner', 'owner');
		const onB = await b.connect('editor', 'editor');
		await a.hub.setLocked(BOARD, true);
		addTouchpoint(onB, 'refused-while-locked');
		addTouchpoint(onA, 'owner-writes');
		await vi.waitFor(() => expect(seen(onB.doc).join()).toContain('owner-writes'));
		expect(seen(onA.doc).join()).not.toContain('refused');
		expect((await storedView(store)).join()).not.toContain('refused');
		await a.hub.setMemberRole(BOARD, 'editor', 'viewer');
		expect(onB.connection.role).toBe('viewer');
	});

	test('a sign-out and a deleted board close sockets on both processes', async () => {
		const { process } = cluster();
		const [a, b] = [process('a'), process('b')];
		const onB = await b.connect('editor', 'signed-out');
		const reader = await b.connect('viewer', 'reader');
		await a.hub.closeSession(onB.connection.sessionId);
		expect(onB.socket.closedWith).toBe(CLOSE_CODES.sessionEnded);
		expect(reader.socket.closedWith).toBeNull();
		await a.hub.closeBoard(BOARD);
		expect(reader.socket.closedWith).toBe(CLOSE_CODES.boardDeleted);
	});
});

describe('a viewer promoted through the other process', () => {
	test('its first edit through this one, before the role change reaches it, applies: nothing lost, no close', async () => {
		const { store, roles, process } = cluster();
		const [a, b] = [process('a'), process('b')];
		const owner = await a.connect('owner', 'owner');
		const promoted = await b.connect('viewer', 'promoted');
		// The hub event stays away from b: only the database knows of the promotion.
		a.bus.setConnected(false);
		roles.set('promoted', 'editor');
		a.hub.setMemberRole(BOARD, 'promoted', 'editor');
		addTouchpoint(promoted, 'first-edit');
		await vi.waitFor(async () => expect((await storedView(store)).join()).toContain('first-edit'));
		expect(promoted.connection.role).toBe('editor');
		expect(promoted.socket.closedWith).toBeNull();
		a.bus.setConnected(true);
		await vi.waitFor(() => expect(seen(owner.doc).join()).toContain('first-edit'));
	});

	test('edits built on ones dropped while a viewer, typed before the promotion’s step 1 arrives, are not refused; all reach the board', async () => {
		const { store, roles, process } = cluster();
		const [a, b] = [process('a'), process('b')];
		const owner = await a.connect('owner', 'owner');
		const promoted = await b.connect('viewer', 'promoted');
		addTouchpoint(promoted, 'as-viewer');
		await new Promise((resolve) => setImmediate(resolve));
		expect(seen(owner.doc).join()).not.toContain('as-viewer');
		roles.set('promoted', 'editor');
		// b hears of the promotion and sends a step 1; this edit crosses it on the way.
		promoted.typeBeforeAnswering(() => addTouchpoint(promoted, 'typed-meanwhile'));
		a.hub.setMemberRole(BOARD, 'promoted', 'editor');
		await vi.waitFor(() => expect(seen(owner.doc).filter((line) => /as-viewer|typed-meanwhile/.test(line))).toHaveLength(2));
		expect((await storedView(store)).filter((line) => /as-viewer|typed-meanwhile/.test(line))).toHaveLength(2);
		expect(promoted.socket.closedWith).toBeNull();
	});
});

describe('collaborative text across processes', () => {
	const card = (doc: Y.Doc) => collectionMap(doc, 'touchpoints').get('tp-1')!;
	const textOf = (doc: Y.Doc) => collaborativeText(card(doc), 'title')?.toString() ?? null;
	const typeAtEnd = (doc: Y.Doc, words: string) => {
		for (const char of words) typeText(card(doc), 'title', textOf(doc) + char);
	};
	const inStep = (doc: Y.Doc, value: string) => textOf(doc) === value && card(doc).get('title') === value;

	test('offline typing merged on two processes: the string takes the merged text on both, in the store, and then nothing more is written', async () => {
		const { store, process } = cluster();
		const [a, b] = [process('a'), process('b')];
		const alice = await a.connect('editor', 'alice');
		const bob = await b.connect('editor', 'bob');
		addTouchpoint(alice, 'tp-1', 'Card');
		typeText(card(alice.doc), 'title', 'Card');
		await vi.waitFor(() => expect(textOf(bob.doc)).toBe('Card'));

		// Both go offline and type; each comes back to its own process in the same turn.
		const aliceOffline = new Y.Doc();
		Y.applyUpdate(aliceOffline, Y.encodeStateAsUpdate(alice.doc));
		const bobOffline = new Y.Doc();
		Y.applyUpdate(bobOffline, Y.encodeStateAsUpdate(bob.doc));
		a.disconnect(alice);
		b.disconnect(bob);
		typeAtEnd(aliceOffline, ' Alice typed');
		typeAtEnd(bobOffline, ' Bob typed');
		const logBefore = store.logOf(BOARD).length;
		const [aliceBack, bobBack] = await Promise.all([
			a.connect('editor', 'alice', { doc: aliceOffline }),
			b.connect('editor', 'bob', { doc: bobOffline })
		]);

		await vi.waitFor(() => {
			const text = textOf(aliceBack.doc);
			expect(text).toHaveLength('Card Alice typed Bob typed'.length);
			for (const doc of [aliceBack.doc, bobBack.doc, aliceBack.room.doc, bobBack.room.doc]) expect(inStep(doc, text!)).toBe(true);
		});
		const final = textOf(aliceBack.doc)!;
		expect(['Card Alice typed Bob typed', 'Card Bob typed Alice typed']).toContain(final);
		// Both processes settled the same merge: each writes the string once at most, and they stop.
		await vi.waitFor(async () => {
			const logLength = store.logOf(BOARD).length;
			for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
			expect(store.logOf(BOARD)).toHaveLength(logLength);
		});
		// The two offline edits, and one settle per process.
		expect(store.logOf(BOARD).length - logBefore).toBeLessThanOrEqual(4);
		const storedDoc = new Y.Doc();
		Y.applyUpdate(storedDoc, (await store.load(BOARD)).state);
		expect(inStep(storedDoc, final)).toBe(true);
	});

	test('a plain-string write through one process reaches the other with its text: the string wins on both', async () => {
		const { process } = cluster();
		const [a, b] = [process('a'), process('b')];
		const alice = await a.connect('editor', 'alice');
		const integration = await b.connect('editor', 'integration');
		addTouchpoint(alice, 'tp-1', 'Card');
		typeText(card(alice.doc), 'title', 'Card typed in the app');
		await vi.waitFor(() => expect(textOf(integration.doc)).toBe('Card typed in the app'));
		patchItem(integration.doc, 'touchpoints', 'tp-1', { title: 'Renamed by the CRM' });
		await vi.waitFor(() => {
			for (const doc of [alice.doc, integration.doc, a.rooms.peek(BOARD)!.doc, b.rooms.peek(BOARD)!.doc])
				expect(inStep(doc, 'Renamed by the CRM')).toBe(true);
		});
	});
});

describe('board event streams across processes', () => {
	test('an event and a closing on one process reach the other’s streams', async () => {
		const network = new MemoryBusNetwork();
		const [a, b] = [network.connect('a'), network.connect('b')];
		const heard: string[] = [];
		// b's own streams, as the SvelteKit handler holds them.
		relayBoardStreams(b, {
			publish: (boardId, event) => heard.push(`${boardId} ${event.type}`),
			closeStreams: (match) => heard.push(`close ${JSON.stringify(match)}`)
		});
		const stop = relayBoardStreams(a, { publish: () => {}, closeStreams: () => {} });
		cleanup.push(async () => {
			stop();
			await a.close();
			await b.close();
		});
		publish(BOARD, { type: 'comments' });
		closeStreams({ boardId: BOARD, userId: 'removed' });
		await vi.waitFor(() => expect(heard).toEqual([`${BOARD} comments`, `close {"boardId":"${BOARD}","userId":"removed"}`]));
	});

	test('the stage a facilitator presents on one process is presented on the other', async () => {
		const network = new MemoryBusNetwork();
		const [a, b] = [network.connect('a'), network.connect('b')];
		cleanup.push(async () => {
			await a.close();
			await b.close();
		});
		const presentedOn = (name: string, heard: string[]) =>
			({ presentStage: (boardId: string, stageId: string | null) => heard.push(`${name} ${boardId} ${stageId}`) }) as unknown as SyncHub;
		const heard: string[] = [];
		const hubA = clusterHub(presentedOn('a', heard), a);
		clusterHub(presentedOn('b', heard), b);
		hubA.presentStage(BOARD, 'stage-2');
		hubA.presentStage(BOARD, null);
		await vi.waitFor(() => expect(heard.filter((line) => line.startsWith('b'))).toEqual([`b ${BOARD} stage-2`, `b ${BOARD} null`]));
		expect(heard.filter((line) => line.startsWith('a'))).toEqual([`a ${BOARD} stage-2`, `a ${BOARD} null`]);
		expect(
			decodeClusterEvent(JSON.stringify({ from: 'x', event: { type: 'present-stage', boardId: BOARD, stageId: 'x'.repeat(65) } }))
		).toBeNull();
	});

	test('a match that would close every stream is not accepted from the bus', () => {
		expect(decodeClusterEvent(JSON.stringify({ from: 'x', event: { type: 'close-streams', match: {} } }))).toBeNull();
		expect(
			decodeClusterEvent(JSON.stringify({ from: 'x', event: { type: 'set-member-role', boardId: BOARD, userId: 'u', role: 'admin' } }))
		).toBeNull();
		expect(decodeClusterEvent('not json')).toBeNull();
	});
});
