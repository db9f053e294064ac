-- Pauses a schedule (no tick fires) or resumes it from its next tick.
-- KEYS[1] definitions (hash)   KEYS[2] due (sorted set)   KEYS[3] paused (set)
-- ARGV[1] name   ARGV[2] '1' pause, '0' resume   ARGV[3] next tick when resumed (ms; '' = it never fires)
-- Returns 0 when there is no such schedule, else 1.
local defs, due, paused, name = KEYS[1], KEYS[2], KEYS[3], ARGV[1]
if redis.call('HEXISTS', defs, name) == 0 then
  return 0
end
if ARGV[2] == '1' then
  redis.call('SADD', paused, name)
  redis.call('ZREM', due, name)
elseif redis.call('SREM', paused, name) == 1 and ARGV[3] ~= '' then
  redis.call('ZADD', due, tonumber(ARGV[3]), name)
end
return 1
