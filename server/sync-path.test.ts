/**
 * The sync path against the in-memory board store: frames go through the message handler (role
 * check, update guard, daily versions) into rooms, the turn log stores them, and only then are
 * they relayed. The store here can hold its appends open, or fail them, to show the order.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import * as Y from 'yjs';
import { journeyToDoc, putItem, readJourney } from '../src/lib/journey/document';
import type { Role } from '../src/lib/journey/roles';
import { templateJourney } from '../src/lib/journey/templates';
import { newTouchpoint } from '../src/lib/journey/touchpoint';
import { AwarenessGuard } from './awareness-guard';
import { CLOSE_CODES } from './close-codes';
import type { Connection } from './connection';
import { DAILY_VERSION_RETRY_MS, DailyVersions } from './daily-versions';
import { DroppedWrites, MAX_UPDATES_WHILE_CATCHING_UP } from './dropped-writes';
import { createHub } from './hub';
import { createMessageHandler } from './message-handler';
import { decodeClientMessage, encodeSyncStep1, encodeSyncUpdate } from './protocol';
import { MAX_FRAMES_WHILE_RECHECKING, RoleRecheck } from './role-recheck';
import type { Room } from './room';
import { Rooms } from './rooms';
import { SendBudget, SocketQueue } from './send-budget';
import type { AppendReceipt, BoardSnapshot, BoardUpdate } from './storage/board-store';
import { MemoryBoardEvents, MemoryBoardStore } from './storage/memory-board-store';
import { connectionOn, TestSocket } from './test-socket';
import { UpdateGuard } from './update-guard';

const BOARD = 'board-1';
const OTHER_BOARD = 'board-2';
const MAX_DOC_BYTES = 4 * 1024 * 1024;
const MAX_MEMORY_BYTES = 64 * 1024 * 1024;
/** Long enough that no room unloads or sleeps by itself during a test. */
const IDLE_MS = 60_000;

/** A memory store whose appends can be held open until released, or made to fail. */
class TestStore extends MemoryBoardStore {
	/** While true, each append waits for `release()`. */
	holding = false;
	/** When set, appends (released or not) fail with it and store nothing. */
	failure: Error | null = null;
	/** While true, each compaction waits for `release()`. */
	holdingCompactions = false;
	readonly #held: (() => void)[] = [];
	compactions = 0;
	/** Saves of the day's version that fail (with a full render queue) before one succeeds. */
	dailyVersionFailures = 0;

