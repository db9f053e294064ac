#!lua flags=allow-oom
-- (allow-oom: an outcome is recorded even when Redis is at maxmemory; enqueue stops short of it to keep room)
-- Record a failed attempt: back to waiting as `retrying` when attempts are left and a retry time is given, else
-- `failed` (dead letter), or `cancelled` when a client asked for it. Every failure is added to the job's error
-- history. Refused when the caller no longer holds the lease (fencing by token).
-- KEYS[1] job key   KEYS[2] active   KEYS[3] retry   KEYS[4] failed   KEYS[5] marker   KEYS[6] cancelled
-- KEYS[7] stats (per-type counters)   KEYS[8] job key prefix   KEYS[9] all   KEYS[10] idempotency key prefix
-- KEYS[11] trim mark   KEYS[12] idempotency keys of jobs   KEYS[13] events   KEYS[14] events listening
-- KEYS[15] limits   KEYS[16] ready
-- ARGV[1] ulid   ARGV[2] lease token   ARGV[3] error message
-- ARGV[4] retry delay (ms), or -1 when the error is not retryable   ARGV[5] failed retention (ms)
-- ARGV[6] history size   ARGV[7] most failed (and cancelled) jobs kept
-- Returns 'retrying', 'failed', 'cancelled', or 0 when the lease was lost.
--- @include "includes/recordError"
--- @include "includes/finish"
--- @include "includes/redisNow"
--- @include "includes/trim"
--- @include "includes/callback"
--- @include "includes/emit"
--- @include "includes/unique"
--- @include "includes/slotFreed"
EVENTS_STREAM, EVENTS_LISTENING = KEYS[13], KEYS[14]
local ulid, token, message = ARGV[1], ARGV[2], ARGV[3]
local retryDelay, retention, historySize = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local keep = tonumber(ARGV[7])
local q = { jobs = KEYS[8], all = KEYS[9], idem = KEYS[10], trimmed = KEYS[11], idemKeys = KEYS[12] }
local f = redis.call('HMGET', KEYS[1], 'token', 'attempts', 'maxAttempts', 'cancel', 'history', 'type', 'callback',
  'startedAt', 'unique')
if f[1] ~= token then
  return 0
end
local now = redisNow()
redis.call('ZREM', KEYS[2], ulid)
redis.call('HDEL', KEYS[1], 'token')
recordError(KEYS[1], f[5], tonumber(f[2]), f[8], now, message, historySize)
if f[4] == '1' then
  finish(KEYS[1], ulid, f[6], 'cancelled', now, retention, KEYS[6], KEYS[7])
  callback(KEYS[8], ulid, 'cancelled', f[7], now)
  releaseUnique(KEYS[1], ulid, f[9], 'ended')
  trimToCount(KEYS[6], keep, 1 + TRIM_SLACK, q)
  emit(ulid, 'cancelled', f[2], { 'error', message })
  wakeForFreedSlot(KEYS[15], KEYS[16], KEYS[2], KEYS[5])
  return 'cancelled'
end
if retryDelay >= 0 and tonumber(f[2]) < tonumber(f[3]) then
  local retryAt = now + retryDelay
  redis.call('HSET', KEYS[1], 'status', 'retrying', 'runAt', retryAt)
  redis.call('ZADD', KEYS[3], retryAt, ulid)
  -- an idle worker sleeping until a later due time must re-time its sleep
  redis.call('ZADD', KEYS[5], 0, '0')
  redis.call('HINCRBY', KEYS[7], f[6] .. ':retried', 1)
  emit(ulid, 'retrying', f[2], { 'error', message })
  return 'retrying'
end
finish(KEYS[1], ulid, f[6], 'failed', now, retention, KEYS[4], KEYS[7])
callback(KEYS[8], ulid, 'failed', f[7], now)
releaseUnique(KEYS[1], ulid, f[9], 'ended')
trimToCount(KEYS[4], keep, 1 + TRIM_SLACK, q)
emit(ulid, 'failed', f[2], { 'error', message })
wakeForFreedSlot(KEYS[15], KEYS[16], KEYS[2], KEYS[5])
return 'failed'
