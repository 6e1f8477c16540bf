import { readFileSync } from 'node:fs';

/** Share of the file descriptor limit kept for HTTP, `/healthz`, the database and uploads. */
export const DESCRIPTOR_RESERVE_SHARE = 0.2;
/** Fewest descriptors kept for them, whatever the limit. */
export const DESCRIPTOR_RESERVE_MIN = 256;

const readLimits = new Map<string, number | null>();

/**
 * The process's soft limit on open files, from `/proc/self/limits` (Node raises it to the hard
 * limit at start-up); null where that file does not exist or says "unlimited". Read once per
 * file: the configuration is read on request paths, and the limit does not change.
 */
export function openFilesLimit(limits = '/proc/self/limits'): number | null {
	if (!readLimits.has(limits)) readLimits.set(limits, readOpenFilesLimit(limits));
	return readLimits.get(limits) ?? null;
}

function readOpenFilesLimit(limits: string): number | null {
	try {
		const line = readFileSync(limits, 'utf8')
			.split('\n')
			.find((row) => row.startsWith('Max open files'));
		const soft = Number(line?.slice('Max open files'.length).trim().split(/\s+/)[0]);
		return Number.isFinite(soft) && soft > 0 ? soft : null;
	} catch {
		return null;
	}
}

/** Sockets the process may hold: `preferred`, but never so many that the reserve is gone. */
export function socketsWithinLimit(preferred: number, limit: number | null): number {
	if (limit === null) return preferred;
	const reserve = Math.max(DESCRIPTOR_RESERVE_MIN, Math.ceil(limit * DESCRIPTOR_RESERVE_SHARE));
	return Math.max(1, Math.min(preferred, limit - reserve));
}
