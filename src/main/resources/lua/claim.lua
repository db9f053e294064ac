-- Claim up to N jobs of one queue with a lease, after promoting due scheduled and retrying jobs.
-- KEYS[1] job key prefix   KEYS[2] ready   KEYS[3] scheduled   KEYS[4] retry   KEYS[5] active
-- KEYS[6] seq   KEYS[7] marker   KEYS[8] paused flag
-- ARGV[1] now (ms)   ARGV[2] lease (ms)   ARGV[3] lease token   ARGV[4] max jobs   ARGV[5] max promotions
-- Returns {jobs, nextDue}: jobs = list of {ulid, type, payload, attempts, maxAttempts, timeout, createdAt, runAt,
-- priority, backoffInitial, backoffMax}; nextDue = ms of the earliest scheduled/retrying job still waiting, or -1.
local prefix = KEYS[1]
local now, lease, token = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
-- a paused queue hands out nothing; resuming it wakes a worker
if redis.call('EXISTS', KEYS[8]) == 1 then
  return { {}, -1 }
end
local max, promoteMax = tonumber(ARGV[4]), tonumber(ARGV[5])

local function promote(waiting)
  local due = redis.call('ZRANGEBYSCORE', waiting, '-inf', now, 'LIMIT', 0, promoteMax)
  for _, ulid in ipairs(due) do
    local key = prefix .. ulid
    redis.call('ZREM', waiting, ulid)
    local priority = tonumber(redis.call('HGET', key, 'priority'))
    if priority then
      local seq = redis.call('INCR', KEYS[6])
      redis.call('ZADD', KEYS[2], priority * 1e14 + seq, ulid)
      redis.call('HSET', key, 'status', 'queued', 'readyAt', now)
    end
  end
end
promote(KEYS[3])
promote(KEYS[4])

local jobs = {}
local popped = redis.call('ZPOPMIN', KEYS[2], max)
for i = 1, #popped, 2 do
  local ulid = popped[i]
  local key = prefix .. ulid
  local f = redis.call('HMGET', key, 'type', 'payload', 'maxAttempts', 'timeout', 'createdAt', 'runAt',
    'priority', 'readyAt', 'backoffInitial', 'backoffMax')
  if f[1] then
    local attempts = redis.call('HINCRBY', key, 'attempts', 1)
    redis.call('HSET', key, 'status', 'running', 'startedAt', now, 'token', token)
    redis.call('ZADD', KEYS[5], now + lease, ulid)
    -- readyAt (when a retry or scheduled job became runnable) falls back to runAt for the wait metric
    jobs[#jobs + 1] = { ulid, f[1], f[2], attempts, f[3], f[4], f[5], f[8] or f[6], f[7], f[9], f[10] }
  end
end

-- more work left: pass the wake-up on to the next idle worker
if redis.call('ZCARD', KEYS[2]) > 0 then
  redis.call('ZADD', KEYS[7], 0, '0')
end

local nextDue = -1
for _, waiting in ipairs({ KEYS[3], KEYS[4] }) do
  local first = redis.call('ZRANGE', waiting, 0, 0, 'WITHSCORES')
  if first[2] then
    local due = tonumber(first[2])
    if nextDue < 0 or due < nextDue then nextDue = due end
  end
end
return { jobs, nextDue }
