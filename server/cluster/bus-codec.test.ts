import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { decodeBoardMessage, encodeBoardMessage } from './bus-codec';

const update = new Uint8Array([1, 7, 3, 4, 110, 117, 108, 108]);

describe('presence on the bus', () => {
	it('carries each client id’s owner with the presence update', () => {
		const owners = new Map([
			[7, 'user-ada'],
			[4_294_967_295, 'user-grace']
		]);
		expect(decodeBoardMessage(encodeBoardMessage('process-a', { kind: 'presence', update, owners }))).toEqual({
			kind: 'presence',
			from: 'process-a',
			update,
			owners
		});
	});

	it('reads presence from an older process, which sends no owners', () => {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 1);
		encoding.writeVarString(encoder, 'process-old');
		encoding.writeVarUint8Array(encoder, update);
		expect(decodeBoardMessage(encoding.toUint8Array(encoder))).toEqual({ kind: 'presence', from: 'process-old', update });
	});

	it('carries a process’s announcement that it applies a board’s presence', () => {
		expect(decodeBoardMessage(encodeBoardMessage('process-b', { kind: 'presence-peer' }))).toEqual({
			kind: 'presence-peer',
			from: 'process-b'
		});
	});

	it('refuses, without throwing, a kind it does not know, truncated owners and an absurd owner count', () => {
		const unknown = encoding.createEncoder();
		encoding.writeVarUint(unknown, 9);
		encoding.writeVarString(unknown, 'process-new');
		expect(decodeBoardMessage(encoding.toUint8Array(unknown))).toBeNull();

		const full = encodeBoardMessage('process-a', { kind: 'presence', update, owners: new Map([[7, 'user-ada']]) });
		expect(decodeBoardMessage(full.slice(0, full.length - 3))).toBeNull();

		const absurd = encoding.createEncoder();
		encoding.writeVarUint(absurd, 1);
		encoding.writeVarString(absurd, 'process-a');
		encoding.writeVarUint8Array(absurd, update);
		encoding.writeVarUint(absurd, 1_000_000);
		expect(decodeBoardMessage(encoding.toUint8Array(absurd))).toBeNull();
	});
});
