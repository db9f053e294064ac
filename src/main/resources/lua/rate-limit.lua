-- Takes a request of some cost from a client's rate limit of `count` per `period`, with a burst of `count`: GCRA
-- (generic cell rate algorithm), on Redis' clock, so every API process shares one limit.
-- KEYS[1] the client's limit (string "<at> <debt>", see below; expires when the limit is whole again)
-- ARGV[1] count (requests per period)   ARGV[2] period (ms)   ARGV[3] cost (requests this call counts as)
-- Returns 0 when the request passes (and is counted), else the ms until a request of the same cost would pass.
--
-- GCRA keeps a theoretical arrival time (TAT): each request pushes it on by cost x period / count; a request passes
-- while the TAT stays within one period of now (includes/gcra.lua keeps it as a debt, in whole numbers).
-- A request costing more than the burst passes only when the limit is whole (no debt); its debt is then waited out.
--- @include "includes/redisNow"
--- @include "includes/gcra"
local count, period, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now = redisNow()
local debt = gcraDebt(redis.call('GET', KEYS[1]), now, count)
local charge = cost * period
local wait = debt + math.min(0, charge - period * count)
if wait > 0 then
  return math.ceil(wait / count)
end
debt = debt + charge
redis.call('SET', KEYS[1], gcraState(now, debt), 'PX', gcraWholeIn(debt, count))
return 0
