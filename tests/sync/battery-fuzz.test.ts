/**
 * Battery: protocol fuzz. Seeded hostile frames to `/sync/:boardId`, as an editor and as a viewer:
 * random bytes, truncated and over-long varints, known crashers, empty and text frames, and real
 * sync and awareness messages mutated (bit flips, splices, length lies), including mutated Yjs
 * updates inside well-formed frames, which reach the server's update guard.
 *
 * Every editor frame the server takes (a pong, no close) is applied to a model document here, in
 * the same order; refused frames are not. At checkpoints and at the end the server's document (a
 * fresh client), the stored board (the database file) and two honest clients must all equal the
 * model: a refused frame changed nothing, an accepted one did exactly what Yjs says.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { deleteTouchpoint, patchItem, putItem } from '../../src/lib/journey/document';
import { decodeClientMessage, MESSAGE_SYNC, SYNC_UPDATE } from '../../server/protocol';
import {
	awarenessFrame,
	awarenessUpdate,
	batterySeed,
	differences,
	fingerprint,
	isAlive,
	ProbeSocket,
	queryAwareness,
	storedBoard,
	Rng,
	scaled,
	scaledTimeout,
	syncStep1,
	syncStep2,
	syncUpdate
} from './battery-helpers';
import { api, barrier, cleanup, loadFresh, touchpoint, waitFor, type Account, type TestServer } from './helpers';
import { setupBoard } from './setup';

/** Hostile frames per run, over all lanes. */
const FRAMES = scaled(20_000, 200_000);
/**
 * Frames per round. Each round fuzzes fresh boards, so a board (and the cost of every full
 * encoding of it) stays small however long the run: the soak runs ten rounds.
 */
const FRAMES_PER_ROUND = 20_000;
/** Boards fuzzed side by side in a round; each has an editor lane and a viewer lane. */
const BOARDS = 2;
/** Editor frames between comparisons of server, store, honest clients and model. */
const CHECK_EVERY = 2_500;
/** Frames kept for the failure message. */
const HISTORY = 12;

const KNOWN_CRASHERS: number[][] = [
	[200, 200, 200, 200],
	[0],
	[0, 0],
	[0, 1],
	[0, 2],
	[0, 3, 0],
	[1],
	[1, 5, 1, 2],
	[2, 0],
	[3, 3],
	[7, 1, 2],
	[255, 255, 255, 255, 15],
	[0, 2, 100, 0, 0],
	[0, 0, 3, 255, 255, 255],
	[0, 2, 4, 200, 200, 200, 200],
	[0, 2, 1, 0],
	[0, 2, 2, 0, 0],
	[0, 1, 3, 1, 0, 0],
	[0, 2, 6, 1, 1, 0, 0, 0, 0],
	[1, 4, 1, 0, 0, 0],
	[1, 6, 1, 1, 1, 2, 123, 125]
];

type Fuzzed = { bytes: Uint8Array | string; text: boolean; kind: string };

/** Real material for one board: an author document that edits like a client, and recent frames. */
class Corpus {
	author = new Y.Doc();
	readonly updates: Uint8Array[] = [];
	readonly frames: Uint8Array[] = [];
	#sequence = 0;
	/** A copy of the author that crafted (hostile) edits go to; re-copied now and then. */
	#crafter: Y.Doc | null = null;
	#crafted = 0;
	/** The author's diff against the model, recomputed now and then (each costs a full encoding). */
	#diff: Uint8Array | null = null;
	#diffUses = 0;

