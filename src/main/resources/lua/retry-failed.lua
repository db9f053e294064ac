-- Re-runs by hand a chunk of a queue's failed jobs (POST /queues/{name}/retry-failed), the oldest failures first,
-- each as rerun.lua does. Called again and again with the cutoff of the first call: only jobs that failed at or
-- before it are taken, so jobs failing meanwhile are not, and the calls end.
-- KEYS[1] job key prefix   KEYS[2] failed   KEYS[3] cancelled   KEYS[4] ready   KEYS[5] seq   KEYS[6] marker
-- KEYS[7] events   KEYS[8] events listening
-- ARGV[1] most jobs in this call   ARGV[2] cutoff (ms, Redis' clock; '' = now, on the first call)
-- Returns {re-run, examined, cutoff}: examined < ARGV[1] when no failed job up to the cutoff is left.
--- @include "includes/redisNow"
--- @include "includes/rerunJob"
EVENTS_STREAM, EVENTS_LISTENING = KEYS[7], KEYS[8]
local prefix, most = KEYS[1], tonumber(ARGV[1])
local now = redisNow()
local cutoff = ARGV[2] == '' and now or tonumber(ARGV[2])
local q = { failed = KEYS[2], cancelled = KEYS[3], ready = KEYS[4], seq = KEYS[5] }
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', cutoff, 'LIMIT', 0, most)
local rerun = 0
for _, ulid in ipairs(ids) do
  local f = redis.call('HMGET', prefix .. ulid, 'status', 'priority', 'unique')
  if f[1] == 'failed' then
    rerunJob(prefix, ulid, f, q, now)
    rerun = rerun + 1
  else
    redis.call('ZREM', KEYS[2], ulid) -- its hash expired
  end
end
if rerun > 0 then
  redis.call('ZADD', KEYS[6], 0, '0')
end
return { rerun, #ids, cutoff }
