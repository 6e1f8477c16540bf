import type { DelayLimit, DelayOp, PaceLimit, PaceTurn, WindowLimit, WindowOp } from './local-counters';

/**
 * Counters every process of a deployment shares (Redis), with the meaning of `local-counters.ts`.
 * `name` is the limiter's: limiters of the same name in different processes count together.
 * An operation that rejects was not counted; the limiter then counts it in its process.
 */
export interface SharedCounters {
	/** False while the counters cannot be reached: limiters count locally without asking. */
	readonly available: boolean;
	window(name: string, key: string, op: WindowOp, limit: WindowLimit, now: number): Promise<number>;
	delay(name: string, key: string, op: DelayOp, limit: DelayLimit, now: number): Promise<number>;
	pace(name: string, key: string, limit: PaceLimit, now: number): Promise<PaceTurn>;
	/** Resolves once the counters can be reached. */
	ready(): Promise<void>;
	/** Told when an operation rejected (it was counted locally instead). */
	failed(error: unknown): void;
	close(): Promise<void>;
}