	constructor(
		private readonly rng: Rng,
		private readonly model: Y.Doc
	) {
		this.author.clientID = this.clientId();
		this.author.on('update', (update: Uint8Array) => this.#remember(update));
		this.catchUp();
	}

	/** A client id from the seed, so a replay makes the same documents (Yjs would draw one at random). */
	clientId(): number {
		return this.rng.int(2 ** 32);
	}

	/**
	 * Brings the author up to the model, so its next edits build on what the server has. Hostile
	 * content the server took can clash with the author's own (same ids, other content); then the
	 * author starts over as a copy of the model.
	 */
	catchUp(): void {
		try {
			Y.applyUpdate(this.author, Y.encodeStateAsUpdate(this.model, Y.encodeStateVector(this.author)));
		} catch {
			this.author.destroy();
			this.author = new Y.Doc();
			this.author.clientID = this.clientId();
			this.author.on('update', (update: Uint8Array) => this.#remember(update));
			Y.applyUpdate(this.author, Y.encodeStateAsUpdate(this.model));
		}
	}

	/** A real edit of the author's board, as a client would make it. */
	edit(): void {
		const rng = this.rng;
		const ids = [...this.author.getMap('touchpoints').keys()];
		const roll = rng.int(10);
		if (roll < 4 || ids.length === 0) {
			const id = `fz-${this.#sequence++}-${rng.int(1e6)}`;
			putItem(this.author, 'touchpoints', touchpoint(id, { title: `Fuzz ${id}`, x: rng.int(5000), stageId: 'stage-1' }));
		} else if (roll < 8) {
			patchItem(this.author, 'touchpoints', rng.pick(ids), {
				title: 'x'.repeat(rng.int(40)),
				x: rng.int(10_000),
				emotion: rng.between(-5, 5)
			});
		} else if (roll < 9) {
			deleteTouchpoint(this.author, rng.pick(ids));
		} else {
			this.author.getMap('board').set('title', `Fuzzed board ${rng.int(1000)}`);
		}
	}

	update(): Uint8Array {
		if (this.updates.length === 0 || this.rng.chance(0.3)) this.edit();
		return this.rng.pick(this.updates);
	}

	/** What the author has that the model lacks, as a reconnecting client's sync step 2. */
	diff(): Uint8Array {
		if (!this.#diff || ++this.#diffUses > 20) {
			this.#diff = Y.encodeStateAsUpdate(this.author, Y.encodeStateVector(this.model));
			this.#diffUses = 0;
		}
		return this.#diff;
	}

	/** A document to make a crafted edit in, holding what the author holds (or a little more junk). */
	crafter(): Y.Doc {
		if (!this.#crafter || ++this.#crafted > 20) {
			this.#crafter?.destroy();
			this.#crafter = new Y.Doc();
			this.#crafter.clientID = this.clientId();
			Y.applyUpdate(this.#crafter, Y.encodeStateAsUpdate(this.author));
			this.#crafted = 0;
		}
		return this.#crafter;
	}

	realFrame(): Uint8Array {
		const rng = this.rng;
		switch (rng.int(7)) {
			case 0:
				return syncStep1(rng.chance(0.5) ? Y.encodeStateVector(this.model) : new Uint8Array([0]));
			case 1:
				return syncStep2(this.diff());
			case 2:
			case 3:
				return syncUpdate(this.update());
			case 4:
				return awarenessFrame(
					awarenessUpdate([
						{ clientId: this.author.clientID, clock: rng.int(100), state: { user: { name: 'Fuzz' }, cursor: { x: rng.int(999), y: 1 } } }
					])
				);
			case 5:
				return queryAwareness();
			default:
				return rng.pick(this.frames.length > 0 ? this.frames : [queryAwareness()]);
		}
	}

	#remember(update: Uint8Array): void {
		this.updates.push(update);
		if (this.updates.length > 64) this.updates.splice(0, this.updates.length - 64);
		this.frames.push(syncUpdate(update));
		if (this.frames.length > 64) this.frames.splice(0, this.frames.length - 64);
	}
}

function concat(...parts: ArrayLike<number>[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.length;
	}
	return out;
}

/** One to three random mutations: bit flips, byte changes, inserts, deletes, duplications, varint tricks. */
function mutate(rng: Rng, input: Uint8Array): Uint8Array {
	let bytes: Uint8Array = Uint8Array.from(input);
	for (let round = rng.between(1, 3); round > 0; round--) {
		const at = bytes.length === 0 ? 0 : rng.int(bytes.length);
		switch (rng.int(9)) {
			case 0:
				if (bytes.length > 0) bytes[at] ^= 1 << rng.int(8);
				break;
			case 1:
				if (bytes.length > 0) bytes[at] = rng.pick([0, 1, 0x7f, 0x80, 0xff, rng.int(256)]);
				break;
			case 2:
				bytes = concat(bytes.subarray(0, at), rng.bytes(rng.between(1, 8)), bytes.subarray(at));
				break;
			case 3:
				bytes = concat(bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + rng.between(1, 8))));
				break;
			case 4: {
				const length = rng.between(1, 16);
				bytes = concat(bytes.subarray(0, at), bytes.subarray(at, at + length), bytes.subarray(at));
				break;
			}
			case 5:
				bytes = bytes.subarray(0, rng.int(bytes.length + 1));
				break;
			case 6:
				// An over-long varint: continuation bytes that add nothing, then the original byte.
				bytes = concat(bytes.subarray(0, at), new Array(rng.between(1, 160)).fill(0x80), bytes.subarray(at));
				break;
			case 7:
				// A huge varint (past 2^53) in place of one byte.
				bytes = concat(bytes.subarray(0, at), new Array(rng.between(8, 12)).fill(0xff), [0x7f], bytes.subarray(at + 1));
				break;
			default:
				bytes = concat(bytes, rng.bytes(rng.between(1, 32)));
		}
	}
	return bytes;
}

