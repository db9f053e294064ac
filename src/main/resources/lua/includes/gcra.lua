-- GCRA (generic cell rate algorithm) in whole numbers, on Redis' clock: shared by the API clients' rate limits and
-- the queues' rate limits. A limit of `count` per `period` ms keeps a state "<at> <debt>": how far its theoretical
-- arrival time was ahead at `at` (ms), scaled by `count`, so that each request adds `period` and each ms pays `count`
-- back; exact in Lua's doubles up to 2^53 (the callers keep within that), where an absolute time would lose sub-ms
-- steps. A request passes while the debt after it stays within burst x period.
-- gcraDebt(state, now, count): the debt left at `now` of a stored state (false or nil: none).
-- gcraState(now, debt): the state to store.   gcraWholeIn(debt, count): ms until no debt is left (the key's PX).
-- Uses no KEYS or ARGV: the callers read and write the state themselves.
local function gcraDebt(state, now, count)
  if not state then return 0 end
  local at, owed = string.match(state, '^(%d+) (%d+)$')
  if not at then return 0 end
  return math.max(0, tonumber(owed) - math.max(0, now - tonumber(at)) * count)
end

local function gcraState(now, debt)
  return string.format('%.0f %.0f', now, debt)
end

local function gcraWholeIn(debt, count)
  return string.format('%.0f', math.max(1, math.ceil(debt / count)))
end
