#!lua flags=allow-oom
-- (allow-oom: an outcome is recorded even when Redis is at maxmemory; enqueue stops short of it to keep room)
-- Record a worker's finished jobs of one queue, then claim up to N more with a lease, after promoting due scheduled
-- and retrying jobs. One call both completes and claims, so a busy worker needs one round trip per batch of jobs.
-- KEYS[1] job key prefix   KEYS[2] ready   KEYS[3] scheduled   KEYS[4] retry   KEYS[5] active
-- KEYS[6] seq   KEYS[7] marker   KEYS[8] paused flag   KEYS[9] succeeded   KEYS[10] stats (per-type counters)
-- KEYS[11] cancelled   KEYS[12] all   KEYS[13] idempotency key prefix   KEYS[14] trim mark
-- KEYS[15] idempotency keys of jobs   KEYS[16] events   KEYS[17] events listening
-- KEYS[18] limits (hash: count, period, burst, concurrency; absent without limits)   KEYS[19] rate limiter state
-- ARGV[1] lease (ms)   ARGV[2] lease token   ARGV[3] max jobs   ARGV[4] max promotions
-- ARGV[5] cancelled retention (ms)   ARGV[6] most succeeded jobs kept   ARGV[7] most cancelled jobs kept
-- ARGV[8] number of succeeded jobs, then per job: ulid, its lease token, result (JSON)
-- Returns {jobs, dueIn, recorded}: jobs = list of {ulid, type, payload, attempts, maxAttempts, timeout, createdAt,
-- runAt, priority, backoffInitial, backoffMax}; dueIn = ms from now (Redis' clock) until the earliest scheduled or
-- retrying job still waiting falls due (at least 0), or -1; recorded = per succeeded job 1, 2 when it ended cancelled
-- instead (a client asked while it ran), or 0 when its lease was lost (recovered or already finished).
-- Then, only when the queue's limits held back jobs that wait in it: rateWait = ms until the rate lets one more job
-- through (-1: the rate did not hold any back), slotsFull = 1 when its concurrency limit has no free slot.
--- @include "includes/inChunks"
--- @include "includes/readyScore"
--- @include "includes/finish"
--- @include "includes/redisNow"
--- @include "includes/trim"
--- @include "includes/callback"
--- @include "includes/emit"
--- @include "includes/unique"
--- @include "includes/gcra"
--- @include "includes/slotFreed"
EVENTS_STREAM, EVENTS_LISTENING = KEYS[16], KEYS[17]
local prefix = KEYS[1]
local now, lease, token = redisNow(), tonumber(ARGV[1]), ARGV[2]
local max, promoteMax, retention = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local keepSucceeded, keepCancelled, done = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])