/** Rewrites the length prefix of a frame's payload (after `headerBytes`) to a lie. */
function lieAboutLength(rng: Rng, frame: Uint8Array, headerBytes: number): Uint8Array {
	const encoder = [] as number[];
	let length = rng.pick([0, 1, 127, 128, 2 ** 31, 2 ** 53 + 2, frame.length * 2, Math.max(0, frame.length - headerBytes - 3)]);
	do {
		let byte = length % 128;
		length = Math.floor(length / 128);
		if (length > 0) byte |= 0x80;
		encoder.push(byte);
	} while (length > 0);
	// Skip the real prefix (one varint) and keep the payload.
	let at = headerBytes;
	while (at < frame.length && frame[at] & 0x80) at++;
	return concat(frame.subarray(0, headerBytes), encoder, frame.subarray(at + 1));
}

/** Yjs updates that parse but that no honest client sends. */
function craftedUpdate(rng: Rng, corpus: Corpus): Uint8Array {
	const doc = corpus.crafter();
	const before = Y.encodeStateVector(doc);
	switch (rng.int(5)) {
		case 0: {
			// A root the board uses as a map, written to as a list (type confusion), from a fresh
			// copy: a document that has used the root as a map refuses to.
			const fresh = new Y.Doc();
			fresh.clientID = corpus.clientId();
			Y.applyUpdate(fresh, Y.encodeStateAsUpdate(corpus.author));
			const freshBefore = Y.encodeStateVector(fresh);
			fresh.getArray('touchpoints').insert(0, [rng.int(100), 'not a map']);
			const update = Y.encodeStateAsUpdate(fresh, freshBefore);
			fresh.destroy();
			return update;
		}
		case 1:
			// A subdocument.
			doc.getMap('board').set('subdoc', new Y.Doc());
			break;
		case 2: {
			// Text-only content (formats, embeds) in a board map.
			const text = new Y.Text();
			doc.getMap('board').set('notes', text);
			text.insert(0, 'hello', { bold: true });
			text.insertEmbed(2, { image: 'x' });
			break;
		}
		case 3: {
			// Depends on an edit the server never got: only the later one is sent, so it stays pending.
			const id = `orphan-${rng.int(1e6)}`;
			putItem(doc, 'touchpoints', touchpoint(id));
			const middle = Y.encodeStateVector(doc);
			patchItem(doc, 'touchpoints', id, { title: 'pending' });
			return Y.encodeStateAsUpdate(doc, middle);
		}
		default:
			// Deletes of arbitrary ranges of existing content: a valid, if unfriendly, edit.
			for (const [id] of doc.getMap('touchpoints')) if (rng.chance(0.2)) doc.getMap('touchpoints').delete(id);
	}
	return Y.encodeStateAsUpdate(doc, before);
}

