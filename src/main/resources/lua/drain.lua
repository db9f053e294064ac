#!lua flags=allow-oom
-- (allow-oom: like cancel.lua, it records outcomes and frees memory)
-- Cancels a chunk of a queue's waiting jobs (POST /queues/{name}/drain): scheduled, then retrying, then queued ones,
-- each as cancel.lua cancels a waiting job; running jobs are left alone. The first call counts the waiting jobs; the
-- calls together examine at most that many (the budget), so jobs arriving meanwhile cannot keep them going.
-- KEYS[1] job key prefix   KEYS[2] ready   KEYS[3] scheduled   KEYS[4] retry   KEYS[5] cancelled
-- KEYS[6] stats (per-type counters)   KEYS[7] all   KEYS[8] idempotency key prefix   KEYS[9] trim mark
-- KEYS[10] idempotency keys of jobs   KEYS[11] events   KEYS[12] events listening
-- ARGV[1] most jobs in this call   ARGV[2] budget left ('' = count the waiting jobs: the first call)
-- ARGV[3] retention of cancelled jobs (ms)   ARGV[4] most cancelled jobs kept
-- Returns {cancelled, budget left}: done when the budget left is 0.
--- @include "includes/redisNow"
--- @include "includes/trim"
--- @include "includes/cancelWaiting"
EVENTS_STREAM, EVENTS_LISTENING = KEYS[11], KEYS[12]
local prefix, most, now, retention = KEYS[1], tonumber(ARGV[1]), redisNow(), tonumber(ARGV[3])
local budget = tonumber(ARGV[2])
if ARGV[2] == '' then
  budget = redis.call('ZCARD', KEYS[2]) + redis.call('ZCARD', KEYS[3]) + redis.call('ZCARD', KEYS[4])
end
local statusOf = { [KEYS[3]] = 'scheduled', [KEYS[4]] = 'retrying', [KEYS[2]] = 'queued' }
local take = math.min(most, budget)
local examined, cancelled = 0, 0
for _, waiting in ipairs({ KEYS[3], KEYS[4], KEYS[2] }) do
  if examined < take then
    local ids = redis.call('ZRANGE', waiting, 0, take - examined - 1)
    for _, ulid in ipairs(ids) do
      local f = redis.call('HMGET', prefix .. ulid, 'status', 'type', 'callback', 'unique')
      if f[1] == statusOf[waiting] then
        cancelWaiting(prefix, ulid, waiting, f, now, retention, KEYS[5], KEYS[6])
        cancelled = cancelled + 1
      elseif not f[1] then
        redis.call('ZREM', waiting, ulid) -- an entry without its job
      end
    end
    examined = examined + #ids
  end
end
if cancelled > 0 then
  trimToCount(KEYS[5], tonumber(ARGV[4]), cancelled + TRIM_SLACK,
    { jobs = prefix, all = KEYS[7], idem = KEYS[8], trimmed = KEYS[9], idemKeys = KEYS[10] })
end
if examined < take then
  return { cancelled, 0 } -- nothing waiting is left
end
return { cancelled, budget - examined }
