import type { WebsocketProvider } from 'y-websocket';

/** The sync server's close code when it cannot store edits now (`storageUnavailable` in server/close-codes.ts). */
export const STORAGE_UNAVAILABLE_CLOSE = 4503;
/** Upper bound of the first wait after the server could not store. */
export const STORAGE_RETRY_FIRST_MS = 2_000;
/** Upper bound of the wait once it stops growing. */
export const STORAGE_RETRY_MAX_MS = 60_000;
/** How long a connection must stay synced after storage trouble before the trouble counts as over. */
export const STORAGE_RECOVERED_AFTER_MS = 5_000;

/** The provider's backoff base: it waits min(100 ms · 2^attempts, maxBackoffTime). */
const PROVIDER_BACKOFF_BASE_MS = 100;

/**
 * The wait before the next attempt after `failures` storage closes in a row: a bound doubling from
 * `STORAGE_RETRY_FIRST_MS` up to `STORAGE_RETRY_MAX_MS`, and a uniform draw in its upper half, so
 * the wait always grows and clients that failed together do not come back together.
 */
export function storageRetryDelay(failures: number, random: () => number = Math.random): number {
	const bound = Math.min(STORAGE_RETRY_MAX_MS, STORAGE_RETRY_FIRST_MS * 2 ** Math.max(0, failures - 1));
	return Math.round(bound / 2 + (random() * bound) / 2);
}

/**
 * Backs a provider off while the server cannot store (close code 4503). The stock provider resets
 * its backoff whenever a connection syncs, and such a connection syncs before the server fails to
 * store the edits it then receives, so without this every client would retry about five times a
 * second. Storage closes are counted here instead, and the count is cleared only once a
 * connection has stayed synced for `STORAGE_RECOVERED_AFTER_MS`. Register it after
 * `jitterReconnects`, whose delay it replaces on storage closes. `onTrouble` hears when the
 * trouble starts (true) and ends (false).
 */
export function backOffOnStorageTrouble(
	provider: WebsocketProvider,
	onTrouble: (troubled: boolean) => void,
	random: () => number = Math.random
): void {
	let failures = 0;
	let recovery: ReturnType<typeof setTimeout> | undefined;
	provider.on('connection-close', (event) => {
		clearTimeout(recovery);
		if (event?.code !== STORAGE_UNAVAILABLE_CLOSE) return;
		failures += 1;
		const delay = storageRetryDelay(failures, random);
		provider.maxBackoffTime = delay;
		// The provider counts this close, then waits min(100 ms · 2^attempts, maxBackoffTime): make
		// the exponential term at least the delay, so the delay is what it waits.
		const attempts = Math.ceil(Math.log2(Math.max(1, delay / PROVIDER_BACKOFF_BASE_MS)));
		provider.wsUnsuccessfulReconnects = Math.max(provider.wsUnsuccessfulReconnects, attempts);
		if (failures === 1) onTrouble(true);
	});
	provider.on('sync', (synced: boolean) => {
		if (!synced || failures === 0) return;
		clearTimeout(recovery);
		recovery = setTimeout(() => {
			failures = 0;
			onTrouble(false);
		}, STORAGE_RECOVERED_AFTER_MS);
	});
}
