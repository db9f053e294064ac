-- Keeps one worker's entry in the worker registry fresh, and drops the entries of workers that stopped heartbeating.
-- KEYS[1] entries (hash: worker id -> entry JSON)   KEYS[2] expiries (sorted set: worker id scored by expiry, ms)
-- ARGV[1] worker id   ARGV[2] entry JSON   ARGV[3] entry lifetime (ms)   ARGV[4] most entries
-- ARGV[5] most expired entries dropped in this call
-- Returns the entry's expiry (Redis' clock, ms), or -1 when the registry is full and the entry new (nothing written).
--- @include "includes/redisNow"
local entries, expiries, id = KEYS[1], KEYS[2], ARGV[1]
local now = redisNow()
local expired = redis.call('ZRANGEBYSCORE', expiries, '-inf', now, 'LIMIT', 0, tonumber(ARGV[5]))
if #expired > 0 then
  redis.call('HDEL', entries, unpack(expired))
  redis.call('ZREM', expiries, unpack(expired))
end
if not redis.call('ZSCORE', expiries, id) and redis.call('ZCARD', expiries) >= tonumber(ARGV[4]) then
  return -1
end
local expiresAt = now + tonumber(ARGV[3])
redis.call('HSET', entries, id, ARGV[2])
redis.call('ZADD', expiries, expiresAt, id)
-- both keys live as long as their longest-lived entry: with no worker left, nothing stays behind
local last = redis.call('ZRANGE', expiries, -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', entries, last[2])
redis.call('PEXPIREAT', expiries, last[2])
return expiresAt
