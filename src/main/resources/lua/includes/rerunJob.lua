-- rerunJob(prefix, ulid, f, q, now): puts a failed or cancelled job back in the ready set by hand, with a fresh set of
-- attempts (result, progress and artifact cleared): it leaves the failed and cancelled indexes, no longer expires,
-- keeps its error history, takes its unique key again when the key is free or still its own (includes/unique), and
-- the change is emitted. f = the job's {status, priority, unique} (HMGET); q = { failed, cancelled, ready, seq }.
-- The caller wakes a worker (the queue's marker) once per call.
-- Uses no KEYS or ARGV: the caller passes the keys.
--- @include "includes/readyScore"
--- @include "includes/emit"
--- @include "includes/unique"
local function rerunJob(prefix, ulid, f, q, now)
  local jobKey = prefix .. ulid
  redis.call('ZREM', q.failed, ulid)
  redis.call('ZREM', q.cancelled, ulid)
  redis.call('PERSIST', jobKey)
  redis.call('HDEL', jobKey, 'finishedAt', 'startedAt', 'result', 'cancel', 'token', 'progress',
    'artifact', 'artifactName', 'artifactType')
  redis.call('HSET', jobKey, 'status', 'queued', 'attempts', 0, 'runAt', now, 'readyAt', now)
  local seq = redis.call('INCR', q.seq)
  redis.call('ZADD', q.ready, readyScore(tonumber(f[2]), seq), ulid)
  if f[3] then holdUnique(jobKey, ulid, f[3], now) end
  emit(ulid, 'queued', 0)
end
