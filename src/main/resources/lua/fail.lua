-- Record a failed attempt: back to waiting as `retrying` when attempts are left and a retry time is given,
-- else `failed` (dead letter). Refused when the caller no longer holds the lease (fencing by token).
-- KEYS[1] job key   KEYS[2] active   KEYS[3] retry   KEYS[4] failed   KEYS[5] all   KEYS[6] marker
-- ARGV[1] ulid   ARGV[2] lease token   ARGV[3] now (ms)   ARGV[4] error message
-- ARGV[5] retry at (ms), or -1 when the error is not retryable   ARGV[6] failed retention (ms)
-- Returns 'retrying', 'failed', or 0 when the lease was lost.
local ulid, token, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local retryAt, retention = tonumber(ARGV[5]), tonumber(ARGV[6])
if redis.call('HGET', KEYS[1], 'token') ~= token then
  return 0
end
redis.call('ZREM', KEYS[2], ulid)
redis.call('HDEL', KEYS[1], 'token')
local f = redis.call('HMGET', KEYS[1], 'attempts', 'maxAttempts')
if retryAt >= 0 and tonumber(f[1]) < tonumber(f[2]) then
  redis.call('HSET', KEYS[1], 'status', 'retrying', 'error', ARGV[4], 'runAt', retryAt)
  redis.call('ZADD', KEYS[3], retryAt, ulid)
  -- an idle worker sleeping until a later due time must re-time its sleep
  redis.call('ZADD', KEYS[6], 0, '0')
  return 'retrying'
end
redis.call('HSET', KEYS[1], 'status', 'failed', 'error', ARGV[4], 'finishedAt', now)
redis.call('PEXPIRE', KEYS[1], retention)
redis.call('ZADD', KEYS[4], now, ulid)
local expired = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now - retention, 'LIMIT', 0, 100)
if #expired > 0 then
  redis.call('ZREM', KEYS[4], unpack(expired))
  redis.call('ZREM', KEYS[5], unpack(expired))
end
return 'failed'
