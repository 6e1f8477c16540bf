/** The policy header SvelteKit sets on pages (from `kit.csp` in svelte.config.js). */
export const CSP_HEADER = 'content-security-policy';

/**
 * The page policy with the sync socket's URL (`ws:`/`wss:` of the public origin) added to
 * `connect-src`: the origin is known only at run time, the policy is written at build time, and
 * not every browser lets `'self'` cover WebSocket URLs.
 */
export function withSyncOrigin(policy: string, origin: string): string {
	const socketOrigin = origin.replace(/^http/, 'ws');
	return policy.replace(
		/(^|;\s*)connect-src ([^;]*)/,
		(_match, start: string, sources: string) => `${start}connect-src ${sources} ${socketOrigin}`
	);
}
