-- Sets or removes a queue's rate and concurrency limits (a queue setting, like its pause flag), and wakes an idle
-- worker, which may now claim what the old limits held back. A new rate starts with a whole burst; the same rate
-- keeps its state, so setting it again lets nothing extra through.
-- KEYS[1] limits (hash)   KEYS[2] rate limiter state   KEYS[3] marker
-- ARGV: field, value pairs of the new limits (rate, count, period, burst, concurrency); none: remove the limits
-- Returns 1.
local old = redis.call('HMGET', KEYS[1], 'count', 'period')
redis.call('DEL', KEYS[1])
local count, period
for i = 1, #ARGV, 2 do
  if ARGV[i] == 'count' then count = ARGV[i + 1] end
  if ARGV[i] == 'period' then period = ARGV[i + 1] end
end
if #ARGV > 0 then
  redis.call('HSET', KEYS[1], unpack(ARGV))
end
if old[1] ~= count or old[2] ~= period then
  redis.call('DEL', KEYS[2])
end
redis.call('ZADD', KEYS[3], 0, '0')
return 1
