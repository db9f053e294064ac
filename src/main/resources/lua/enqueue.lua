-- Enqueue a batch of jobs into one queue, atomically, honouring idempotency keys.
-- KEYS[1] job key prefix   KEYS[2] ready   KEYS[3] scheduled   KEYS[4] all (lex index of ids)
-- KEYS[5] seq   KEYS[6] marker   KEYS[7] stats (per-type counters)
-- then, per job i: KEYS[7+2i-1] job key, KEYS[7+2i] idempotency key
-- ARGV[1] now (ms)   ARGV[2] idempotency retention (ms)   then, per job, 10 fields:
--   ulid, type, priority, payload, maxAttempts, runAt (ms), timeout (ms), backoff initial delay (ms),
--   backoff max delay (ms) (0 = worker default for these three), idempotency hash (empty: no idempotency key)
-- Returns per job {ulid, outcome}: outcome 0 = created, 1 = existing job for the same request,
-- 2 = conflict (the key belongs to a different request; ulid is the existing job's).
local now = tonumber(ARGV[1])
local idemTtl = tonumber(ARGV[2])
local fields = 10
local count = (#ARGV - 2) / fields
local out = {}
local queued = false
local wake = false
local perType = {}
for i = 0, count - 1 do
  local a = 2 + i * fields
  local ulid, jobType, priority = ARGV[a + 1], ARGV[a + 2], tonumber(ARGV[a + 3])
  local payload, maxAttempts, runAt = ARGV[a + 4], ARGV[a + 5], tonumber(ARGV[a + 6])
  local timeout, backoffInitial, backoffMax, idemHash = ARGV[a + 7], ARGV[a + 8], ARGV[a + 9], ARGV[a + 10]
  local jobKey, idemKey = KEYS[7 + 2 * i + 1], KEYS[7 + 2 * i + 2]
  local existing = nil
  if idemHash ~= '' then
    local held = redis.call('GET', idemKey)
    if held then
      local sep = string.find(held, ' ', 1, true)
      local heldHash, heldUlid = string.sub(held, 1, sep - 1), string.sub(held, sep + 1)
      -- an idempotency key outliving its job (retention) no longer protects anything: start afresh
      if redis.call('EXISTS', KEYS[1] .. heldUlid) == 1 then
        existing = { heldUlid, heldHash == idemHash and 1 or 2 }
      end
    end
  end
  if existing then
    out[#out + 1] = existing
  else
    if idemHash ~= '' then
      redis.call('SET', idemKey, idemHash .. ' ' .. ulid, 'PX', idemTtl)
    end
    local status = 'queued'
    if runAt > now then status = 'scheduled' end
    redis.call('HSET', jobKey, 'type', jobType, 'status', status, 'priority', priority, 'payload', payload,
      'attempts', 0, 'maxAttempts', maxAttempts, 'createdAt', now, 'runAt', runAt, 'timeout', timeout,
      'backoffInitial', backoffInitial, 'backoffMax', backoffMax)
    redis.call('ZADD', KEYS[4], 0, ulid)
    if status == 'queued' then
      local seq = redis.call('INCR', KEYS[5])
      redis.call('ZADD', KEYS[2], priority * 1e14 + seq, ulid)
      queued = true
    else
      redis.call('ZADD', KEYS[3], runAt, ulid)
      wake = true
    end
    perType[jobType] = (perType[jobType] or 0) + 1
    out[#out + 1] = { ulid, 0 }
  end
end
for jobType, n in pairs(perType) do
  redis.call('HINCRBY', KEYS[7], jobType .. ':enqueued', n)
end
-- wake one idle worker: for a queued job to claim it, for a scheduled one to re-time its sleep
if queued or wake then
  redis.call('ZADD', KEYS[6], 0, '0')
end
return out
