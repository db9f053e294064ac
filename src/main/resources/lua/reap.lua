#!lua flags=allow-oom
-- (allow-oom: an outcome is recorded even when Redis is at maxmemory; enqueue stops short of it to keep room)
-- Housekeeping of one queue, run periodically by every worker: recover jobs whose lease expired, and delete finished
-- jobs whose retention ran out.
-- Recover jobs whose lease expired (their worker crashed or froze). Each recovery counts as the attempt it was:
-- a job out of attempts fails instead of looping forever (the poison-job problem). Safe with many reapers: a job is
-- taken out of the active set before anything else happens to it.
-- KEYS[1] job key prefix   KEYS[2] active   KEYS[3] ready   KEYS[4] seq   KEYS[5] failed   KEYS[6] cancelled
-- KEYS[7] all   KEYS[8] marker   KEYS[9] succeeded   KEYS[10] stats (per-type counters)   KEYS[11] recent failures
-- ARGV[1] most jobs to recover (and index entries to drop per set)
-- ARGV[2] failed retention (ms)   ARGV[3] history size   ARGV[4] succeeded retention (ms)
-- ARGV[5] most recent failures kept
-- Returns {requeued, failed, cancelled, more}: per outcome a flat list of ulid, type pairs; more = 1 when an index had
-- more entries past their retention than one call removes.
--- @include "includes/inChunks"
--- @include "includes/readyScore"
--- @include "includes/recordError"
--- @include "includes/finish"
--- @include "includes/failForGood"
--- @include "includes/redisNow"
local prefix = KEYS[1]
local now, max, retention, historySize = redisNow(), tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local recentMax = tonumber(ARGV[5])
local requeued, failed, cancelled = {}, {}, {}
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, max)
local more = #expired == max and 1 or 0
for _, ulid in ipairs(expired) do
  local key = prefix .. ulid
  redis.call('ZREM', KEYS[2], ulid)
  local f = redis.call('HMGET', key, 'attempts', 'maxAttempts', 'priority', 'cancel', 'history', 'type')
  if f[1] then
    local attempts, maxAttempts = tonumber(f[1]), tonumber(f[2])
    local message = 'lease expired on attempt ' .. attempts .. ': the worker running it died or stalled'
    redis.call('HDEL', key, 'token')
    recordError(key, f[5], attempts, now, message, historySize)
    redis.call('HINCRBY', KEYS[10], f[6] .. ':recovered', 1)
    if f[4] == '1' then
      finish(key, ulid, f[6], 'cancelled', now, retention, KEYS[6], KEYS[10])
      cancelled[#cancelled + 1] = ulid
      cancelled[#cancelled + 1] = f[6]
    elseif attempts >= maxAttempts then
      failForGood(key, ulid, f[6], now, retention, KEYS[5], KEYS[10], KEYS[11], recentMax)
      failed[#failed + 1] = ulid
      failed[#failed + 1] = f[6]
    else
      local seq = redis.call('INCR', KEYS[4])
      redis.call('ZADD', KEYS[3], readyScore(tonumber(f[3]), seq), ulid)
      redis.call('HSET', key, 'status', 'queued', 'readyAt', now)
      requeued[#requeued + 1] = ulid
      requeued[#requeued + 1] = f[6]
    end
  end
end
-- Finished jobs past their retention leave their index, the id index and Redis (succeeded jobs have no expiry of
-- their own: this is what deletes them). Each index gives up at most `max` entries per call; `more` asks for
-- another call right away.
local function trim(index, keepFor)
  local gone = redis.call('ZRANGEBYSCORE', index, '-inf', now - keepFor, 'LIMIT', 0, max)
  if #gone > 0 then
    inChunks('ZREM', index, gone)
    inChunks('ZREM', KEYS[7], gone)
    local jobKeys = {}
    for i, ulid in ipairs(gone) do jobKeys[i] = prefix .. ulid end
    inChunks('UNLINK', nil, jobKeys)
    if #gone == max then more = 1 end
  end
end
trim(KEYS[9], tonumber(ARGV[4]))
trim(KEYS[5], retention)
trim(KEYS[6], retention)

if #requeued > 0 then
  redis.call('ZADD', KEYS[8], 0, '0')
end
return { requeued, failed, cancelled, more }
