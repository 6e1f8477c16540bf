/**
 * The Lua scripts behind the socket budgets shared through Redis (`socket-leases.ts`). Each budget
 * (a board, an address, a person, a person on a board) is a sorted set whose members are open
 * sockets, `<processId>:<socket number>`, scored by the time their lease ends. A process renews
 * its own sockets' leases while they are open; a process that dies stops renewing, and its sockets
 * leave every count once their leases end.
 *
 * Times are Redis's own clock (`TIME`), so processes whose clocks differ still agree on which
 * leases have ended. Every key's TTL is at least one lease: a budget nobody renews disappears by itself.
 */

/** Redis's clock in ms: TIME answers seconds and microseconds. */
const NOW = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
-- A key lives as long as its longest lease (processes may be set to different leases).
local function keep(key, lease)
	if redis.call('PTTL', key) < lease then redis.call('PEXPIRE', key, lease) end
end
`;

/**
 * KEYS: the budgets, in the order they are checked; ARGV: member, leaseMs, then each budget's
 * limit. Drops ended leases, and refuses at the first budget that is full: returns its place in
 * KEYS (1-based). Otherwise adds the member to every budget and returns 0.
 */
export const TAKE_LEASE_SCRIPT = `${NOW}
local member = ARGV[1]
local lease = tonumber(ARGV[2])
for i = 1, #KEYS do
	redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
	if redis.call('ZCARD', KEYS[i]) >= tonumber(ARGV[2 + i]) then return i end
end
for i = 1, #KEYS do
	redis.call('ZADD', KEYS[i], now + lease, member)
	keep(KEYS[i], lease)
end
return 0
`;

/**
 * KEYS: budgets; ARGV: leaseMs, then for each key the member to renew in it. Sets each member's
 * lease to end one lease from now, adding it back when Redis lost it (restarted, or the socket was
 * admitted while Redis was away): every open socket counts again. Returns the number of keys.
 */
export const RENEW_LEASES_SCRIPT = `${NOW}
local lease = tonumber(ARGV[1])
for i = 1, #KEYS do
	redis.call('ZADD', KEYS[i], now + lease, ARGV[1 + i])
	keep(KEYS[i], lease)
end
return #KEYS
`;
