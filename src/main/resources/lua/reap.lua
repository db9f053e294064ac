#!lua flags=allow-oom
-- (allow-oom: an outcome is recorded even when Redis is at maxmemory; enqueue stops short of it to keep room)
-- Housekeeping of one queue, run periodically by every worker: recover jobs whose lease expired, and delete finished
-- jobs beyond their queue's retention (by count and by age: the outcome scripts trim by count as jobs finish, this
-- catches up a backlog and removes jobs past their age).
-- Recover jobs whose lease expired (their worker crashed or froze). Each recovery counts as the attempt it was:
-- a job out of attempts fails instead of looping forever (the poison-job problem). Safe with many reapers: a job is
-- taken out of the active set before anything else happens to it.
-- KEYS[1] job key prefix   KEYS[2] active   KEYS[3] ready   KEYS[4] seq   KEYS[5] failed   KEYS[6] cancelled
-- KEYS[7] all   KEYS[8] marker   KEYS[9] succeeded   KEYS[10] stats (per-type counters)
-- KEYS[11] idempotency key prefix   KEYS[12] trim mark   KEYS[13] idempotency keys of jobs   KEYS[14] events
-- KEYS[15] events listening   KEYS[16] limits
-- ARGV[1] most jobs to recover (and finished jobs to remove per index)
-- ARGV[2] failed retention (ms)   ARGV[3] history size   ARGV[4] succeeded retention (ms)
-- ARGV[5] most succeeded jobs kept   ARGV[6] most failed (and cancelled) jobs kept
-- Returns {requeued, failed, cancelled, more}: per outcome a flat list of ulid, type pairs; more = 1 when an index had
-- more entries past their retention than one call removes.
--- @include "includes/readyScore"
--- @include "includes/recordError"
--- @include "includes/finish"
--- @include "includes/redisNow"
--- @include "includes/trim"
--- @include "includes/callback"
--- @include "includes/emit"
--- @include "includes/unique"
--- @include "includes/slotFreed"
EVENTS_STREAM, EVENTS_LISTENING = KEYS[14], KEYS[15]
local prefix = KEYS[1]
local now, max, retention, historySize = redisNow(), tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local requeued, failed, cancelled = {}, {}, {}
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, max)
local more = #expired == max and 1 or 0
for _, ulid in ipairs(expired) do
  local key = prefix .. ulid
  redis.call('ZREM', KEYS[2], ulid)
  local f = redis.call('HMGET', key, 'attempts', 'maxAttempts', 'priority', 'cancel', 'history', 'type', 'callback',
    'startedAt', 'unique')
  if f[1] then
    local attempts, maxAttempts = tonumber(f[1]), tonumber(f[2])
    local message = 'lease expired on attempt ' .. attempts .. ': the worker running it died or stalled'
    redis.call('HDEL', key, 'token')
    recordError(key, f[5], attempts, f[8], now, message, historySize)
    redis.call('HINCRBY', KEYS[10], f[6] .. ':recovered', 1)
    if f[4] == '1' then
      finish(key, ulid, f[6], 'cancelled', now, retention, KEYS[6], KEYS[10])
      callback(prefix, ulid, 'cancelled', f[7], now)
      releaseUnique(key, ulid, f[9], 'ended')
      cancelled[#cancelled + 1] = ulid
      cancelled[#cancelled + 1] = f[6]
      emit(ulid, 'cancelled', attempts, { 'error', message })
    elseif attempts >= maxAttempts then
      finish(key, ulid, f[6], 'failed', now, retention, KEYS[5], KEYS[10])
      callback(prefix, ulid, 'failed', f[7], now)
      releaseUnique(key, ulid, f[9], 'ended')
      failed[#failed + 1] = ulid
      failed[#failed + 1] = f[6]
      emit(ulid, 'failed', attempts, { 'error', message })
    else
      local seq = redis.call('INCR', KEYS[4])
      redis.call('ZADD', KEYS[3], readyScore(tonumber(f[3]), seq), ulid)
      redis.call('HSET', key, 'status', 'queued', 'readyAt', now)
      requeued[#requeued + 1] = ulid
      requeued[#requeued + 1] = f[6]
      emit(ulid, 'queued', attempts, { 'error', message })
    end
  end
end
-- Finished jobs beyond the count or past their age leave Redis with their index entries and idempotency keys
-- (succeeded jobs have no expiry of their own: this and the count trim of complete-and-claim delete them). Each
-- index gives up at most `max` jobs per call; `more` asks for another call right away.
local q = { jobs = prefix, all = KEYS[7], idem = KEYS[11], trimmed = KEYS[12], idemKeys = KEYS[13] }
local function trim(index, keepFor, keep)
  local gone = trimToCount(index, keep, max, q)
  gone = gone + trimToAge(index, now - keepFor, max - gone, q)
  if gone == max then more = 1 end
end
trim(KEYS[9], tonumber(ARGV[4]), tonumber(ARGV[5]))
trim(KEYS[5], retention, tonumber(ARGV[6]))
trim(KEYS[6], retention, tonumber(ARGV[6]))

if #requeued > 0 then
  redis.call('ZADD', KEYS[8], 0, '0')
elseif #failed + #cancelled > 0 then
  wakeForFreedSlot(KEYS[16], KEYS[3], KEYS[2], KEYS[8])
end
return { requeued, failed, cancelled, more }
