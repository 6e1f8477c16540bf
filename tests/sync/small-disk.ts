/**
 * A real full disk for the storage suite: a small tmpfs mounted over a test server's DATA_DIR
 * (which needs root; `canMount()` says whether this machine allows it), filled with a filler file
 * and emptied again.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, open, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Name of the file that takes up the disk's free space. */
const FILLER = 'filler.bin';
/** Chunk written while filling the last bytes, until the disk refuses. */
const FILL_CHUNK_BYTES = 4096;

/** Whether a tmpfs can be mounted here (root in a sandbox that allows it). */
export async function canMount(): Promise<boolean> {
	const probe = await mkdtemp(join(tmpdir(), 'journey-mount-probe-'));
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
		execFileSync('umount', [probe], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	} finally {
		await rm(probe, { recursive: true, force: true });
	}
}

/** Mounts a tmpfs of `sizeMb` over `dir`, keeping what `dir` holds (the server must be stopped). */
export async function mountSmallDisk(dir: string, sizeMb: number): Promise<void> {
	const kept = await mkdtemp(join(tmpdir(), 'journey-disk-copy-'));
	await cp(dir, kept, { recursive: true });
	execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir]);
	await cp(kept, dir, { recursive: true });
	await rm(kept, { recursive: true, force: true });
}

/** Unmounts the tmpfs over `dir` (the server must be stopped). */
export function unmountSmallDisk(dir: string): void {
	execFileSync('umount', ['-l', dir]);
}

/** Fills the disk of `dir` until at most `leaveBytes` are free. */
export async function fillDisk(dir: string, leaveBytes = 0): Promise<void> {
	const file = await open(join(dir, FILLER), 'a');
	try {
		const { bavail, bsize } = await statfs(dir);
		const bulk = Math.max(0, bavail * bsize - leaveBytes - FILL_CHUNK_BYTES);
		if (bulk > 0) await file.write(Buffer.alloc(bulk));
		if (leaveBytes > 0) return;
		for (;;) await file.write(Buffer.alloc(FILL_CHUNK_BYTES));
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
	} finally {
		await file.close();
	}
}

/** Frees the space `fillDisk` took. */
export async function emptyDisk(dir: string): Promise<void> {
	await rm(join(dir, FILLER), { force: true });
}
