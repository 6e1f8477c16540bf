/**
 * The one setup of the sync suites: a server (new, or one a suite shares), a board owner, more
 * accounts with their roles on a board, the board itself and clients connected to it. Everything
 * made here is torn down by `cleanup()` of ./helpers, like whatever the helpers make.
 */
import { addMember, connectClient, createBoard, newServer, signUp, type Account, type Client, type TestServer } from './helpers';

export type MemberRole = 'owner' | 'editor' | 'commenter' | 'viewer';

/**
 * An account of the setup: its role on the board (signed up under its key, capitalised), or the
 * role with a name to sign up under or an existing account. A null role signs it up without
 * adding it to the board (an outsider).
 */
export type MemberSpec = MemberRole | null | { role: MemberRole | null; name?: string; account?: Account };

/** What `createBoard` takes: a title, and a template or a journey. */
export interface BoardInput {
	title?: string;
	template?: string;
	journey?: unknown;
}

export interface SetupOptions<M extends Record<string, MemberSpec>> {
	/** A server the suite already runs; by default a new one is started with `env`. */
	server?: TestServer;
	env?: Record<string, string>;
	/** The board's owner: a name to sign up under (default 'Owner'), or an existing account. */
	owner?: string | Account;
	/** The other accounts, by the key they are returned under. */
	members?: M;
	/** The board; createBoard's default board when left out, none when false. */
	board?: BoardInput | false;
	/** Who connects a client to the board, in order ('owner' or a member's key). */
	clients?: readonly ('owner' | keyof M)[];
	/** Whether to wait for every client's first sync (default true). */
	synced?: boolean;
}

/** The server and the accounts of a setup. */
export interface AccountsSetup<M extends Record<string, MemberSpec>> {
	server: TestServer;
	owner: Account;
	members: { [K in keyof M]: Account };
}

/** A setup with its board and connected clients. */
export interface BoardSetup<M extends Record<string, MemberSpec>> extends AccountsSetup<M> {
	boardId: string;
	/** The clients of `options.clients`, in that order. */
	clients: Client[];
}

/**
 * Starts (or reuses) a server, signs up the owner and the members, creates the board, adds the
 * members with their roles and connects the clients, e.g.
 * `const { server, owner, members, boardId, clients: [alice, bob] } = await setupBoard({ members: { editor: 'editor' }, clients: ['owner', 'editor'] })`.
 */
export async function setupBoard<M extends Record<string, MemberSpec> = Record<never, never>>(
	options: SetupOptions<M> & { board: false }
): Promise<AccountsSetup<M>>;
export async function setupBoard<M extends Record<string, MemberSpec> = Record<never, never>>(
	options?: SetupOptions<M>
): Promise<BoardSetup<M>>;
export async function setupBoard<M extends Record<string, MemberSpec>>(
	options: SetupOptions<M> = {}
): Promise<AccountsSetup<M> | BoardSetup<M>> {
	const server = options.server ?? (await newServer(options.env));
	const owner = typeof options.owner === 'object' ? options.owner : await signUp(server, options.owner ?? 'Owner');
	const specs = Object.entries(options.members ?? {}).map(([key, spec]) => ({ key, ...normalise(key, spec as MemberSpec) }));
	const members: Record<string, Account> = {};
	for (const spec of specs) members[spec.key] = spec.account ?? (await signUp(server, spec.name));
	const accounts = { server, owner, members: members as { [K in keyof M]: Account } };
	if (options.board === false) return accounts;

	const boardId = await createBoard(server, owner, options.board);
	for (const { key, role } of specs) if (role) await addMember(server, owner, boardId, members[key], role);
	const clients = (options.clients ?? []).map((who) =>
		connectClient(server, (who === 'owner' ? owner : members[who as string]).cookie, boardId)
	);
	if (options.synced ?? true) await Promise.all(clients.map((client) => client.synced));
	return { ...accounts, boardId, clients };
}

/** The suites' usual pair: Alice owns the board, Bob edits it, and both are connected (in that order). */
export const ALICE_AND_BOB = {
	owner: 'Alice',
	members: { editor: { role: 'editor', name: 'Bob' } },
	clients: ['owner', 'editor']
} as const satisfies SetupOptions<{ editor: MemberSpec }>;

function normalise(key: string, spec: MemberSpec): { role: MemberRole | null; name: string; account?: Account } {
	const defaultName = key.charAt(0).toUpperCase() + key.slice(1);
	if (spec === null || typeof spec === 'string') return { role: spec, name: defaultName };
	return { role: spec.role, name: spec.name ?? defaultName, account: spec.account };
}
