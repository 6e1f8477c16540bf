/**
 * Shared pieces of the cluster suite: a cluster (./../support/cluster.ts) with a board whose owner
 * signed up on the first process and whose members joined through the second, and waiting for
 * clients to converge.
 */
import { startCluster, type Cluster, type ClusterOptions } from '../support/cluster';
import type { ProductProcess } from '../support/product-process';
import { fingerprint } from '../sync/battery-helpers';
import { addMember, createBoard, signUp, waitFor, type Account, type Client } from '../sync/helpers';

export type Role = 'owner' | 'editor' | 'commenter' | 'viewer';

export interface ClusterBoard<K extends string> {
	cluster: Cluster;
	/** The first and second process. */
	a: ProductProcess;
	b: ProductProcess;
	owner: Account;
	members: Record<K, Account>;
	boardId: string;
}

/**
 * Starts a cluster, signs the owner up on process `a` and creates the board there, signs the
 * members up and adds them through process `b`: every account and membership is made on one
 * process and used on the other.
 */
export async function clusterBoard<K extends string = never>(
	options: ClusterOptions & { members?: Record<K, Role>; title?: string } = {}
): Promise<ClusterBoard<K>> {
	const cluster = await startCluster(options);
	const [a, b] = cluster.processes;
	const owner = await signUp(a, 'Owner');
	const boardId = await createBoard(a, owner, { title: options.title ?? 'Cluster board', template: 'blank' });
	const members = {} as Record<K, Account>;
	for (const [key, role] of Object.entries(options.members ?? {}) as [K, Role][]) {
		members[key] = await signUp(b, key);
		await addMember(b, owner, boardId, members[key], role);
	}
	return { cluster, a, b, owner, members, boardId };
}

/** Waits until every client is synced and all hold the same document; resolves with its fingerprint. */
export async function converged(clients: Client[], what = 'the clients to converge', timeoutMs?: number): Promise<string> {
	return waitFor(
		() => {
			if (!clients.every((client) => client.provider.synced)) return null;
			const prints = clients.map((client) => fingerprint(client.doc));
			return prints.every((print) => print === prints[0]) ? prints[0] : null;
		},
		what,
		timeoutMs
	);
}
