#!lua flags=allow-oom
-- (allow-oom: an outcome is recorded even when Redis is at maxmemory; enqueue stops short of it to keep room)
-- Hand a running job back to the queue at once (graceful shutdown): no waiting for its lease to expire. The
-- interrupted attempt is not counted, since the job did not fail. A job whose cancellation was requested while it
-- ran ends cancelled instead of running again.
-- KEYS[1] job key   KEYS[2] active   KEYS[3] ready   KEYS[4] seq   KEYS[5] marker   KEYS[6] cancelled
-- KEYS[7] stats (per-type counters)   KEYS[8] job key prefix   KEYS[9] all   KEYS[10] idempotency key prefix
-- KEYS[11] trim mark   KEYS[12] idempotency keys of jobs   KEYS[13] events   KEYS[14] events listening
-- KEYS[15] limits
-- ARGV[1] ulid   ARGV[2] lease token   ARGV[3] cancelled retention (ms)   ARGV[4] most cancelled jobs kept
-- Returns 'queued' when handed back, 'cancelled', or 0 when the lease was already lost.
--- @include "includes/readyScore"
--- @include "includes/finish"
--- @include "includes/redisNow"
--- @include "includes/trim"
--- @include "includes/callback"
--- @include "includes/emit"
--- @include "includes/unique"
--- @include "includes/slotFreed"
EVENTS_STREAM, EVENTS_LISTENING = KEYS[13], KEYS[14]
local ulid, token, retention = ARGV[1], ARGV[2], tonumber(ARGV[3])
local f = redis.call('HMGET', KEYS[1], 'token', 'cancel', 'type', 'priority', 'callback', 'unique')
if f[1] ~= token then
  return 0
end
local now = redisNow()
redis.call('ZREM', KEYS[2], ulid)
redis.call('HDEL', KEYS[1], 'token')
if f[2] == '1' then
  redis.call('HSET', KEYS[1], 'error', 'cancelled by request')
  finish(KEYS[1], ulid, f[3], 'cancelled', now, retention, KEYS[6], KEYS[7])
  callback(KEYS[8], ulid, 'cancelled', f[5], now)
  releaseUnique(KEYS[1], ulid, f[6], 'ended')
  trimToCount(KEYS[6], tonumber(ARGV[4]), 1 + TRIM_SLACK,
    { jobs = KEYS[8], all = KEYS[9], idem = KEYS[10], trimmed = KEYS[11], idemKeys = KEYS[12] })
  emit(ulid, 'cancelled')
  wakeForFreedSlot(KEYS[15], KEYS[3], KEYS[2], KEYS[5])
  return 'cancelled'
end
redis.call('HINCRBY', KEYS[1], 'attempts', -1)
redis.call('HSET', KEYS[1], 'status', 'queued', 'readyAt', now)
local seq = redis.call('INCR', KEYS[4])
redis.call('ZADD', KEYS[3], readyScore(tonumber(f[4]), seq), ulid)
redis.call('ZADD', KEYS[5], 0, '0')
emit(ulid, 'queued')
return 'queued'
