#!lua flags=allow-oom
-- (allow-oom: an outcome is recorded even when Redis is at maxmemory; enqueue stops short of it to keep room)
-- Cancel a job: a waiting one at once; a running one by flagging it and telling its worker (pub/sub).
-- KEYS[1] job key   KEYS[2] ready   KEYS[3] scheduled   KEYS[4] retry   KEYS[5] cancelled
-- KEYS[6] stats (per-type counters)   KEYS[7] job key prefix   KEYS[8] all   KEYS[9] idempotency key prefix
-- KEYS[10] trim mark   KEYS[11] idempotency keys of jobs   KEYS[12] events   KEYS[13] events listening
-- ARGV[1] ulid   ARGV[2] retention of cancelled jobs (ms)   ARGV[3] pub/sub channel
-- ARGV[4] the job's full id (the message)   ARGV[5] most cancelled jobs kept
-- Returns 'cancelled', 'cancel-requested', the status of a job that cannot be cancelled, or 'missing'.
--- @include "includes/redisNow"
--- @include "includes/trim"
--- @include "includes/cancelWaiting"
EVENTS_STREAM, EVENTS_LISTENING = KEYS[12], KEYS[13]
local ulid, now, retention = ARGV[1], redisNow(), tonumber(ARGV[2])
local f = redis.call('HMGET', KEYS[1], 'status', 'type', 'callback', 'unique')
local status = f[1]
if not status then
  return 'missing'
end
local waiting = { queued = KEYS[2], scheduled = KEYS[3], retrying = KEYS[4] }
if waiting[status] then
  cancelWaiting(KEYS[7], ulid, waiting[status], f, now, retention, KEYS[5], KEYS[6])
  trimToCount(KEYS[5], tonumber(ARGV[5]), 1 + TRIM_SLACK,
    { jobs = KEYS[7], all = KEYS[8], idem = KEYS[9], trimmed = KEYS[10], idemKeys = KEYS[11] })
  return 'cancelled'
end
if status == 'running' then
  redis.call('HSET', KEYS[1], 'cancel', '1')
  redis.call('PUBLISH', ARGV[3], ARGV[4])
  return 'cancel-requested'
end
return status
