-- Creates or replaces a schedule's definition and sets its next tick (unless it is paused).
-- KEYS[1] definitions (hash: name -> JSON)   KEYS[2] due (sorted set: name scored by its next tick, ms)
-- KEYS[3] paused (set of names)
-- ARGV[1] name   ARGV[2] definition JSON   ARGV[3] next tick (ms; '' = it never fires)
-- ARGV[4] 'create' (refused when the name exists) or 'replace'   ARGV[5] most schedules
-- Returns 1 created, 2 replaced, -1 the name exists (create), -2 there are ARGV[5] schedules already (nothing written).
local defs, due, paused, name = KEYS[1], KEYS[2], KEYS[3], ARGV[1]
local exists = redis.call('HEXISTS', defs, name) == 1
if exists and ARGV[4] == 'create' then
  return -1
end
if not exists and redis.call('HLEN', defs) >= tonumber(ARGV[5]) then
  return -2
end
redis.call('HSET', defs, name, ARGV[2])
if ARGV[3] == '' then
  redis.call('ZREM', due, name)
elseif redis.call('SISMEMBER', paused, name) == 0 then
  redis.call('ZADD', due, tonumber(ARGV[3]), name)
end
return exists and 2 or 1
