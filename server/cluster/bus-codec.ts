import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { z } from 'zod';
import { ROLES } from '../../src/lib/journey/roles';
import type { BoardMessage, ClusterEvent, ReceivedBoardMessage } from './board-bus';

/**
 * The bus's wire format. A board message is binary, so a Yjs update travels as its own bytes
 * (no base64): `[kind varuint][sender varstring]`, then for an update `[seq varuint][update
 * varbytes]`, for presence `[awareness update varbytes]` then its owners, `[count varuint]` and
 * `[client id varuint][user id varstring]` each, for a head `[seq varuint]`, for a presence peer
 * nothing. An event is JSON `{ from, event }`: few, small, and readable with `redis-cli monitor`.
 * A receiver ignores kinds it does not know and bytes after those it reads, so what a newer
 * sender adds passes an older receiver.
 */

const KIND_UPDATE = 0;
const KIND_PRESENCE = 1;
const KIND_HEAD = 2;
const KIND_PRESENCE_PEER = 3;
/** Owners one presence message carries at most (a tick applies far fewer entries). */
const MAX_OWNERS = 10_000;

/** Encodes a board message sent by `from`. */
export function encodeBoardMessage(from: string, message: BoardMessage): Uint8Array {
	const encoder = encoding.createEncoder();
	const kinds = { update: KIND_UPDATE, presence: KIND_PRESENCE, head: KIND_HEAD, 'presence-peer': KIND_PRESENCE_PEER };
	encoding.writeVarUint(encoder, kinds[message.kind]);
	encoding.writeVarString(encoder, from);
	if (message.kind === 'update' || message.kind === 'head') encoding.writeVarUint(encoder, message.seq);
	if (message.kind === 'update' || message.kind === 'presence') encoding.writeVarUint8Array(encoder, message.update);
	if (message.kind === 'presence') {
		const owners = message.owners ?? new Map<number, string>();
		encoding.writeVarUint(encoder, owners.size);
		for (const [clientId, owner] of owners) {
			encoding.writeVarUint(encoder, clientId);
			encoding.writeVarString(encoder, owner);
		}
	}
	return encoding.toUint8Array(encoder);
}

/** Decodes a board message; null (never a throw) when it is not one. */
export function decodeBoardMessage(bytes: Uint8Array): ReceivedBoardMessage | null {
	try {
		const decoder = decoding.createDecoder(bytes);
		const kind = decoding.readVarUint(decoder);
		const from = decoding.readVarString(decoder);
		if (kind === KIND_UPDATE) {
			const seq = decoding.readVarUint(decoder);
			return { kind: 'update', from, seq, update: decoding.readVarUint8Array(decoder) };
		}
		if (kind === KIND_PRESENCE) {
			const update = decoding.readVarUint8Array(decoder);
			// An older sender sends no owners.
			if (!decoding.hasContent(decoder)) return { kind: 'presence', from, update };
			const count = decoding.readVarUint(decoder);
			if (count > MAX_OWNERS) return null;
			const owners = new Map<number, string>();
			for (let i = 0; i < count; i++) owners.set(decoding.readVarUint(decoder), decoding.readVarString(decoder));
			return { kind: 'presence', from, update, owners };
		}
		if (kind === KIND_HEAD) return { kind: 'head', from, seq: decoding.readVarUint(decoder) };
		if (kind === KIND_PRESENCE_PEER) return { kind: 'presence-peer', from };
		return null;
	} catch {
		return null;
	}
}

const eventSchema = z.object({
	from: z.string(),
	/** Present when the sender waits for each receiver to acknowledge the event (`BoardBus.publishEvent`). */
	id: z.string().max(64).optional(),
	event: z.discriminatedUnion('type', [
		z.object({ type: z.literal('close-session'), sessionId: z.string() }),
		z.object({ type: z.literal('set-member-role'), boardId: z.string(), userId: z.string(), role: z.enum(ROLES).nullable() }),
		z.object({ type: z.literal('close-board'), boardId: z.string() }),
		z.object({ type: z.literal('set-locked'), boardId: z.string(), locked: z.boolean() }),
		z.object({ type: z.literal('present-stage'), boardId: z.string(), stageId: z.string().max(64).nullable() }),
		z.object({ type: z.literal('board-event'), boardId: z.string(), event: z.enum(['comments', 'members', 'facilitation', 'versions']) }),
		z.object({
			type: z.literal('close-streams'),
			// Never all streams at once: an empty match would close everyone's.
			match: z
				.object({ sessionId: z.string().optional(), boardId: z.string().optional(), userId: z.string().optional() })
				.refine((match) => Boolean(match.sessionId || match.boardId || match.userId))
		})
	])
});

/** A process-wide event as it travels: its sender, and the id its receivers acknowledge it by. */
export interface SentClusterEvent {
	from: string;
	id?: string;
	event: ClusterEvent;
}

/** Encodes a process-wide event sent by `from`, to be acknowledged by `id`. */
export function encodeClusterEvent(from: string, event: ClusterEvent, id?: string): string {
	return JSON.stringify({ from, id, event });
}

/** Decodes a process-wide event; null (never a throw) when it is not one. */
export function decodeClusterEvent(text: string): SentClusterEvent | null {
	try {
		const parsed = eventSchema.safeParse(JSON.parse(text));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}
