/** Who a socket belongs to, as its session proved. */
export interface PresenceIdentity {
	userId: string;
	userName: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A presence state as relayed: its `user.id` and `user.name` are the socket's account, whatever the
 * client wrote, so nobody appears to others under another person's name. A state without a `user`
 * claims nobody and passes unchanged, as do the rest of its fields (cursor, selection, colour).
 */
export function stampIdentity(state: unknown, identity: PresenceIdentity): unknown {
	if (!isRecord(state) || !('user' in state)) return state;
	const user = isRecord(state.user) ? state.user : {};
	if (user.id === identity.userId && user.name === identity.userName) return state;
	return { ...state, user: { ...user, id: identity.userId, name: identity.userName } };
}
