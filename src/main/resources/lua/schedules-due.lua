-- The schedules whose tick is due, with what firing them needs, and when the next one falls due.
-- KEYS[1] definitions (hash)   KEYS[2] due (sorted set: name scored by next tick, ms)   KEYS[3] last fired jobs (hash)
-- ARGV[1] now (ms)   ARGV[2] most schedules returned
-- Returns {next, name1, tick1, definition1, lastJob1, ...}: next is the earliest tick after now (ms), -1 when none
-- (or when more than ARGV[2] are due: the caller comes back at once); lastJob is '' when none was fired.
local defs, due, jobs = KEYS[1], KEYS[2], KEYS[3]
local now, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local out = { -1 }
local entries = redis.call('ZRANGEBYSCORE', due, '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit)
for i = 1, #entries, 2 do
  local name = entries[i]
  local definition = redis.call('HGET', defs, name)
  if definition then
    out[#out + 1] = name
    out[#out + 1] = entries[i + 1]
    out[#out + 1] = definition
    out[#out + 1] = redis.call('HGET', jobs, name) or ''
  else
    -- left behind by a delete that raced a tick: nothing to fire
    redis.call('ZREM', due, name)
  end
end
if #entries < 2 * limit then
  local later = redis.call('ZRANGEBYSCORE', due, '(' .. now, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  if #later > 0 then out[1] = tonumber(later[2]) end
end
return out
