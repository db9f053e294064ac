-- Re-run (by hand, not an automatic retry) a failed or cancelled job by hand: it goes back to the ready set with a fresh set of attempts.
-- KEYS[1] job key   KEYS[2] failed   KEYS[3] cancelled   KEYS[4] ready   KEYS[5] seq   KEYS[6] marker
-- KEYS[7] events   KEYS[8] events listening   KEYS[9] job key prefix
-- ARGV[1] ulid
-- Returns 'queued', or the status of a job that cannot be re-run, or 'missing'.
--- @include "includes/redisNow"
--- @include "includes/rerunJob"
EVENTS_STREAM, EVENTS_LISTENING = KEYS[7], KEYS[8]
local ulid, now = ARGV[1], redisNow()
local f = redis.call('HMGET', KEYS[1], 'status', 'priority', 'unique')
if not f[1] then
  return 'missing'
end
if f[1] ~= 'failed' and f[1] ~= 'cancelled' then
  return f[1]
end
rerunJob(KEYS[9], ulid, f, { failed = KEYS[2], cancelled = KEYS[3], ready = KEYS[4], seq = KEYS[5] }, now)
redis.call('ZADD', KEYS[6], 0, '0')
return 'queued'
