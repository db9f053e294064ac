-- wakeForFreedSlot(limits, ready, active, marker): after running jobs ended, wakes an idle worker when the queue has
-- a concurrency limit with a free slot and jobs waiting for it: workers held back by that limit wait on the marker
-- (with a bounded fallback), not by polling. Costs one HGET for a queue without a concurrency limit.
-- Uses no KEYS or ARGV: the caller passes the queue's limits hash, ready set, active set and wake-up marker.
local function wakeForFreedSlot(limits, ready, active, marker)
  local concurrency = tonumber(redis.call('HGET', limits, 'concurrency'))
  if concurrency and redis.call('ZCARD', active) < concurrency and redis.call('ZCARD', ready) > 0 then
    redis.call('ZADD', marker, 0, '0')
  end
end
