#!lua flags=allow-oom
-- (allow-oom: an outcome is recorded even when Redis is at maxmemory; enqueue stops short of it to keep room)
-- Extend the leases a worker holds on its running jobs, in one call, and tell it which jobs it must stop.
-- KEYS[1] active   KEYS[2] job key prefix
-- ARGV[1] lease (ms)   then pairs: ulid, lease token
-- Returns {lost, cancelRequested}: ulids whose lease is gone (recovered by a reaper, or finished elsewhere), and
-- ulids a client asked to cancel (the fallback for a missed pub/sub message).
--- @include "includes/redisNow"
local now, lease = redisNow(), tonumber(ARGV[1])
local lost, cancel = {}, {}
for i = 2, #ARGV, 2 do
  local ulid, token = ARGV[i], ARGV[i + 1]
  local f = redis.call('HMGET', KEYS[2] .. ulid, 'token', 'cancel')
  if f[1] ~= token or not redis.call('ZSCORE', KEYS[1], ulid) then
    lost[#lost + 1] = ulid
  else
    redis.call('ZADD', KEYS[1], 'XX', now + lease, ulid)
    if f[2] == '1' then cancel[#cancel + 1] = ulid end
  end
end
return { lost, cancel }