function hostileAwareness(rng: Rng, corpus: Corpus): Uint8Array {
	const entries = [] as { clientId: number; clock: number; state: unknown }[];
	for (let i = rng.between(1, 6); i > 0; i--) {
		entries.push({
			clientId: rng.pick([corpus.author.clientID, rng.int(2 ** 32), 0, 2 ** 53 - 1]),
			clock: rng.pick([0, 1, rng.int(1e6), 2 ** 40]),
			state: rng.pick([null, {}, { user: { name: 'Mallory' } }, { blob: 'y'.repeat(rng.int(70_000)) }, 'just a string', [1, 2, 3]])
		});
	}
	let body = awarenessUpdate(entries);
	if (rng.chance(0.3)) body = mutate(rng, body);
	if (rng.chance(0.1)) {
		// A state that is not JSON.
		body = concat([1], [5], [1], [9], new TextEncoder().encode('{"user":'));
	}
	return awarenessFrame(body);
}

function textFrame(rng: Rng): string {
	return rng.pick([
		'',
		'{"type":"update","touchpoint":"hello"}',
		'\u0000\u0002\u0005',
		'x'.repeat(rng.int(5000)),
		String.fromCharCode(...Array.from({ length: 20 }, () => rng.int(0xd7ff)))
	]);
}

function varintEdge(rng: Rng, corpus: Corpus): Uint8Array {
	const real = corpus.realFrame();
	switch (rng.int(6)) {
		case 0:
			return new Uint8Array(new Array(rng.between(1, 200)).fill(0x80)); // truncated varint
		case 1:
			return concat(new Array(rng.between(1, 200)).fill(0x80), [0], real.subarray(1)); // over-long message type
		case 2:
			return concat([MESSAGE_SYNC], new Array(rng.between(1, 12)).fill(0xff)); // truncated huge sync type
		case 3:
			return concat([MESSAGE_SYNC, SYNC_UPDATE], new Array(rng.between(5, 12)).fill(0xff), [0x0f], rng.bytes(rng.int(16))); // huge length
		case 4:
			return concat(real.subarray(0, 2), [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80], real.subarray(2)); // over-long length prefix
		default:
			return concat(real.subarray(0, Math.max(1, real.length - rng.between(1, 4)))); // truncated tail
	}
}

function makeFrame(rng: Rng, corpus: Corpus): Fuzzed {
	const kind = rng.weighted([
		[6, 'random-bytes'],
		[4, 'known-crasher'],
		[6, 'varint-edge'],
		[1, 'empty'],
		[2, 'text'],
		[10, 'real'],
		[14, 'mutated-frame'],
		[24, 'mutated-update'],
		[5, 'splice'],
		[5, 'length-lie'],
		[8, 'awareness'],
		[7, 'crafted-update']
	] as const);
	const binary = (bytes: Uint8Array): Fuzzed => ({ bytes, text: false, kind });
	switch (kind) {
		case 'random-bytes':
			return binary(
				rng.bytes(
					rng.weighted([
						[6, rng.int(12)],
						[3, rng.int(300)],
						[1, rng.int(8000)]
					])
				)
			);
		case 'known-crasher':
			return binary(Uint8Array.from(rng.pick(KNOWN_CRASHERS)));
		case 'varint-edge':
			return binary(varintEdge(rng, corpus));
		case 'empty':
			return binary(new Uint8Array(0));
		case 'text':
			return { bytes: textFrame(rng), text: true, kind };
		case 'real':
			return binary(corpus.realFrame());
		case 'mutated-frame':
			return binary(mutate(rng, corpus.realFrame()));
		case 'mutated-update': {
			const update = mutate(rng, rng.chance(0.2) ? corpus.diff() : corpus.update());
			return binary(rng.chance(0.5) ? syncUpdate(update) : syncStep2(update));
		}
		case 'splice': {
			const a = corpus.realFrame();
			const b = corpus.realFrame();
			return binary(rng.chance(0.5) ? concat(a, b) : concat(a.subarray(0, rng.int(a.length + 1)), b.subarray(rng.int(b.length + 1))));
		}
		case 'length-lie': {
			const real = corpus.realFrame();
			return binary(lieAboutLength(rng, real, real[0] === 0 ? 2 : 1));
		}
		case 'awareness':
			return binary(hostileAwareness(rng, corpus));
		default: {
			const update = craftedUpdate(rng, corpus);
			return binary(rng.chance(0.5) ? syncUpdate(update) : syncStep2(update));
		}
	}
}

