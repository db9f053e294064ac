-- cancelWaiting(prefix, ulid, waiting, f, now, retention, cancelled, stats): ends a waiting job (scheduled, queued or
-- retrying) `cancelled` at once: out of its waiting set, into the cancelled index, its callback created, its unique
-- key freed and the change emitted. f = the job's {status, type, callback, unique} (HMGET). The caller trims the
-- cancelled index to its count afterwards (includes/trim), once per call.
-- Uses no KEYS or ARGV: the caller passes the job key prefix, the waiting set, the cancelled index and the stats hash.
--- @include "includes/finish"
--- @include "includes/callback"
--- @include "includes/emit"
--- @include "includes/unique"
local function cancelWaiting(prefix, ulid, waiting, f, now, retention, cancelled, stats)
  local jobKey = prefix .. ulid
  redis.call('ZREM', waiting, ulid)
  redis.call('HSET', jobKey, 'error', 'cancelled by request')
  finish(jobKey, ulid, f[2], 'cancelled', now, retention, cancelled, stats)
  callback(prefix, ulid, 'cancelled', f[3], now)
  releaseUnique(jobKey, ulid, f[4], 'ended')
  emit(ulid, 'cancelled')
end
