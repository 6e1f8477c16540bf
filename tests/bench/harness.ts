/**
 * A lean raw-protocol y-websocket client for load generation: `ws` plus lib0 encoding, no provider,
 * and no `Y.Doc` unless the client writes. Many of them run in one process. Receivers read only
 * the header of each relayed update to tell which write it carries.
 *
 * Hocuspocus speaks the same messages with the document name in front of each and an auth
 * message first; the `hocuspocus` dialect adds exactly that and nothing else.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { MESSAGE_AUTH, MESSAGE_SYNC, SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE } from '../../server/protocol';

export type Dialect = 'y-websocket' | 'hocuspocus';

/** Where one room lives and how to reach it. */
export interface RoomAddress {
	/** `ws://127.0.0.1:<port>/<path>` */
	url: string;
	dialect: Dialect;
	/** Hocuspocus's document name (sent in every message). */
	docName: string;
	headers: Record<string, string>;
}

/** Hocuspocus: a sync message that must not trigger another step 1. */
const MESSAGE_SYNC_REPLY = 4;
/** An empty state vector and an empty update, as a fresh `Y.Doc` encodes them. */
const EMPTY_STATE_VECTOR = new Uint8Array([0]);
const EMPTY_UPDATE = new Uint8Array([0, 0]);

/** Called for each relayed update: the writer client id and first clock it carries, when it came. */
export type ArrivalListener = (client: SyncClient, update: Uint8Array, receivedAt: number) => void;

export interface ClientOptions {
	/** Keep a `Y.Doc` of the room so this client can write; receivers keep none. */
	writer?: boolean;
	/** An update sent right after opening (how rooms of servers without an import API are seeded). */
	seed?: Uint8Array;
	onUpdate?: ArrivalListener;
}

/** One socket on one room. */
export class SyncClient {
	readonly doc: Y.Doc | null;
	/** Resolves when the server's sync step 2 has arrived (after any seed was sent). */
	readonly synced: Promise<void>;
	/** Milliseconds from `connect()` to the server's step 2, and that step's payload size. */
	syncMs = 0;
	syncBytes = 0;
	closed = false;
	/** The close code and reason the socket ended with (`1006 ` when no close frame came). */
	closedWith = '';
	readonly #socket: WebSocket;
	readonly #prefix: Uint8Array;
	readonly #onUpdate: ArrivalListener | undefined;
	readonly #startedAt = performance.now();
	#resolveSynced!: () => void;
	#rejectSynced!: (error: Error) => void;
	#isSynced = false;
	#capturing = false;
	#captured: Uint8Array | null = null;

