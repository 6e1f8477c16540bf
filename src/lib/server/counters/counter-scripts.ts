/**
 * The Lua scripts that run the rate limits' counters in Redis, one atomic step each: the same
 * arithmetic as `local-counters.ts`, on one hash per key. Times come from the caller (`now`, in
 * ms) so every process measures the same windows; each key carries a TTL that ends when the key
 * would be forgotten anyway, so nothing grows forever.
 *
 * Numbers go in and out as decimal strings: Lua's doubles hold millisecond timestamps exactly,
 * and `%.17g` keeps a paced rate's fractional turns without loss.
 */

/** KEYS[1]: the key's hash {n: failures, r: resetAt}; ARGV: op, max, windowMs, now. Returns the ms the key stays blocked. */
export const WINDOW_SCRIPT = `
local op = ARGV[1]
if op == 'reset' then
	redis.call('DEL', KEYS[1])
	return 0
end
local max = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local stored = redis.call('HMGET', KEYS[1], 'n', 'r')
local failures = 0
local resetAt = 0
if stored[1] then
	failures = tonumber(stored[1])
	resetAt = tonumber(stored[2])
	if now >= resetAt then failures = 0 end
end
local blocked = 0
if failures > 0 and failures >= max then blocked = resetAt - now end
if op == 'check' or (op == 'take' and blocked > 0) then return blocked end
if failures == 0 then
	failures = 1
	resetAt = now + window
else
	failures = failures + 1
end
redis.call('HSET', KEYS[1], 'n', string.format('%d', failures), 'r', string.format('%d', resetAt))
redis.call('PEXPIRE', KEYS[1], math.max(1, resetAt - now))
if op == 'take' then return 0 end
return blocked
`;

/**
 * KEYS[1]: the key's hash {n: failures, b: blockedUntil, l: lastAt}; ARGV: op, budget,
 * firstDelayMs, maxDelayMs, forgetAfterMs, now. Returns the ms the key must still wait.
 */
export const DELAY_SCRIPT = `
local op = ARGV[1]
if op == 'reset' then
	redis.call('DEL', KEYS[1])
	return 0
end
local budget = tonumber(ARGV[2])
local first = tonumber(ARGV[3])
local cap = tonumber(ARGV[4])
local forget = tonumber(ARGV[5])
local now = tonumber(ARGV[6])
local stored = redis.call('HMGET', KEYS[1], 'n', 'b', 'l')
local failures = 0
local blockedUntil = 0
local lastAt = now
if stored[1] then
	failures = tonumber(stored[1])
	blockedUntil = tonumber(stored[2])
	lastAt = tonumber(stored[3])
	if now >= math.max(lastAt, blockedUntil) + forget then
		failures = 0
		blockedUntil = 0
		lastAt = now
	end
end
if op == 'fail' then
	failures = failures + 1
	lastAt = now
	local excess = failures - budget
	if excess >= 0 then blockedUntil = now + math.min(cap, first * 2 ^ math.min(excess, 30)) end
	redis.call('HSET', KEYS[1], 'n', string.format('%d', failures), 'b', string.format('%d', blockedUntil), 'l', string.format('%d', lastAt))
	redis.call('PEXPIRE', KEYS[1], math.max(1, math.max(lastAt, blockedUntil) + forget - now))
end
return math.max(0, blockedUntil - now)
`;

/**
 * KEYS[1]: the key's hash {t: turns, a: at}; ARGV: msPerTurn, burst, maxWaitMs, now. Returns
 * {1, waitMs} for a turn taken, {0, retryAfterMs} for one refused (and not taken).
 */
export const PACE_SCRIPT = `
local msPerTurn = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local stored = redis.call('HMGET', KEYS[1], 't', 'a')
local turns = burst
if stored[1] then
	-- Another process's clock may run a little ahead: time never runs backwards for a key.
	local elapsed = math.max(0, now - tonumber(stored[2]))
	turns = math.min(burst, tonumber(stored[1]) + elapsed / msPerTurn)
end
local wait = 0
if turns < 1 then wait = math.ceil((1 - turns) * msPerTurn) end
if wait > maxWait then return {0, wait} end
turns = turns - 1
redis.call('HSET', KEYS[1], 't', string.format('%.17g', turns), 'a', string.format('%d', math.max(now, tonumber(stored[2] or now))))
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((burst - turns) * msPerTurn)))
return {1, wait}
`;
