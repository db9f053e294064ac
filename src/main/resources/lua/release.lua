-- Hand a running job back to the queue at once (graceful shutdown): no waiting for its lease to expire. The
-- interrupted attempt is not counted, since the job did not fail.
-- KEYS[1] job key   KEYS[2] active   KEYS[3] ready   KEYS[4] seq   KEYS[5] marker
-- ARGV[1] ulid   ARGV[2] lease token   ARGV[3] now (ms)
-- Returns 1 when handed back, 0 when the lease was already lost.
--- @include "includes/readyScore"
local ulid, token, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
if redis.call('HGET', KEYS[1], 'token') ~= token then
  return 0
end
redis.call('ZREM', KEYS[2], ulid)
redis.call('HDEL', KEYS[1], 'token')
redis.call('HINCRBY', KEYS[1], 'attempts', -1)
redis.call('HSET', KEYS[1], 'status', 'queued', 'readyAt', now)
local priority = tonumber(redis.call('HGET', KEYS[1], 'priority'))
local seq = redis.call('INCR', KEYS[4])
redis.call('ZADD', KEYS[3], readyScore(priority, seq), ulid)
redis.call('ZADD', KEYS[5], 0, '0')
return 1