function describeFrame(frame: Fuzzed, index: number, outcome: string): string {
	const body =
		typeof frame.bytes === 'string'
			? `text(${frame.bytes.length}) ${JSON.stringify(frame.bytes.slice(0, 60))}`
			: `${Buffer.from(frame.bytes.subarray(0, 120)).toString('hex')}${frame.bytes.length > 120 ? `… (${frame.bytes.length} bytes)` : ''}`;
	return `#${index} ${frame.kind} → ${outcome}: ${body}`;
}

interface Lane {
	role: 'editor' | 'viewer';
	stats: Map<string, number>;
	frames: number;
}

describe('protocol fuzz', () => {
	let server: TestServer;
	let owner: Account;
	let editor: Account;
	let viewer: Account;
	const seed = batterySeed('protocol fuzz');

	beforeAll(async () => {
		({
			server,
			owner,
			members: { editor, viewer }
		} = await setupBoard({
			members: { editor: { role: null, name: 'Fuzz editor' }, viewer: { role: null, name: 'Fuzz viewer' } },
			board: false
		}));
	});
	afterAll(cleanup);

	test(
		`${FRAMES} seeded hostile frames as editor and viewer leave the process, the board and its log sound`,
		async () => {
			const rng = new Rng(seed);
			const lanes: Lane[] = [];
			const started = performance.now();
			for (let round = 0; round * FRAMES_PER_ROUND < FRAMES; round++) {
				await fuzzRound(rng.fork(), Math.min(FRAMES_PER_ROUND, FRAMES - round * FRAMES_PER_ROUND), lanes, round);
			}
			const seconds = (performance.now() - started) / 1000;

			const sent = lanes.reduce((sum, lane) => sum + lane.frames, 0);
			const summary = new Map<string, number>();
			for (const lane of lanes)
				for (const [key, count] of lane.stats) summary.set(`${lane.role} ${key}`, (summary.get(`${lane.role} ${key}`) ?? 0) + count);
			console.log(
				`[battery] protocol fuzz: ${sent} frames in ${seconds.toFixed(1)} s (seed ${seed})\n` +
					[...summary]
						.sort()
						.map(([key, count]) => `  ${key}: ${count}`)
						.join('\n')
			);
			expect(sent).toBeGreaterThanOrEqual(FRAMES);
			expect(server.exitCode).toBeNull();
			expect(isAlive(server.pid)).toBe(true);
			expect(server.stderr).toBe('');
		},
		scaledTimeout(240_000, 1_800_000)
	);

	/** One round: fresh boards, an editor and a viewer lane on each, then the checks. */
	async function fuzzRound(rng: Rng, frames: number, lanes: Lane[], round: number): Promise<void> {
		const boards = await Promise.all(
			Array.from({ length: BOARDS }, async (_, index) => {
				const { boardId, clients: honest } = await setupBoard({
					server,
					owner,
					members: { editor: { role: 'editor', account: editor }, viewer: { role: 'viewer', account: viewer } },
					board: { title: `Fuzz ${round}.${index}`, template: 'lifecycle' },
					clients: ['owner', 'owner']
				});
				const model = new Y.Doc();
				Y.applyUpdate(model, Y.encodeStateAsUpdate(honest[0].doc));
				return { boardId, honest, model };
			})
		);

		const perLane = Math.ceil(frames / (2 * BOARDS));

		async function checkpoint(board: (typeof boards)[number], label: string): Promise<void> {
			const expected = fingerprint(board.model);
			const fresh = await loadFresh(server, owner, board.boardId);
			const loaded = fingerprint(fresh);
			expect(loaded, `${label}: a fresh client loads exactly the model: ${differences(expected, loaded).join('; ')}`).toBe(expected);
			fresh.destroy();
			const stored = await storedBoard(server, board.boardId);
			expect(stored.integrity, `${label}: integrity_check`).toBe('ok');
			const kept = fingerprint(stored.doc);
			expect(kept, `${label}: the stored snapshot and log load exactly the model: ${differences(expected, kept).join('; ')}`).toBe(
				expected
			);
			stored.doc.destroy();
			for (const client of board.honest) {
				await waitFor(() => fingerprint(client.doc) === expected, `${label}: an honest client to equal the model`);
			}
			expect(server.exitCode).toBeNull();
		}

		async function runLane(board: (typeof boards)[number], role: 'editor' | 'viewer', laneRng: Rng): Promise<void> {
			const account = role === 'editor' ? editor : viewer;
			const lane: Lane = { role, stats: new Map(), frames: 0 };
			lanes.push(lane);
			const history: string[] = [];
			// Each lane has its own author, so its frames do not depend on the other lane's timing.
			const corpus = new Corpus(laneRng.fork(), board.model);
			// Most frames get their socket closed: a spare, opened meanwhile, takes over at once.
			const openSocket = () => ProbeSocket.open(server, account.cookie, board.boardId);
			let socket = await openSocket();
			let spare = openSocket();
			for (let index = 0; index < perLane; index++) {
				if (!socket.open) {
					socket = await spare;
					spare = openSocket();
				}
				if (index % 50 === 0) corpus.catchUp();
				const frame = makeFrame(laneRng, corpus);
				let outcome;
				try {
					outcome = await socket.deliver(frame.bytes, { text: frame.text });
				} catch (error) {
					throw new Error(
						`${(error as Error).message}\nseed ${seed}, round ${round}, ${role} lane\n${[...history, describeFrame(frame, index, 'no answer')].join('\n')}`,
						{ cause: error }
					);
				}
				const verdict = outcome.closed ? `closed ${outcome.code}` : 'taken';
				history.push(describeFrame(frame, index, verdict));
				if (history.length > HISTORY) history.shift();
				const key = `${frame.kind}: ${verdict}`;
				lane.stats.set(key, (lane.stats.get(key) ?? 0) + 1);
				lane.frames++;

				if (role === 'editor' && !outcome.closed && typeof frame.bytes !== 'string') {
					// The server took it: what it did, the model does too (same order, same Yjs, and,
					// like the server's update guard, only the part of it the board lacks).
					const message = decodeClientMessage(frame.bytes);
					if (message.type === 'sync-update') {
						try {
							Y.applyUpdate(board.model, Y.diffUpdate(message.update, Y.encodeStateVector(board.model)));
						} catch (error) {
							throw new Error(
								`the server took an update the model cannot apply (${(error as Error).message})\nseed ${seed}\n${history.join('\n')}`,
								{ cause: error }
							);
						}
					}
				}
				if (role === 'editor' && (index + 1) % CHECK_EVERY === 0) {
					try {
						await checkpoint(board, `after ${index + 1} editor frames`);
					} catch (error) {
						throw new Error(`${(error as Error).message}\nseed ${seed}\n${history.join('\n')}`, { cause: error });
					}
				}
			}
			socket.close();
			(await spare).close();
		}

		await Promise.all(boards.flatMap((board) => [runLane(board, 'editor', rng.fork()), runLane(board, 'viewer', rng.fork())]));

		// The process lived through it all and said nothing on stderr.
		expect(server.exitCode).toBeNull();
		expect(isAlive(server.pid)).toBe(true);
		expect(server.stderr).toBe('');
		expect((await api(server, 'GET', '/healthz')).status).toBe(200);

		for (const board of boards) {
			await checkpoint(board, 'after the fuzz');
			// Honest clients still sync both ways, and a fresh client loads the whole board.
			const [alice, bob] = board.honest;
			putItem(alice.doc, 'touchpoints', touchpoint('tp-after-fuzz-alice'));
			putItem(bob.doc, 'touchpoints', touchpoint('tp-after-fuzz-bob'));
			await barrier(alice, bob);
			await barrier(bob, alice);
			await waitFor(() => fingerprint(alice.doc) === fingerprint(bob.doc), 'the honest clients to converge');
			const fresh = await loadFresh(server, owner, board.boardId);
			expect(fingerprint(fresh)).toBe(fingerprint(alice.doc));
			expect(fresh.getMap('touchpoints').has('tp-after-fuzz-alice')).toBe(true);
			expect(fresh.getMap('touchpoints').has('tp-after-fuzz-bob')).toBe(true);
			for (const path of ['journey', 'analysis']) {
				expect((await api(server, 'GET', `/api/boards/${board.boardId}/${path}`, { cookie: owner.cookie })).status).toBe(200);
			}
			for (const client of board.honest) client.destroy();
			board.model.destroy();
		}
	}
});
