/**
 * Matches relayed updates to the writes they carry and keeps the latencies, for the load
 * generators (load-worker.ts, scale-worker.ts). A write is known by its writer's client id and
 * first clock; a relayed update is read from its header alone when it holds one write.
 */
import * as Y from 'yjs';
import { readSingleWrite, type SyncClient } from './harness';

export interface WriteRecord {
	sentAt: number;
	expected: number;
	received: number;
	measured: boolean;
}

/** Matches relayed updates to the writes they carry and keeps the latencies. */
export class FanoutTracker {
	readonly pending = new Map<number, Map<number, WriteRecord>>();
	deliveries: number[] = [];
	completions: number[] = [];
	arrivals = 0;
	onArrival: ((writerClient: number) => void) | null = null;

	track(client: number, clock: number, record: WriteRecord): void {
		let byClock = this.pending.get(client);
		if (!byClock) this.pending.set(client, (byClock = new Map()));
		byClock.set(clock, record);
	}

	arrive = (receiver: SyncClient, update: Uint8Array, at: number): void => {
		const single = readSingleWrite(update, 2);
		if (single) return this.#arrive(receiver, single.client, single.clock, at);
		// A server that merged several writes into one update: every write in its clock ranges.
		const meta = Y.parseUpdateMeta(update);
		for (const [client, from] of meta.from) {
			const to = meta.to.get(client) ?? from;
			for (let clock = from; clock < to; clock++) this.#arrive(receiver, client, clock, at);
		}
	};

	#arrive(receiver: SyncClient, client: number, clock: number, at: number): void {
		if (client === receiver.clientId) return; // the reference servers echo a write to its writer
		const byClock = this.pending.get(client);
		const record = byClock?.get(clock);
		if (!record) return;
		record.received += 1;
		this.arrivals += 1;
		if (record.measured) this.deliveries.push(at - record.sentAt);
		if (record.received >= record.expected) {
			if (record.measured) this.completions.push(at - record.sentAt);
			byClock!.delete(clock);
		}
		this.onArrival?.(client);
	}

	/** Writes still missing somewhere. */
	outstanding(): number {
		let count = 0;
		for (const byClock of this.pending.values()) for (const record of byClock.values()) if (record.measured) count++;
		return count;
	}

	reset(): void {
		this.deliveries = [];
		this.completions = [];
		for (const byClock of this.pending.values()) byClock.clear();
	}
}
