-- redisNow(): Redis' own clock in ms. Leases and due times are measured with it, so that a caller whose clock is off
-- neither steals live leases nor runs waiting jobs early.
-- Uses no KEYS or ARGV.
local function redisNow()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
