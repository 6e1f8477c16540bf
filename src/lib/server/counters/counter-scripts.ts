/**
 * The Lua scripts that run the rate limits' counters in Redis, one atomic step each: the same
 * arithmetic as `local-counters.ts`, on one hash per key. Times come from the caller (`now`, in
 * ms) so every process measures the same windows; each key carries a TTL that ends when the key
 * would be forgotten anyway, so nothing grows forever.
 *
 * Numbers go in and out as decimal strings: Lua's doubles hold millisecond timestamps exactly,
 * and `%.17g` keeps a paced rate's fractional turns without loss.
 */

/** What a counter script is made of; `counterScript` puts its shared preamble before `body`. */
interface CounterScript {
	/** Whether ARGV[1] is an op, 'reset' deleting the key (the numbers follow it). */
	ops: boolean;
	/** The Lua names of the numeric arguments, in ARGV order. */
	numbers: string[];
	/** The hash fields read into `stored`, in order (`stored[1]` is nil for a new key). */
	fields: string[];
	body: string;
}

/**
 * One script over one counter key (`KEYS[1]`): the op and its 'reset', the numbers as locals, the
 * stored fields in `stored`, and `save(ttlMs, field, value, …)`, the only write, which sets the
 * fields and a TTL of at least 1 ms so that no key outlives its use.
 */
function counterScript({ ops, numbers, fields, body }: CounterScript): string {
	const first = ops ? 2 : 1;
	return [
		'local key = KEYS[1]',
		'local function save(ttlMs, ...)',
		"\tredis.call('HSET', key, ...)",
		"\tredis.call('PEXPIRE', key, math.max(1, ttlMs))",
		'end',
		...(ops ? ['local op = ARGV[1]', "if op == 'reset' then", "\tredis.call('DEL', key)", '\treturn 0', 'end'] : []),
		...numbers.map((name, index) => `local ${name} = tonumber(ARGV[${first + index}])`),
		`local stored = redis.call('HMGET', key, ${fields.map((field) => `'${field}'`).join(', ')})`,
		body.trim(),
		''
	].join('\n');
}

/** KEYS[1]: the key's hash {n: failures, r: resetAt}; ARGV: op, max, windowMs, now. Returns the ms the key stays blocked. */
export const WINDOW_SCRIPT = counterScript({
	ops: true,
	numbers: ['max', 'window', 'now'],
	fields: ['n', 'r'],
	body: `
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
save(resetAt - now, 'n', string.format('%d', failures), 'r', string.format('%d', resetAt))
if op == 'take' then return 0 end
return blocked
`
});

/**
 * KEYS[1]: the key's hash {n: failures, b: blockedUntil, l: lastAt}; ARGV: op, budget,
 * firstDelayMs, maxDelayMs, forgetAfterMs, now. Returns the ms the key must still wait.
 */
export const DELAY_SCRIPT = counterScript({
	ops: true,
	numbers: ['budget', 'first', 'cap', 'forget', 'now'],
	fields: ['n', 'b', 'l'],
	body: `
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
	save(math.max(lastAt, blockedUntil) + forget - now,
		'n', string.format('%d', failures), 'b', string.format('%d', blockedUntil), 'l', string.format('%d', lastAt))
end
return math.max(0, blockedUntil - now)
`
});

/**
 * KEYS[1]: the key's hash {t: turns, a: at}; ARGV: msPerTurn, burst, maxWaitMs, now. Returns
 * {1, waitMs} for a turn taken, {0, retryAfterMs} for one refused (and not taken).
 */
export const PACE_SCRIPT = counterScript({
	ops: false,
	numbers: ['msPerTurn', 'burst', 'maxWait', 'now'],
	fields: ['t', 'a'],
	body: `
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
save(math.ceil((burst - turns) * msPerTurn), 't', string.format('%.17g', turns), 'a', string.format('%d', math.max(now, tonumber(stored[2] or now))))
return {1, wait}
`
});
