-- Re-run (by hand, not an automatic retry) a failed or cancelled job by hand: it goes back to the ready set with a fresh set of attempts.
-- KEYS[1] job key   KEYS[2] failed   KEYS[3] cancelled   KEYS[4] ready   KEYS[5] seq   KEYS[6] marker
-- KEYS[7] recent failures   KEYS[8] events   KEYS[9] events listening
-- ARGV[1] ulid
-- Returns 'queued', or the status of a job that cannot be re-run, or 'missing'.
--- @include "includes/readyScore"
--- @include "includes/redisNow"
--- @include "includes/emit"
EVENTS_STREAM, EVENTS_LISTENING = KEYS[8], KEYS[9]
local ulid, now = ARGV[1], redisNow()
local f = redis.call('HMGET', KEYS[1], 'status', 'priority')
if not f[1] then
  return 'missing'
end
if f[1] ~= 'failed' and f[1] ~= 'cancelled' then
  return f[1]
end
redis.call('ZREM', KEYS[2], ulid)
redis.call('ZREM', KEYS[3], ulid)
redis.call('LREM', KEYS[7], 0, ulid)
redis.call('PERSIST', KEYS[1])
redis.call('HDEL', KEYS[1], 'finishedAt', 'startedAt', 'result', 'cancel', 'token', 'progress')
redis.call('HSET', KEYS[1], 'status', 'queued', 'attempts', 0, 'runAt', now, 'readyAt', now)
local seq = redis.call('INCR', KEYS[5])
redis.call('ZADD', KEYS[4], readyScore(tonumber(f[2]), seq), ulid)
redis.call('ZADD', KEYS[6], 0, '0')
emit(ulid, 'queued', 0)
return 'queued'
