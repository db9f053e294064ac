-- Record a failed attempt: back to waiting as `retrying` when attempts are left and a retry time is given, else
-- `failed` (dead letter), or `cancelled` when a client asked for it. Every failure is added to the job's error
-- history. Refused when the caller no longer holds the lease (fencing by token).
-- KEYS[1] job key   KEYS[2] active   KEYS[3] retry   KEYS[4] failed   KEYS[5] marker   KEYS[6] cancelled
-- KEYS[7] stats (per-type counters)   KEYS[8] recent failures (list of ulids, newest first)
-- ARGV[1] ulid   ARGV[2] lease token   ARGV[3] now (ms)   ARGV[4] error message
-- ARGV[5] retry at (ms), or -1 when the error is not retryable   ARGV[6] failed retention (ms)   ARGV[7] history size
-- Returns 'retrying', 'failed', 'cancelled', or 0 when the lease was lost.
local ulid, token, now, message = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local retryAt, retention, historySize = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local f = redis.call('HMGET', KEYS[1], 'token', 'attempts', 'maxAttempts', 'cancel', 'history', 'type')
if f[1] ~= token then
  return 0
end
redis.call('ZREM', KEYS[2], ulid)
redis.call('HDEL', KEYS[1], 'token')
local history = cjson.decode(f[5] or '[]')
history[#history + 1] = { attempt = tonumber(f[2]), at = now, error = message }
while #history > historySize do table.remove(history, 1) end
redis.call('HSET', KEYS[1], 'error', message, 'history', cjson.encode(history))
if f[4] == '1' then
  redis.call('HSET', KEYS[1], 'status', 'cancelled', 'finishedAt', now)
  redis.call('PEXPIRE', KEYS[1], retention)
  redis.call('ZADD', KEYS[6], now, ulid)
  redis.call('HINCRBY', KEYS[7], f[6] .. ':cancelled', 1)
  return 'cancelled'
end
if retryAt >= 0 and tonumber(f[2]) < tonumber(f[3]) then
  redis.call('HSET', KEYS[1], 'status', 'retrying', 'runAt', retryAt)
  redis.call('ZADD', KEYS[3], retryAt, ulid)
  -- an idle worker sleeping until a later due time must re-time its sleep
  redis.call('ZADD', KEYS[5], 0, '0')
  redis.call('HINCRBY', KEYS[7], f[6] .. ':retried', 1)
  return 'retrying'
end
redis.call('HSET', KEYS[1], 'status', 'failed', 'finishedAt', now)
redis.call('PEXPIRE', KEYS[1], retention)
redis.call('ZADD', KEYS[4], now, ulid)
redis.call('HINCRBY', KEYS[7], f[6] .. ':failed', 1)
redis.call('LPUSH', KEYS[8], ulid)
redis.call('LTRIM', KEYS[8], 0, 49)
return 'failed'