-- 1. succeeded jobs: fenced by their lease token (a lost lease records nothing). The oldest succeeded jobs beyond the
-- count are removed right here, as many as were added (and a few more); the reaper removes those past their age, so
-- no per-job expiry is set here. A job whose cancellation was requested while it ran ends cancelled, keeping its
-- result.
local recorded, finished, succeeded, perType = {}, {}, {}, {}
for i = 0, done - 1 do
  local a = 8 + i * 3
  local ulid, jobToken, result = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
  local key = prefix .. ulid
  local f = redis.call('HMGET', key, 'token', 'type', 'cancel', 'callback', 'unique')
  if f[1] ~= jobToken then
    recorded[#recorded + 1] = 0
  elseif f[3] == '1' then
    redis.call('HSET', key, 'result', result, 'token', '', 'error', 'cancelled by request')
    finish(key, ulid, f[2], 'cancelled', now, retention, KEYS[11], KEYS[10])
    callback(prefix, ulid, 'cancelled', f[4], now)
    releaseUnique(key, ulid, f[5], 'ended')
    finished[#finished + 1] = ulid
    recorded[#recorded + 1] = 2
    emit(ulid, 'cancelled')
  else
    redis.call('HSET', key, 'status', 'succeeded', 'finishedAt', now, 'result', result, 'token', '')
    callback(prefix, ulid, 'succeeded', f[4], now)
    releaseUnique(key, ulid, f[5], 'succeeded')
    finished[#finished + 1] = ulid
    succeeded[#succeeded + 1] = now
    succeeded[#succeeded + 1] = ulid
    perType[f[2]] = (perType[f[2]] or 0) + 1
    recorded[#recorded + 1] = 1
    emit(ulid, 'succeeded')
  end
end
if #finished > 0 then
  inChunks('ZREM', KEYS[5], finished)
  inChunks('ZADD', KEYS[9], succeeded)
  for jobType, n in pairs(perType) do
    redis.call('HINCRBY', KEYS[10], jobType .. ':succeeded', n)
  end
  local q = { jobs = prefix, all = KEYS[12], idem = KEYS[13], trimmed = KEYS[14], idemKeys = KEYS[15] }
  local succeededCount = #succeeded / 2
  if succeededCount > 0 then trimToCount(KEYS[9], keepSucceeded, succeededCount + TRIM_SLACK, q) end
  if #finished > succeededCount then
    trimToCount(KEYS[11], keepCancelled, #finished - succeededCount + TRIM_SLACK, q)
  end
end

-- nothing to claim (a worker only recording, or a paused queue: resuming it wakes a worker)
if max == 0 or redis.call('EXISTS', KEYS[8]) == 1 then
  if max == 0 and #finished > 0 then wakeForFreedSlot(KEYS[18], KEYS[2], KEYS[5], KEYS[7]) end
  return { {}, -1, recorded, -1, 0 }
end

-- 2. due scheduled and retrying jobs become ready; answers the due time of the earliest one still waiting
local function promote(waiting)
  local first = redis.call('ZRANGE', waiting, 0, 0, 'WITHSCORES')
  if not first[2] then return -1 end
  if tonumber(first[2]) > now then return tonumber(first[2]) end
  local due = redis.call('ZRANGEBYSCORE', waiting, '-inf', now, 'LIMIT', 0, promoteMax)
  for _, ulid in ipairs(due) do
    local key = prefix .. ulid
    redis.call('ZREM', waiting, ulid)
    local priority = tonumber(redis.call('HGET', key, 'priority'))
    if priority then
      local seq = redis.call('INCR', KEYS[6])
      redis.call('ZADD', KEYS[2], readyScore(priority, seq), ulid)
      redis.call('HSET', key, 'status', 'queued', 'readyAt', now)
      emit(ulid, 'queued')
    end
  end
  first = redis.call('ZRANGE', waiting, 0, 0, 'WITHSCORES')
  return first[2] and tonumber(first[2]) or -1
end
local nextDue = -1
for _, waiting in ipairs({ KEYS[3], KEYS[4] }) do
  local due = promote(waiting)
  if due >= 0 and (nextDue < 0 or due < nextDue) then nextDue = due end
end

-- 3. the queue's limits: at most `concurrency` running jobs (its active set, this call's successes already out of it)
-- and a GCRA rate of `count` per `period` ms with a burst of `burst`; a queue without limits pays the one HMGET
local limit = redis.call('HMGET', KEYS[18], 'count', 'period', 'burst', 'concurrency')
local count, period, burst, concurrency = tonumber(limit[1]), tonumber(limit[2]), tonumber(limit[3]),
  tonumber(limit[4])
local take, running, debt = max, 0, 0
if concurrency then
  running = redis.call('ZCARD', KEYS[5])
  take = math.min(take, math.max(0, concurrency - running))
end
if count then
  debt = gcraDebt(redis.call('GET', KEYS[19]), now, count)
  take = math.min(take, math.max(0, math.floor((burst * period - debt) / period)))
end

-- 4. claim by priority, then arrival
local jobs, leased = {}, {}
local popped = take > 0 and redis.call('ZPOPMIN', KEYS[2], take) or {}
for i = 1, #popped, 2 do
  local ulid = popped[i]
  local key = prefix .. ulid
  local f = redis.call('HMGET', key, 'type', 'payload', 'maxAttempts', 'timeout', 'createdAt', 'runAt',
    'priority', 'readyAt', 'backoffInitial', 'backoffMax', 'attempts', 'unique')
  if f[1] then
    local attempts = tonumber(f[11]) + 1
    redis.call('HSET', key, 'status', 'running', 'startedAt', now, 'token', token, 'attempts', attempts)
    emit(ulid, 'running', attempts)
    releaseUnique(key, ulid, f[12], 'started')
    leased[#leased + 1] = now + lease
    leased[#leased + 1] = ulid
    -- readyAt (when a retry or scheduled job became runnable) falls back to runAt for the wait metric
    jobs[#jobs + 1] = { ulid, f[1], f[2], attempts, f[3], f[4], f[5], f[8] or f[6], f[7], f[9], f[10] }
  end
end
inChunks('ZADD', KEYS[5], leased)

local claimed = #popped / 2
if count and claimed > 0 then
  debt = debt + claimed * period
  redis.call('SET', KEYS[19], gcraState(now, debt), 'PX', gcraWholeIn(debt, count))
end
-- a limit held jobs back: say when a claim could take one (the worker waits until then, or until a slot frees)
local rateWait, slotsFull = -1, 0
if take < max and redis.call('ZCARD', KEYS[2]) > 0 then
  if concurrency and running + claimed >= concurrency then slotsFull = 1 end
  if count and burst * period - debt < period then
    rateWait = math.max(1, math.ceil((debt - (burst - 1) * period) / count))
  end
end

-- the queue may hold more: pass the wake-up on to the next idle worker
if #popped == 2 * max and redis.call('ZCARD', KEYS[2]) > 0 then
  redis.call('ZADD', KEYS[7], 0, '0')
end
local dueIn = -1
if nextDue >= 0 then dueIn = math.max(0, nextDue - now) end
return { jobs, dueIn, recorded, rateWait, slotsFull }