	override async append(updates: readonly BoardUpdate[]): Promise<AppendReceipt> {
		if (this.holding) await new Promise<void>((resolve) => this.#held.push(resolve));
		if (this.failure) throw this.failure;
		return super.append(updates);
	}

	override async compact(boardId: string, snapshot: BoardSnapshot): Promise<void> {
		if (this.holdingCompactions) await new Promise<void>((resolve) => this.#held.push(resolve));
		this.compactions += 1;
		return super.compact(boardId, snapshot);
	}

	override async saveDailyVersion(boardId: string, stateBeforeEdit: Uint8Array): Promise<boolean> {
		if (this.dailyVersionFailures > 0) {
			this.dailyVersionFailures -= 1;
			throw new Error('Too many exports are being prepared; try again shortly');
		}
		return super.saveDailyVersion(boardId, stateBeforeEdit);
	}

	/** Appends (and compactions) waiting to commit. */
	get held(): number {
		return this.#held.length;
	}

	/** Lets every held append go on. */
	release(): void {
		for (const resolve of this.#held.splice(0)) resolve();
	}
}

/** Bytes a socket may send while its role is read again. */
const MAX_HELD_BYTES = 1024 * 1024;

/** The members table: roles read from it can be held open, or made to fail. */
class RoleTable {
	readonly roles = new Map<string, Role>();
	reads = 0;
	/** While true, each read (of the role as it is when asked) waits for `release()`. */
	holding = false;
	failure: Error | null = null;
	readonly #held: (() => void)[] = [];

	async read(boardId: string, userId: string): Promise<Role | null> {
		this.reads += 1;
		const role = this.roles.get(`${boardId}\n${userId}`) ?? null;
		if (this.holding) await new Promise<void>((resolve) => this.#held.push(resolve));
		if (this.failure) throw this.failure;
		return role;
	}

	release(): void {
		for (const resolve of this.#held.splice(0)) resolve();
	}
}

/** A person's client: a document of its own and a socket on the board's room. */
interface Client {
	doc: Y.Doc;
	socket: TestSocket;
	connection: Connection;
	room: Room;
	/** Sends the client's document changes since `since` as one update frame. */
	sendChanges(since: Uint8Array): void;
	/** Document updates the server sent this socket, in order (sync step 2 and relays alike). */
	received(): Uint8Array[];
}

const flushTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const diskFull = () => Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });

let open: Rooms[] = [];
afterEach(async () => {
	for (const rooms of open) await rooms.closeAll();
	open = [];
	vi.restoreAllMocks();
});

function serve() {
	const store = new TestStore();
	const events = new MemoryBoardEvents();
	const rooms = new Rooms(store, events, IDLE_MS, IDLE_MS);
	open.push(rooms);
	const locked = new Set<string>();
	const connections = new Set<Connection>();
	const database = new RoleTable();
	const roleRecheck = new RoleRecheck(
		{
			read: (boardId, userId) => database.read(boardId, userId),
			apply: (boardId, userId, role) => hub.setMemberRole(boardId, userId, role)
		},
		MAX_HELD_BYTES
	);
	const hub = createHub(rooms, connections, { set() {}, forget() {} }, (connection) => roleRecheck.roleSet(connection));
	const receive = createMessageHandler({
		rooms,
		updateGuard: new UpdateGuard(MAX_DOC_BYTES, MAX_MEMORY_BYTES),
		awarenessGuard: new AwarenessGuard({ maxStateBytes: 4096, maxPerSecond: 100 }),
		locks: { isLocked: (boardId) => locked.has(boardId) },
		dailyVersions: new DailyVersions(store),
		roleRecheck,
		droppedWrites: new DroppedWrites()
	});
	const budget = new SendBudget(16 * 1024 * 1024, 64 * 1024 * 1024);

	function createBoard(boardId: string, title = 'Branch visit'): Y.Doc {
		const doc = journeyToDoc(templateJourney('blank', title, 'en'));
		store.createBoard(boardId, Y.encodeStateAsUpdate(doc));
		return doc;
	}

	/** Joins a board's room as `role`, and syncs the client's document from the room (step 1 answered at once). */
	async function connect(boardId: string, role: Role = 'editor'): Promise<Client> {
		const room = await rooms.open(boardId);
		const socket = new TestSocket();
		const connection = connectionOn(socket, new SocketQueue(budget), {
			boardId,
			userId: `user-${role}-${Math.random()}`,
			userName: role,
			role
		});
		room.connections.add(connection);
		connections.add(connection);
		database.roles.set(`${boardId}\n${connection.userId}`, role);
		const doc = new Y.Doc();
		const frame = (bytes: Uint8Array) => receive(room, connection, Buffer.from(bytes), true);
		frame(encodeSyncStep1(Y.encodeStateVector(doc)));
		const client: Client = {
			doc,
			socket,
			connection,
			room,
			sendChanges: (since) => frame(encodeSyncUpdate(Y.encodeStateAsUpdate(doc, since))),
			received: () =>
				socket.sent.flatMap((sent) => {
					const message = decodeClientMessage(sent);
					return message.type === 'sync-update' ? [message.update] : [];
				})
		};
		for (const update of client.received()) Y.applyUpdate(doc, update);
		return client;
	}

	/** Adds a touchpoint on the client's document and sends it. */
	function addTouchpoint(client: Client, id: string): void {
		const before = Y.encodeStateVector(client.doc);
		putItem(client.doc, 'touchpoints', newTouchpoint({ id, stageId: 'stage-1', laneId: 'lane-touchpoints', title: `Touchpoint ${id}` }));
		client.sendChanges(before);
	}

	/** Stores a person's new role, as another process would, without telling this one's hub. */
	function setRoleElsewhere(client: Client, role: Role): void {
		database.roles.set(`${client.connection.boardId}\n${client.connection.userId}`, role);
	}

	return { store, events, rooms, hub, locked, database, createBoard, connect, addTouchpoint, setRoleElsewhere };
}

/** The touchpoint ids a list of updates brings to a fresh copy of `base`. */
function touchpointsAfter(base: Y.Doc, updates: Uint8Array[]): string[] {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
	for (const update of updates) Y.applyUpdate(doc, update);
	return readJourney(doc).touchpoints.map((touchpoint) => touchpoint.id);
}

/** The touchpoint ids each relayed update adds, in the order they arrived. */
function addedInOrder(base: Y.Doc, updates: Uint8Array[]): string[][] {
	const seen = new Set(touchpointsAfter(base, []));
	return updates.map((_, index) => {
		const now = touchpointsAfter(base, updates.slice(0, index + 1));
		const added = now.filter((id) => !seen.has(id)).sort();
		for (const id of added) seen.add(id);
		return added;
	});
}

describe('store before relay', () => {
	test('an update reaches nobody until the commit that stores it has resolved', async () => {
		const server = serve();
		const base = server.createBoard(BOARD);
		const writer = await server.connect(BOARD);
		const reader = await server.connect(BOARD, 'viewer');
		const relayedBefore = reader.received().length;

		server.store.holding = true;
		server.addTouchpoint(writer, 'held');
		await flushTurn();
		await vi.waitFor(() => expect(server.store.held).toBe(1));
		// The append is in flight: nothing is relayed, nothing is in the store yet.
		await flushTurn();
		expect(reader.received()).toHaveLength(relayedBefore);
		expect(server.store.logOf(BOARD)).toHaveLength(0);

		server.store.holding = false;
		server.store.release();
		await vi.waitFor(() => expect(reader.received()).toHaveLength(relayedBefore + 1));
		expect(touchpointsAfter(base, reader.received())).toContain('held');
		expect(server.store.logOf(BOARD)).toHaveLength(1);
		// The writer does not get its own change back.
		expect(writer.received()).toHaveLength(1);
	});

	test("a newcomer's sync step 2 holding an unstored change waits for its commit", async () => {
		const server = serve();
		server.createBoard(BOARD);
		const writer = await server.connect(BOARD);
		server.store.holding = true;
		server.addTouchpoint(writer, 'unstored');
		await flushTurn();
		await vi.waitFor(() => expect(server.store.held).toBe(1));

		// The room's document already holds the change, so the answer to this newcomer does too.
		const newcomer = await server.connect(BOARD, 'viewer');
		expect(newcomer.socket.sent.filter((frame) => decodeClientMessage(frame).type === 'sync-update')).toHaveLength(0);

		server.store.holding = false;
		server.store.release();
		await vi.waitFor(() => expect(newcomer.received().length).toBeGreaterThan(0));
		const doc = new Y.Doc();
		for (const update of newcomer.received()) Y.applyUpdate(doc, update);
		expect(readJourney(doc).touchpoints.map((touchpoint) => touchpoint.id)).toContain('unstored');
	});

	test('updates are stored and relayed in the order received, per board, while appends are in flight', async () => {
		const server = serve();
		const base = server.createBoard(BOARD);
		server.createBoard(OTHER_BOARD);
		const writer = await server.connect(BOARD);
		const other = await server.connect(OTHER_BOARD);
		const reader = await server.connect(BOARD, 'viewer');
		const relayedBefore = reader.received().length;

		server.store.holding = true;
		server.addTouchpoint(writer, 'first');
		await flushTurn();
		await vi.waitFor(() => expect(server.store.held).toBe(1));
		// Later turns, on this board and another, while the first commit is still open.
		server.addTouchpoint(writer, 'second');
		server.addTouchpoint(other, 'elsewhere');
		await flushTurn();
		server.addTouchpoint(writer, 'third');
		await flushTurn();
		// One commit in flight at a time: the later turns wait for it.
		expect(server.store.held).toBe(1);
		expect(reader.received()).toHaveLength(relayedBefore);

		server.store.release();
		// The next commit holds every turn since, both boards together.
		await vi.waitFor(() => expect(server.store.held).toBe(1));
		expect(addedInOrder(base, reader.received().slice(relayedBefore))).toEqual([['first']]);
		server.store.holding = false;
		server.store.release();
		await vi.waitFor(() => expect(reader.received()).toHaveLength(relayedBefore + 2));
		expect(addedInOrder(base, reader.received().slice(relayedBefore))).toEqual([['first'], ['second', 'third']]);
		expect(server.store.logOf(BOARD)).toHaveLength(2);
		expect(server.store.logOf(OTHER_BOARD)).toHaveLength(1);
	});

	test('a failed store closes the writers with the storage code and relays nothing', async () => {
		const server = serve();
		server.createBoard(BOARD);
		const writer = await server.connect(BOARD);
		const reader = await server.connect(BOARD, 'viewer');
		const relayedBefore = reader.received().length;
		const failed = vi.spyOn(console, 'error').mockImplementation(() => {});

		server.store.holding = true;
		server.addTouchpoint(writer, 'lost');
		await flushTurn();
		await vi.waitFor(() => expect(server.store.held).toBe(1));
		server.store.failure = diskFull();
		server.store.holding = false;
		server.store.release();

		await vi.waitFor(() => expect(writer.socket.closedWith).toBe(CLOSE_CODES.storageUnavailable));
		expect(reader.socket.closedWith).toBe(CLOSE_CODES.storageUnavailable);
		expect(reader.received()).toHaveLength(relayedBefore);
		expect(server.store.logOf(BOARD)).toHaveLength(0);
		expect(failed).toHaveBeenCalled();
		// The board loads again from what is stored, without the lost change.
		server.store.failure = null;
		const next = await server.connect(BOARD);
		expect(next.room).not.toBe(writer.room);
		expect(readJourney(next.doc).touchpoints).toHaveLength(0);
	});

	test("one board's failure in a shared commit leaves the other boards' updates stored and relayed", async () => {
		const server = serve();
		server.createBoard(BOARD);
		const otherBase = server.createBoard(OTHER_BOARD);
		const doomed = await server.connect(BOARD);
		const writer = await server.connect(OTHER_BOARD);
		const reader = await server.connect(OTHER_BOARD, 'viewer');
		const relayedBefore = reader.received().length;
		vi.spyOn(console, 'error').mockImplementation(() => {});

		server.addTouchpoint(doomed, 'gone');
		server.addTouchpoint(writer, 'kept');
		// Deleted while its update waits for the turn's commit.
		server.store.deleteBoard(BOARD);
		await vi.waitFor(() => expect(doomed.socket.closedWith).toBe(CLOSE_CODES.internalError));
		await vi.waitFor(() => expect(reader.received()).toHaveLength(relayedBefore + 1));
		expect(touchpointsAfter(otherBase, reader.received())).toContain('kept');
		expect(writer.socket.closedWith).toBeNull();
	});
});

describe('the guards in front of the store', () => {
	test("a viewer's writes are dropped: never stored or relayed", async () => {
		const server = serve();
		server.createBoard(BOARD);
		const viewer = await server.connect(BOARD, 'viewer');
		const editor = await server.connect(BOARD);
		const relayedBefore = editor.received().length;

		server.addTouchpoint(viewer, 'not-allowed');
		await flushTurn();
		await flushTurn();
		expect(server.store.logOf(BOARD)).toHaveLength(0);
		expect(editor.received()).toHaveLength(relayedBefore);
		expect(readJourney(viewer.room.doc).touchpoints).toHaveLength(0);
		// The socket stays open: a read-only client keeps its dropped edits to itself.
		expect(viewer.socket.closedWith).toBeNull();
	});

	test("on a locked board an editor's writes are dropped too, without their role being read again", async () => {
		const server = serve();
		server.createBoard(BOARD);
		server.locked.add(BOARD);
		const editor = await server.connect(BOARD);
		server.addTouchpoint(editor, 'locked-out');
		await flushTurn();
		expect(server.database.reads).toBe(0);
		expect(server.store.logOf(BOARD)).toHaveLength(0);
	});

	test('an update the document shape does not allow closes its socket and reaches no store', async () => {
		const server = serve();
		server.createBoard(BOARD);
		const writer = await server.connect(BOARD);
		const before = Y.encodeStateVector(writer.doc);
		writer.doc.getMap('unknownRoot').set('x', 1);
		writer.sendChanges(before);
		await flushTurn();
		expect(writer.socket.closedWith).toBe(CLOSE_CODES.documentShape);
		expect(server.store.logOf(BOARD)).toHaveLength(0);
	});
});

describe('a read-only socket’s role, read again before its write is dropped', () => {
	const stored = (server: ReturnType<typeof serve>, base: Y.Doc) => touchpointsAfter(base, [...server.store.logOf(BOARD)]).sort();
	const stepOnes = (client: Client) => client.socket.sent.filter((frame) => decodeClientMessage(frame).type === 'sync-step1').length;

	test('promoted through another process: the first edit, and the frames behind it, apply in order; the socket stays open', async () => {
		const server = serve();
		const base = server.createBoard(BOARD);
		const promoted = await server.connect(BOARD, 'viewer');
		const editor = await server.connect(BOARD);
		server.setRoleElsewhere(promoted, 'editor');
		server.database.holding = true;
		server.addTouchpoint(promoted, 'first');
		// Sent while the role is read: held behind the first edit.
		server.addTouchpoint(promoted, 'second');
		await flushTurn();
		expect(server.database.reads).toBe(1);
		expect(server.store.logOf(BOARD)).toHaveLength(0);

		server.database.release();
		await vi.waitFor(() => expect(stored(server, base)).toEqual(['first', 'second']));
		// The second builds on the first: applied out of order, it would have closed the socket.
		await vi.waitFor(() => expect(touchpointsAfter(base, editor.received()).sort()).toEqual(['first', 'second']));
		expect(promoted.connection.role).toBe('editor');
		expect(promoted.socket.closedWith).toBeNull();
		expect(server.database.reads).toBe(1);
	});

	test('still a viewer: every write is dropped, and the database is asked once per interval however many come', async () => {
		const server = serve();
		server.createBoard(BOARD);
		const viewer = await server.connect(BOARD, 'viewer');
		for (let i = 0; i < 50; i++) server.addTouchpoint(viewer, `spam-${i}`);
		await vi.waitFor(() => expect(server.database.reads).toBe(1));
		for (let i = 0; i < 5; i++) await flushTurn();
		for (let i = 50; i < 100; i++) server.addTouchpoint(viewer, `spam-${i}`);
		await flushTurn();
		expect(server.database.reads).toBe(1);
		expect(server.store.logOf(BOARD)).toHaveLength(0);
		expect(readJourney(viewer.room.doc).touchpoints).toHaveLength(0);
		expect(viewer.connection.role).toBe('viewer');
		expect(viewer.socket.closedWith).toBeNull();
	});

	test('a role that cannot be read: the write is dropped, never applied on doubt', async () => {
		const server = serve();
		server.createBoard(BOARD);
		const viewer = await server.connect(BOARD, 'viewer');
		server.setRoleElsewhere(viewer, 'editor');
		server.database.failure = new Error('connection terminated');
		vi.spyOn(console, 'error').mockImplementation(() => {});
		server.addTouchpoint(viewer, 'on-doubt');
		await vi.waitFor(() => expect(server.database.reads).toBe(1));
		for (let i = 0; i < 5; i++) await flushTurn();
		expect(server.store.logOf(BOARD)).toHaveLength(0);
		expect(viewer.connection.role).toBe('viewer');
		expect(viewer.socket.closedWith).toBeNull();
	});

	test('a demotion heard while the role was read wins over what the read found', async () => {
		const server = serve();
		server.createBoard(BOARD);
		const member = await server.connect(BOARD, 'viewer');
		server.setRoleElsewhere(member, 'editor');
		server.database.holding = true;
		server.addTouchpoint(member, 'before-demotion');
		await flushTurn();
		// The demotion commits after the read and reaches this process's hub before the read answers.
		server.setRoleElsewhere(member, 'viewer');
		server.hub.setMemberRole(BOARD, member.connection.userId, 'viewer');
		server.database.release();
		for (let i = 0; i < 5; i++) await flushTurn();
		expect(member.connection.role).toBe('viewer');
		expect(server.store.logOf(BOARD)).toHaveLength(0);
	});

	test('a removal found by the read closes the socket and applies nothing', async () => {
		const server = serve();
		server.createBoard(BOARD);
		const member = await server.connect(BOARD, 'viewer');
		server.database.roles.clear();
		server.addTouchpoint(member, 'after-removal');
		await vi.waitFor(() => expect(member.socket.closedWith).toBe(CLOSE_CODES.accessRevoked));
		expect(server.store.logOf(BOARD)).toHaveLength(0);
	});

	test(`past ${MAX_FRAMES_WHILE_RECHECKING} frames held while the role is read, the socket is closed with 1008`, async () => {
		const server = serve();
		server.createBoard(BOARD);
		const viewer = await server.connect(BOARD, 'viewer');
		server.database.holding = true;
		for (let i = 0; i <= MAX_FRAMES_WHILE_RECHECKING; i++) server.addTouchpoint(viewer, `held-${i}`);
		expect(viewer.socket.closedWith).toBe(CLOSE_CODES.policyViolation);
		server.database.release();
		for (let i = 0; i < 5; i++) await flushTurn();
		expect(server.store.logOf(BOARD)).toHaveLength(0);
	});

	test('edits built on dropped ones, sent before the promotion’s sync step 1 is answered, are dropped without a close; the answer brings them all', async () => {
		const server = serve();
		const base = server.createBoard(BOARD);
		const member = await server.connect(BOARD, 'viewer');
		server.addTouchpoint(member, 'as-viewer');
		await vi.waitFor(() => expect(server.database.reads).toBe(1));
		await flushTurn();
		const stepOnesBefore = stepOnes(member);
		server.setRoleElsewhere(member, 'editor');
		server.hub.setMemberRole(BOARD, member.connection.userId, 'editor');
		expect(stepOnes(member)).toBe(stepOnesBefore + 1);
		// Typed before the step 1 arrived: both build on the dropped edit.
		server.addTouchpoint(member, 'promoted-1');
		server.addTouchpoint(member, 'promoted-2');
		await flushTurn();
		expect(member.socket.closedWith).toBeNull();
		expect(server.store.logOf(BOARD)).toHaveLength(0);
		// The client answers the step 1 with everything the room lacks.
		member.sendChanges(member.room.stateVector());
		await vi.waitFor(() => expect(stored(server, base)).toEqual(['as-viewer', 'promoted-1', 'promoted-2']));
		expect(member.socket.closedWith).toBeNull();
	});

	test(`a socket that never catches up is closed with 1002 after ${MAX_UPDATES_WHILE_CATCHING_UP} such updates; one without dropped writes at the first`, async () => {
		const server = serve();
		server.createBoard(BOARD);
		const member = await server.connect(BOARD, 'viewer');
		server.addTouchpoint(member, 'as-viewer');
		await vi.waitFor(() => expect(server.database.reads).toBe(1));
		await flushTurn();
		server.hub.setMemberRole(BOARD, member.connection.userId, 'editor');
		for (let i = 0; i < MAX_UPDATES_WHILE_CATCHING_UP; i++) server.addTouchpoint(member, `stray-${i}`);
		expect(member.socket.closedWith).toBeNull();
		server.addTouchpoint(member, 'one-too-many');
		expect(member.socket.closedWith).toBe(CLOSE_CODES.protocolError);

		const editor = await server.connect(BOARD);
		// A change the client never sent: its next update builds on it.
		putItem(editor.doc, 'touchpoints', newTouchpoint({ id: 'unsent', stageId: 'stage-1', laneId: 'lane-touchpoints', title: 'Unsent' }));
		server.addTouchpoint(editor, 'built-on-unsent');
		expect(editor.socket.closedWith).toBe(CLOSE_CODES.protocolError);
		expect(server.store.logOf(BOARD)).toHaveLength(0);
	});
});

describe('rooms over the store', () => {
	test('compaction folds the stored log into a snapshot the board reloads from', async () => {
		const server = serve();
		const base = server.createBoard(BOARD);
		const writer = await server.connect(BOARD);
		for (const id of ['a', 'b', 'c']) {
			server.addTouchpoint(writer, id);
			await flushTurn();
		}
		await writer.room.whenStored();
		expect(server.store.logOf(BOARD)).toHaveLength(3);

		await writer.room.compact();
		expect(server.store.logOf(BOARD)).toHaveLength(0);
		// What the update guard's size estimate starts from again: the snapshot, exactly.
		expect(writer.room.storedBytes).toBe(writer.room.encodedState().length);
		expect(touchpointsAfter(base, [server.store.loadNow(BOARD).state]).sort()).toEqual(['a', 'b', 'c']);
	});

	test('compacting waits for the appends in flight, and unloading stores every change first', async () => {
		const server = serve();
		server.createBoard(BOARD);
		const writer = await server.connect(BOARD);
		server.store.holding = true;
		server.addTouchpoint(writer, 'in-flight');
		await flushTurn();
		await vi.waitFor(() => expect(server.store.held).toBe(1));

		let closed = false;
		const closing = server.rooms.closeAll().then(() => (closed = true));
		await flushTurn();
		expect(closed).toBe(false);
		expect(writer.socket.closedWith).toBe(CLOSE_CODES.goingAway);
		server.store.holding = false;
		server.store.release();
		await closing;
		// Stored, then folded into the snapshot.
		expect(server.store.logOf(BOARD)).toHaveLength(0);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, server.store.loadNow(BOARD).state);
		expect(readJourney(doc).touchpoints.map((touchpoint) => touchpoint.id)).toEqual(['in-flight']);
	});

	test('a compaction asked for while one runs follows it, folding what was stored since', async () => {
		const server = serve();
		server.createBoard(BOARD);
		const writer = await server.connect(BOARD);
		server.addTouchpoint(writer, 'before');
		await flushTurn();
		await writer.room.whenStored();

		server.store.holdingCompactions = true;
		const running = writer.room.compact();
		await vi.waitFor(() => expect(server.store.held).toBe(1));
		server.addTouchpoint(writer, 'during');
		await flushTurn();
		await writer.room.whenStored();
		expect(server.store.logOf(BOARD)).toHaveLength(2);
		const following = writer.room.compact();
		expect(writer.room.compact()).toBe(following);

		server.store.holdingCompactions = false;
		server.store.release();
		await running;
		await following;
		expect(server.store.compactions).toBe(2);
		expect(server.store.logOf(BOARD)).toHaveLength(0);
		const doc = docOf(server.store.loadNow(BOARD).state);
		expect(
			readJourney(doc)
				.touchpoints.map((touchpoint) => touchpoint.id)
				.sort()
		).toEqual(['before', 'during']);
	});

	test('a board deleted while its room loads closes the waiting socket with the deletion code', async () => {
		const server = serve();
		server.createBoard(BOARD);
		let loaded: () => void = () => {};
		const load = server.store.load.bind(server.store);
		vi.spyOn(server.store, 'load').mockImplementation(async (boardId) => {
			await new Promise<void>((resolve) => (loaded = resolve));
			return load(boardId);
		});
		const opening = server.rooms.open(BOARD);
		await flushTurn();
		server.rooms.drop(BOARD, CLOSE_CODES.boardDeleted);
		loaded();
		await expect(opening).rejects.toMatchObject({ code: CLOSE_CODES.boardDeleted });
		expect(server.rooms.peek(BOARD)).toBeUndefined();
	});

	test('a socket joining a loaded room keeps it from unloading; a room left empty unloads', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		try {
			const server = serve();
			server.createBoard(BOARD);
			const room = await server.rooms.open(BOARD);
			server.rooms.released(room);
			expect(server.rooms.openLoaded(BOARD)).toBe(room);
			vi.advanceTimersByTime(2 * IDLE_MS);
			expect(server.rooms.peek(BOARD)).toBe(room);
			server.rooms.released(room);
			vi.advanceTimersByTime(2 * IDLE_MS);
			expect(server.rooms.peek(BOARD)).toBeUndefined();
		} finally {
			vi.useRealTimers();
		}
	});

	test('sockets opening a board together share one load', async () => {
		const server = serve();
		server.createBoard(BOARD);
		const loads = vi.spyOn(server.store, 'load');
		const [first, second] = await Promise.all([server.rooms.open(BOARD), server.rooms.open(BOARD)]);
		expect(first).toBe(second);
		expect(loads).toHaveBeenCalledTimes(1);
	});

	test("the title and assignments a writer changes are reported as board events, the day's version kept once", async () => {
		const server = serve();
		const base = server.createBoard(BOARD);
		const writer = await server.connect(BOARD);
		const before = Y.encodeStateVector(writer.doc);
		writer.doc.getMap('board').set('title', '  Branch visit, revised  ');
		writer.sendChanges(before);
		await writer.room.whenStored();
		await vi.waitFor(() => expect(server.events.titles).toEqual([{ boardId: BOARD, title: 'Branch visit, revised' }]));
		await vi.waitFor(() => expect(server.store.dailyVersions).toHaveLength(1));
		expect(readJourney(docOf(server.store.dailyVersions[0].state)).title).toBe(readJourney(base).title);
		server.addTouchpoint(writer, 'later');
		await writer.room.whenStored();
		await flushTurn();
		expect(server.store.dailyVersions).toHaveLength(1);
	});

	test("the day's version is tried again when saving it fails, holding the state before the first edit", async () => {
		vi.useFakeTimers({ toFake: ['setTimeout'] });
		try {
			const server = serve();
			const base = server.createBoard(BOARD);
			server.store.dailyVersionFailures = 2;
			const writer = await server.connect(BOARD);
			server.addTouchpoint(writer, 'first');
			await writer.room.whenStored();
			server.addTouchpoint(writer, 'second');
			await writer.room.whenStored();
			await vi.waitFor(async () => {
				await vi.advanceTimersByTimeAsync(DAILY_VERSION_RETRY_MS * 4);
				expect(server.store.dailyVersions).toHaveLength(1);
			});
			expect(server.store.dailyVersionFailures).toBe(0);
			expect(touchpointsAfter(new Y.Doc(), [server.store.dailyVersions[0].state])).toEqual(touchpointsAfter(base, []));
		} finally {
			vi.useRealTimers();
		}
	});
});

function docOf(state: Uint8Array): Y.Doc {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, state);
	return doc;
}
