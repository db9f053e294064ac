#!lua flags=no-writes
-- The live entries of the worker registry: those whose expiry lies ahead on Redis' clock (the clock that set it).
-- KEYS[1] entries (hash: worker id -> entry JSON)   KEYS[2] expiries (sorted set: worker id scored by expiry, ms)
-- ARGV: none
-- Returns a flat list: entry JSON, expiry (ms), for each live worker.
--- @include "includes/redisNow"
local live = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. redisNow(), '+inf', 'WITHSCORES')
local found = {}
for i = 1, #live, 2 do
  local entry = redis.call('HGET', KEYS[1], live[i])
  if entry then
    found[#found + 1] = entry
    found[#found + 1] = live[i + 1]
  end
end
return found