	constructor(
		readonly address: RoomAddress,
		options: ClientOptions = {}
	) {
		this.doc = options.writer || options.seed ? new Y.Doc() : null;
		if (this.doc && options.seed) Y.applyUpdate(this.doc, options.seed);
		this.doc?.on('update', (update: Uint8Array) => {
			if (this.#capturing) this.#captured = update;
		});
		this.#onUpdate = options.onUpdate;
		this.#prefix = address.dialect === 'hocuspocus' ? prefixFor(address.docName) : new Uint8Array(0);
		this.synced = new Promise((resolve, reject) => {
			this.#resolveSynced = resolve;
			this.#rejectSynced = reject;
		});
		this.synced.catch(() => {});
		this.#socket = new WebSocket(address.url, { headers: address.headers, perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
		this.#socket.binaryType = 'nodebuffer';
		this.#socket.on('open', () => {
			if (address.dialect === 'hocuspocus') this.#sendRaw(authMessage(this.#prefix));
			if (options.seed) this.#send(MESSAGE_SYNC, SYNC_UPDATE, options.seed);
			this.#send(MESSAGE_SYNC, SYNC_STEP1, this.doc ? Y.encodeStateVector(this.doc) : EMPTY_STATE_VECTOR);
		});
		this.#socket.on('message', (data: Buffer) => this.#receive(data));
		this.#socket.on('error', (error) => this.#rejectSynced(error));
		this.#socket.on('unexpected-response', (_request, response) => {
			this.#rejectSynced(new Error(`upgrade refused: ${response.statusCode}`));
			response.resume();
		});
		this.#socket.on('close', (code, reason) => {
			this.closed = true;
			this.closedWith = `${code} ${String(reason)}`.trim();
			this.#rejectSynced(new Error('socket closed before sync'));
		});
	}

	/** The client id of this client's writes (0 for a receiver). */
	get clientId(): number {
		return this.doc?.clientID ?? 0;
	}

	/** Sends one document update as a y-websocket update message. */
	sendUpdate(update: Uint8Array): void {
		this.#send(MESSAGE_SYNC, SYNC_UPDATE, update);
	}

	/** One document update encoded as the whole message `sendFrame` sends (encoded ahead of a measure). */
	encodeUpdate(update: Uint8Array): Uint8Array {
		return this.#frame(MESSAGE_SYNC, SYNC_UPDATE, update);
	}

	/** Sends a message `encodeUpdate` made, as it is: no encoding on the sending path. */
	sendFrame(frame: Uint8Array): void {
		this.#sendRaw(frame);
	}

	/** Runs `change` on this writer's document and returns the update it made (not sent yet); null when none. */
	prepare(change: (doc: Y.Doc) => void): Uint8Array | null {
		if (!this.doc) throw new Error('a receiver cannot write');
		this.#captured = null;
		this.#capturing = true;
		try {
			change(this.doc);
		} finally {
			this.#capturing = false;
		}
		const update = this.#captured;
		this.#captured = null;
		return update;
	}

	/** Bytes queued in this socket and not yet written to the kernel. */
	get bufferedAmount(): number {
		return this.#socket.bufferedAmount;
	}

	close(): void {
		if (this.#socket.readyState === WebSocket.OPEN || this.#socket.readyState === WebSocket.CONNECTING) this.#socket.terminate();
		this.doc?.destroy();
	}

	#send(type: number, syncType: number, payload: Uint8Array): void {
		this.#sendRaw(this.#frame(type, syncType, payload));
	}

	#frame(type: number, syncType: number, payload: Uint8Array): Uint8Array {
		const encoder = encoding.createEncoder();
		encoding.writeUint8Array(encoder, this.#prefix);
		encoding.writeVarUint(encoder, type);
		encoding.writeVarUint(encoder, syncType);
		encoding.writeVarUint8Array(encoder, payload);
		return encoding.toUint8Array(encoder);
	}

	#sendRaw(frame: Uint8Array): void {
		if (this.#socket.readyState === WebSocket.OPEN) this.#socket.send(frame, { binary: true });
	}

	#receive(data: Buffer): void {
		const receivedAt = performance.now();
		const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
		if (this.address.dialect === 'hocuspocus') decoding.readVarString(decoder);
		const type = decoding.readVarUint(decoder);
		if (type !== MESSAGE_SYNC && type !== MESSAGE_SYNC_REPLY) return; // awareness, auth, sync status: not measured
		const syncType = decoding.readVarUint(decoder);
		const payload = decoding.readVarUint8Array(decoder);
		if (syncType === SYNC_UPDATE) {
			this.#onUpdate?.(this, payload, receivedAt);
		} else if (syncType === SYNC_STEP1) {
			this.#send(MESSAGE_SYNC, SYNC_STEP2, this.doc ? Y.encodeStateAsUpdate(this.doc, payload) : EMPTY_UPDATE);
		} else if (syncType === SYNC_STEP2) {
			if (this.doc) Y.applyUpdate(this.doc, payload);
			if (!this.#isSynced) {
				this.#isSynced = true;
				this.syncMs = receivedAt - this.#startedAt;
				this.syncBytes = payload.byteLength;
				this.#resolveSynced();
			}
		}
	}
}

/**
 * The writer client id and first clock of a relayed update, read from its header alone when it
 * holds one write (one group of at most `maxStructs` structs); null when the update must be parsed.
 */
export function readSingleWrite(update: Uint8Array, maxStructs: number): { client: number; clock: number } | null {
	const decoder = decoding.createDecoder(update);
	if (decoding.readVarUint(decoder) !== 1) return null;
	const structs = decoding.readVarUint(decoder);
	if (structs > maxStructs) return null;
	const client = decoding.readVarUint(decoder);
	const clock = decoding.readVarUint(decoder);
	return { client, clock };
}

function prefixFor(docName: string): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarString(encoder, docName);
	return encoding.toUint8Array(encoder);
}

/** Hocuspocus's auth message: type 2, sub-type 0 (token), an empty token. */
function authMessage(prefix: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeUint8Array(encoder, prefix);
	encoding.writeVarUint(encoder, MESSAGE_AUTH);
	encoding.writeVarUint(encoder, 0);
	encoding.writeVarString(encoder, '');
	return encoding.toUint8Array(encoder);
}

/** Opens `count` clients with at most `concurrency` handshakes in flight; resolves when all synced. */
export async function openClients(count: number, make: (index: number) => SyncClient, concurrency = 64): Promise<SyncClient[]> {
	const clients: SyncClient[] = new Array(count);
	let next = 0;
	async function lane(): Promise<void> {
		while (next < count) {
			const index = next++;
			clients[index] = make(index);
			await clients[index].synced;
		}
	}
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
	return clients;
}
