/**
 * A CPU quota for one process, so a 2-core machine can compare one process with two: each is held
 * to the same share of a core by a cgroup of its own (the CFS bandwidth controller), made under
 * the cpu hierarchy, given the process and removed after. Needs root. cgroup v1
 * (`/sys/fs/cgroup/cpu/<name>/cpu.cfs_quota_us`) or v2 (`/sys/fs/cgroup/<name>/cpu.max`, with the cpu
 * controller enabled for the root's children). A group left by a run that was killed is removed
 * by the next.
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The period the quota is a share of (the kernel's default), in microseconds. */
const PERIOD_US = 100_000;
const V1_ROOT = '/sys/fs/cgroup/cpu';
const V2_ROOT = '/sys/fs/cgroup';
const PREFIX = 'journey-bench-';

export interface CpuQuota {
	readonly path: string;
	/** Times the group ran out of its quota, and how long it waited in all (seconds). */
	throttling(): { periods: number; throttled: number; throttledSeconds: number };
	/** Removes the group (its process must have exited, or it is moved back to the root first). */
	remove(): void;
}

type Layout = { version: 1; root: string } | { version: 2; root: string };

function layout(): Layout | null {
	if (existsSync(join(V1_ROOT, 'cpu.cfs_quota_us'))) return { version: 1, root: V1_ROOT };
	if (existsSync(join(V2_ROOT, 'cgroup.controllers')) && /\bcpu\b/.test(readFileSync(join(V2_ROOT, 'cgroup.subtree_control'), 'utf8')))
		return { version: 2, root: V2_ROOT };
	return null;
}

/** Why CPU quotas cannot be set here, or null when they can. */
export function cpuQuotaUnavailable(): string | null {
	if (process.getuid?.() !== 0) return 'setting a CPU quota needs root (a cgroup under /sys/fs/cgroup)';
	if (!layout()) return 'no cgroup cpu controller: neither /sys/fs/cgroup/cpu (v1) nor cpu in /sys/fs/cgroup/cgroup.subtree_control (v2)';
	return null;
}

const made = new Set<CpuQuota>();
process.once('exit', () => {
	for (const quota of made) quota.remove();
});

function moveOut(where: Layout, path: string): void {
	const procs = join(path, 'cgroup.procs');
	if (!existsSync(procs)) return;
	for (const pid of readFileSync(procs, 'utf8').split('\n').filter(Boolean)) {
		try {
			writeFileSync(join(where.root, 'cgroup.procs'), pid);
		} catch {
			// exited meanwhile
		}
	}
}

function removeGroup(where: Layout, path: string): void {
	if (!existsSync(path)) return;
	moveOut(where, path);
	try {
		rmdirSync(path);
	} catch {
		// still busy for a moment after its process exited: the next run removes it
	}
}

/** Removes the groups earlier runs left behind (a run killed before its exit handler). */
export function removeStaleQuotas(): void {
	const where = layout();
	if (!where) return;
	for (const name of readdirSync(where.root)) {
		if (!name.startsWith(PREFIX)) continue;
		const owner = Number(name.slice(PREFIX.length).split('-')[0]);
		if (owner === process.pid || existsSync(`/proc/${owner}`)) continue;
		removeGroup(where, join(where.root, name));
	}
}

/** Holds process `pid` (all its threads) to `cores` of CPU time, e.g. 0.4 = 40 ms per 100 ms. */
export function limitCpu(pid: number, cores: number, name: string): CpuQuota {
	const where = layout();
	if (!where) throw new Error(cpuQuotaUnavailable() ?? 'no cgroup cpu controller');
	if (!(cores > 0)) throw new Error(`a CPU quota must be above 0 cores, not ${cores}`);
	const path = join(where.root, `${PREFIX}${process.pid}-${name}`);
	mkdirSync(path, { recursive: true });
	const quotaUs = Math.round(cores * PERIOD_US);
	if (where.version === 1) {
		writeFileSync(join(path, 'cpu.cfs_period_us'), String(PERIOD_US));
		writeFileSync(join(path, 'cpu.cfs_quota_us'), String(quotaUs));
	} else {
		writeFileSync(join(path, 'cpu.max'), `${quotaUs} ${PERIOD_US}`);
	}
	writeFileSync(join(path, 'cgroup.procs'), String(pid));
	if (!readFileSync(join(path, 'cgroup.procs'), 'utf8').split('\n').includes(String(pid))) {
		removeGroup(where, path);
		throw new Error(`process ${pid} did not join ${path}`);
	}
	const quota: CpuQuota = {
		path,
		throttling() {
			const stat = Object.fromEntries(
				readFileSync(join(path, 'cpu.stat'), 'utf8')
					.split('\n')
					.filter(Boolean)
					.map((line) => {
						const [key, value] = line.split(' ');
						return [key, Number(value)];
					})
			);
			return {
				periods: stat.nr_periods ?? 0,
				throttled: stat.nr_throttled ?? 0,
				// v1: throttled_time in ns; v2: throttled_usec
				throttledSeconds: stat.throttled_time !== undefined ? stat.throttled_time / 1e9 : (stat.throttled_usec ?? 0) / 1e6
			};
		},
		remove() {
			made.delete(quota);
			removeGroup(where, path);
		}
	};
	made.add(quota);
	return quota;
}
