-- Enqueue jobs into one queue, honouring idempotency keys: either a client's batch, all or nothing, or single
-- requests of many clients sent together, each one on its own (as if sent one after the other).
-- KEYS[1] job key prefix   KEYS[2] ready   KEYS[3] scheduled   KEYS[4] all (lex index of ids)
-- KEYS[5] seq   KEYS[6] marker   KEYS[7] stats (per-type counters)   KEYS[8] idempotency keys of jobs (ulid -> key)
-- KEYS[9] events   KEYS[10] events listening
-- then, per job i: KEYS[10+2i-1] job key, KEYS[10+2i] idempotency key
-- ARGV[1] now (ms, the caller's clock: createdAt)   ARGV[2] idempotency retention (ms)   ARGV[3] 1 = all or nothing, 0 = each job on its own
-- then, per job, 17 fields:
--   ulid, type, priority, payload, maxAttempts, due ('' = now, '+ms' = a delay on Redis' clock, else runAt in ms),
--   timeout (ms), backoff initial delay (ms),
--   backoff max delay (ms) (0 = worker default for these three), idempotency hash (empty: no idempotency key),
--   idempotency key as the client gave it (noted in KEYS[8], so that removing the job removes its key too),
--   callback (JSON, see includes/callback; empty: none),
--   unique key (empty: none), unique scope (queued, active or until-done), unique ttl (ms) (see includes/unique),
--   schedule that fired the job, the tick it fired for (ms) (both empty: not fired by a schedule)
-- Returns per job a number when it was created (the caller knows its ulid: a short answer for the usual case): its
-- due time (ms) when it waits for it, 0 when it is queued; otherwise
-- {ulid, outcome}: outcome 1 = existing job for the same request, 2 = conflict (the key belongs to a different
-- request: ulid is the existing job's, or '' when two jobs of an all-or-nothing batch share the key), 3 = not
-- enqueued because another job of the batch conflicts, 4 = existing job holding the unique key (checked after the
-- idempotency key: a request answered so takes no idempotency key).
-- All or nothing: the keys are checked before anything is written, so a conflict leaves Redis untouched.
local prefix = KEYS[1]
local now = tonumber(ARGV[1])
local idemTtl = tonumber(ARGV[2])
local allOrNothing = ARGV[3] == '1'
local fields = 17
local first = 3
local count = (#ARGV - first) / fields
local out = {}
local perType = {}
--- @include "includes/inChunks"
--- @include "includes/readyScore"
--- @include "includes/redisNow"
--- @include "includes/emit"
--- @include "includes/unique"
EVENTS_STREAM, EVENTS_LISTENING = KEYS[9], KEYS[10]

-- Redis' clock, read once and only for jobs with a due time: due times are never the caller's clock.
local clock
local function dueNow()
  if not clock then clock = redisNow() end
  return clock
end

-- Who holds an idempotency key: {hash, ulid} of a live job (from Redis, or created by this call), or false.
-- A key outliving its job (retention) no longer protects anything.
local holders = {}
local function holder(idemKey)
  local held = holders[idemKey]
  if held == nil then
    held = false
    local value = redis.call('GET', idemKey)
    if value then
      local sep = string.find(value, ' ', 1, true)
      local ulid = string.sub(value, sep + 1)
      if redis.call('EXISTS', prefix .. ulid) == 1 then
        held = { string.sub(value, 1, sep - 1), ulid }
      end
    end
    holders[idemKey] = held
  end
  return held
end

-- all or nothing: find every conflict before writing anything
if allOrNothing then
  local outcomes, batchHash, conflict = {}, {}, false
  for i = 0, count - 1 do
    local idemHash, idemKey = ARGV[first + i * fields + 10], KEYS[10 + 2 * i + 2]
    if idemHash ~= '' then
      local held = holder(idemKey)
      if held and held[1] ~= idemHash then
        outcomes[i] = { held[2], 2 }
        conflict = true
      elseif held then
        outcomes[i] = { held[2], 1 }
      elseif batchHash[idemKey] and batchHash[idemKey] ~= idemHash then
        -- the key again in this batch, for a different request
        outcomes[i] = { '', 2 }
        conflict = true
      end
      batchHash[idemKey] = batchHash[idemKey] or idemHash
    end
  end
  if conflict then
    for i = 0, count - 1 do
      out[#out + 1] = outcomes[i] or { '', 3 }
    end
    return out
  end
end

-- create the jobs, in order. Index and queue entries of all of them are written with one command each.
local all, ready, scheduled, readyPriorities, idemOf = {}, {}, {}, {}, {}
for i = 0, count - 1 do
  local a = first + i * fields
  local ulid, jobType, priority = ARGV[a + 1], ARGV[a + 2], tonumber(ARGV[a + 3])
  local payload, maxAttempts, due = ARGV[a + 4], ARGV[a + 5], ARGV[a + 6]
  local timeout, backoffInitial, backoffMax, idemHash = ARGV[a + 7], ARGV[a + 8], ARGV[a + 9], ARGV[a + 10]
  local jobKey, idemKey = KEYS[10 + 2 * i + 1], KEYS[10 + 2 * i + 2]
  local held = idemHash ~= '' and holder(idemKey)
  local unique = ARGV[a + 13] ~= '' and (ARGV[a + 14] .. ' ' .. ARGV[a + 15] .. ' ' .. ARGV[a + 13]) or nil
  local uniqueHolder = not held and unique and holdUnique(jobKey, ulid, unique, dueNow())
  if held then
    out[#out + 1] = { held[2], held[1] == idemHash and 1 or 2 }
  elseif uniqueHolder then
    out[#out + 1] = { uniqueHolder, 4 }
  else
    if idemHash ~= '' then
      redis.call('SET', idemKey, idemHash .. ' ' .. ulid, 'PX', idemTtl)
      holders[idemKey] = { idemHash, ulid }
      idemOf[#idemOf + 1] = ulid
      idemOf[#idemOf + 1] = ARGV[a + 11]
    end
    local status, runAt = 'queued', now
    if due ~= '' then
      if string.sub(due, 1, 1) == '+' then
        runAt = dueNow() + tonumber(string.sub(due, 2))
      else
        runAt = tonumber(due)
      end
      if runAt > dueNow() then status = 'scheduled' end
    end
    redis.call('HSET', jobKey, 'type', jobType, 'status', status, 'priority', priority, 'payload', payload,
      'attempts', 0, 'maxAttempts', maxAttempts, 'createdAt', now, 'runAt', runAt, 'timeout', timeout,
      'backoffInitial', backoffInitial, 'backoffMax', backoffMax)
    if ARGV[a + 12] ~= '' then redis.call('HSET', jobKey, 'callback', ARGV[a + 12]) end
    if ARGV[a + 16] ~= '' then redis.call('HSET', jobKey, 'schedule', ARGV[a + 16], 'scheduledFor', ARGV[a + 17]) end
    if unique then redis.call('HSET', jobKey, 'unique', unique) end
    all[#all + 1] = 0
    all[#all + 1] = ulid
    if status == 'queued' then
      ready[#ready + 1] = ulid
      readyPriorities[#readyPriorities + 1] = priority
    else
      scheduled[#scheduled + 1] = runAt
      scheduled[#scheduled + 1] = ulid
    end
    perType[jobType] = (perType[jobType] or 0) + 1
    emit(ulid, status, 0)
    out[#out + 1] = status == 'scheduled' and runAt or 0
  end
end

inChunks('ZADD', KEYS[4], all)
inChunks('HSET', KEYS[8], idemOf)
inChunks('ZADD', KEYS[3], scheduled)
if #ready > 0 then
  -- score = priority, then arrival: one INCRBY reserves the batch's sequence numbers
  local seq = redis.call('INCRBY', KEYS[5], #ready) - #ready
  local scored = {}
  for i, ulid in ipairs(ready) do
    scored[#scored + 1] = readyScore(readyPriorities[i], seq + i)
    scored[#scored + 1] = ulid
  end
  inChunks('ZADD', KEYS[2], scored)
end
for jobType, n in pairs(perType) do
  redis.call('HINCRBY', KEYS[7], jobType .. ':enqueued', n)
end
-- wake one idle worker: for a queued job to claim it, for a scheduled one to re-time its sleep
if #ready > 0 or #scheduled > 0 then
  redis.call('ZADD', KEYS[6], 0, '0')
end
return out
