-- Record a job's success, if the caller still holds its lease (fencing by token).
-- KEYS[1] job key   KEYS[2] active   KEYS[3] succeeded   KEYS[4] stats (per-type counters)
-- ARGV[1] ulid   ARGV[2] lease token   ARGV[3] now (ms)   ARGV[4] result (JSON)   ARGV[5] retention (ms)
-- Returns 1 when recorded, 0 when the lease was lost (the job was recovered, cancelled or already finished).
local ulid, token, now, retention = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[5])
local f = redis.call('HMGET', KEYS[1], 'token', 'type')
if f[1] ~= token then
  return 0
end
redis.call('ZREM', KEYS[2], ulid)
redis.call('HSET', KEYS[1], 'status', 'succeeded', 'finishedAt', now, 'result', ARGV[4])
redis.call('HDEL', KEYS[1], 'token')
redis.call('PEXPIRE', KEYS[1], retention)
redis.call('ZADD', KEYS[3], now, ulid)
redis.call('HINCRBY', KEYS[4], f[2] .. ':succeeded', 1)
return 1
