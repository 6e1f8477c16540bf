/**
 * Product only: sockets that stop reading and ask again and again for a large board's whole
 * state, the slow-consumer attack of "No member can hurt the others". Measures the server's RSS
 * before, at the peak of the attack (sampled), and once it has settled with the sockets still
 * left unread by their clients.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { encodeSyncStep1 } from '../../server/protocol';
import type { LoadRoom } from './load-worker';
import type { BenchServer } from './servers';

/** The attack's size: as measured in the issue (20 sockets, 10 requests each, a 12 MB board). */
export const NON_READERS = { sockets: 20, requests: 10, touchpoints: 5_000, descriptionChars: 2_000, peakWindowMs: 5_000 };
/** How often RSS is sampled during the attack. */
const SAMPLE_MS = 50;
/** How long the attackers' sockets, reading again at the end, are given to see their close. */
const CLOSE_WAIT_MS = 3_000;
/** A new client's sync step 1: the empty state vector. */
const WHOLE_STATE_REQUEST = encodeSyncStep1(Uint8Array.of(0));

/** Server RSS in bytes: before, at the peak, and settled afterwards; and how many sockets the server had closed. */
export interface NonReaderFigures {
	before: number;
	peak: number;
	settled: number;
	closed: number;
}

/** Runs the attack on `room`; `settledRss` reads RSS after a full collection. */
export async function measureNonReaders(server: BenchServer, room: LoadRoom, settledRss: () => Promise<number>): Promise<NonReaderFigures> {
	// Someone reads the board, so the baseline holds it loaded.
	const reader = await open(room);
	await new Promise((resolve) => reader.once('message', resolve));
	const before = await settledRss();
	const sockets = await Promise.all(Array.from({ length: NON_READERS.sockets }, () => open(room)));
	let closed = 0;
	for (const socket of sockets) {
		socket.once('close', () => (closed += 1));
		raw(socket).pause();
		for (let i = 0; i < NON_READERS.requests; i++) socket.send(WHOLE_STATE_REQUEST);
	}
	let peak = before;
	for (const end = performance.now() + NON_READERS.peakWindowMs; performance.now() < end; await sleep(SAMPLE_MS)) {
		peak = Math.max(peak, server.rss());
	}
	const settled = await settledRss();
	// Reading again, a socket the server closed learns it.
	for (const socket of sockets) raw(socket).resume();
	await sleep(CLOSE_WAIT_MS);
	for (const socket of [reader, ...sockets]) socket.terminate();
	return { before, peak, settled, closed };
}

function raw(socket: WebSocket): { pause(): void; resume(): void } {
	return (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
}

function open(room: LoadRoom): Promise<WebSocket> {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(room.address.url, { headers: room.address.headers, perMessageDeflate: false });
		socket.on('error', () => {});
		socket.once('open', () => resolve(socket));
		socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
	});
}
