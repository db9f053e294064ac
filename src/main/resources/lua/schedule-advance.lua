-- Moves a schedule past the tick just handled, only if its next tick is still that one (compare and set): of the
-- replicas handling one tick, the first moves it on and records the run; the others change nothing.
-- KEYS[1] due (sorted set: name scored by next tick, ms)   KEYS[2] last runs (hash: name -> JSON)
-- KEYS[3] last fired jobs (hash: name -> job id)
-- ARGV[1] name   ARGV[2] the tick handled (ms)   ARGV[3] next tick (ms; '' = it never fires again)
-- ARGV[4] the run to record (JSON; '' = none: the schedule only moves to a catch-up tick)
-- ARGV[5] id of the job fired ('' = none was)
-- Returns 1 when this call moved the schedule on, 0 when it had moved already (or was paused, replaced or deleted).
local due, name = KEYS[1], ARGV[1]
local current = redis.call('ZSCORE', due, name)
if not current or tonumber(current) ~= tonumber(ARGV[2]) then
  return 0
end
if ARGV[3] == '' then
  redis.call('ZREM', due, name)
else
  redis.call('ZADD', due, tonumber(ARGV[3]), name)
end
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[2], name, ARGV[4])
end
if ARGV[5] ~= '' then
  redis.call('HSET', KEYS[3], name, ARGV[5])
end
return 1
