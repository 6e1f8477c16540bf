import type { WebsocketProvider } from 'y-websocket';

/** Longest wait between a board's reconnect attempts. */
export const MAX_RECONNECT_BACKOFF_MS = 5_000;

/** The provider's backoff base: it waits min(100 ms · 2^attempts, maxBackoffTime). */
const BACKOFF_BASE_MS = 100;

/**
 * Gives a provider's reconnects full jitter. Without it, every browser that lost the server at the
 * same moment (a restart) retries at the same moments, and the server meets them all at once.
 *
 * The provider emits `connection-close` and only then computes its delay as
 * min(100 ms · 2^attempts, maxBackoffTime), counting this close as one more attempt. Setting
 * `maxBackoffTime` to a random point below that bound makes the delay uniform in [0, bound]
 * while the bound still grows exponentially up to `capMs`.
 */
export function jitterReconnects(provider: WebsocketProvider, capMs: number, random: () => number = Math.random): void {
	provider.on('connection-close', () => {
		const bound = Math.min(capMs, BACKOFF_BASE_MS * 2 ** (provider.wsUnsuccessfulReconnects + 1));
		provider.maxBackoffTime = Math.round(random() * bound);
	});
}
