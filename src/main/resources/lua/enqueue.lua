-- Enqueue a batch of jobs into one queue, atomically, honouring idempotency keys.
-- KEYS[1] job key prefix   KEYS[2] ready   KEYS[3] scheduled   KEYS[4] all (lex index of ids)
-- KEYS[5] seq   KEYS[6] marker   KEYS[7] stats (per-type counters)
-- then, per job i: KEYS[7+2i-1] job key, KEYS[7+2i] idempotency key
-- ARGV[1] now (ms)   ARGV[2] idempotency retention (ms)   then, per job, 10 fields:
--   ulid, type, priority, payload, maxAttempts, runAt (ms), timeout (ms), backoff initial delay (ms),
--   backoff max delay (ms) (0 = worker default for these three), idempotency hash (empty: no idempotency key)
-- Returns per job {ulid, outcome}: outcome 0 = created, 1 = existing job for the same request,
-- 2 = conflict (the key belongs to a different request: ulid is the existing job's, or '' when two jobs of this
-- batch share the key), 3 = not enqueued because another job of the batch conflicts (all or nothing).
-- The keys are checked before anything is written, so a conflict leaves Redis untouched.
local now = tonumber(ARGV[1])
local idemTtl = tonumber(ARGV[2])
local fields = 10
local count = (#ARGV - 2) / fields
local out = {}
local perType = {}

-- pass 1: what each idempotency key says, before writing anything
local held = {}
local seen = {}
local conflict = false
for i = 0, count - 1 do
  local a = 2 + i * fields
  local idemHash, idemKey = ARGV[a + 10], KEYS[7 + 2 * i + 2]
  if idemHash ~= '' then
    local first = seen[idemKey]
    if first then
      -- the key again in this batch: the same request shares the first one's fate, another one conflicts
      if first.hash ~= idemHash then
        held[i] = { '', 2 }
        conflict = true
      else
        held[i] = first.held
      end
    else
      first = { hash = idemHash }
      seen[idemKey] = first
      local value = redis.call('GET', idemKey)
      if value then
        local sep = string.find(value, ' ', 1, true)
        local heldHash, heldUlid = string.sub(value, 1, sep - 1), string.sub(value, sep + 1)
        -- an idempotency key outliving its job (retention) no longer protects anything: start afresh
        if redis.call('EXISTS', KEYS[1] .. heldUlid) == 1 then
          held[i] = { heldUlid, heldHash == idemHash and 1 or 2 }
          first.held = held[i]
          if heldHash ~= idemHash then conflict = true end
        end
      end
    end
  end
end
if conflict then
  for i = 0, count - 1 do
    out[#out + 1] = held[i] or { '', 3 }
  end
  return out
end

-- pass 2: create the jobs. Index and queue entries of the whole batch are written with one command each.
local created = {}
local all, ready, scheduled, readyPriorities = {}, {}, {}, {}
for i = 0, count - 1 do
  local a = 2 + i * fields
  local ulid, jobType, priority = ARGV[a + 1], ARGV[a + 2], tonumber(ARGV[a + 3])
  local payload, maxAttempts, runAt = ARGV[a + 4], ARGV[a + 5], tonumber(ARGV[a + 6])
  local timeout, backoffInitial, backoffMax, idemHash = ARGV[a + 7], ARGV[a + 8], ARGV[a + 9], ARGV[a + 10]
  local jobKey, idemKey = KEYS[7 + 2 * i + 1], KEYS[7 + 2 * i + 2]
  if held[i] then
    out[#out + 1] = held[i]
  elseif idemHash ~= '' and created[idemKey] then
    -- the same request twice in this batch: one job
    out[#out + 1] = { created[idemKey], 1 }
  else
    if idemHash ~= '' then
      redis.call('SET', idemKey, idemHash .. ' ' .. ulid, 'PX', idemTtl)
      created[idemKey] = ulid
    end
    local status = 'queued'
    if runAt > now then status = 'scheduled' end
    redis.call('HSET', jobKey, 'type', jobType, 'status', status, 'priority', priority, 'payload', payload,
      'attempts', 0, 'maxAttempts', maxAttempts, 'createdAt', now, 'runAt', runAt, 'timeout', timeout,
      'backoffInitial', backoffInitial, 'backoffMax', backoffMax)
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
    out[#out + 1] = { ulid, 0 }
  end
end

-- One command over a whole batch of arguments (key first, unless nil), in chunks of 4000 (even, so score/member
-- pairs stay together) under Lua's stack limit for unpack. Scripts cannot share code: claim.lua, enqueue.lua and
-- reap.lua carry the same helper.
local function inChunks(command, key, items)
  for i = 1, #items, 4000 do
    if key then
      redis.call(command, key, unpack(items, i, math.min(i + 3999, #items)))
    else
      redis.call(command, unpack(items, i, math.min(i + 3999, #items)))
    end
  end
end
inChunks('ZADD', KEYS[4], all)
inChunks('ZADD', KEYS[3], scheduled)
if #ready > 0 then
  -- score = priority, then arrival: one INCRBY reserves the batch's sequence numbers
  local seq = redis.call('INCRBY', KEYS[5], #ready) - #ready
  local scored = {}
  for i, ulid in ipairs(ready) do
    scored[#scored + 1] = readyPriorities[i] * 1e14 + seq + i
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
