-- Reads schedules: one by name, or all of them.
-- KEYS[1] definitions (hash)   KEYS[2] due (sorted set)   KEYS[3] paused (set)   KEYS[4] last runs (hash)
-- KEYS[5] last fired jobs (hash)
-- ARGV[1] a name (absent: every schedule)
-- Returns {name, definition, next tick (ms, '' when none), paused (1/0), last run ('' when none), last job ('' when
-- none), ...}; empty when the named schedule does not exist.
local names
if ARGV[1] then
  names = { ARGV[1] }
else
  names = redis.call('HKEYS', KEYS[1])
end
local out = {}
for _, name in ipairs(names) do
  local definition = redis.call('HGET', KEYS[1], name)
  if definition then
    out[#out + 1] = name
    out[#out + 1] = definition
    out[#out + 1] = redis.call('ZSCORE', KEYS[2], name) or ''
    out[#out + 1] = redis.call('SISMEMBER', KEYS[3], name)
    out[#out + 1] = redis.call('HGET', KEYS[4], name) or ''
    out[#out + 1] = redis.call('HGET', KEYS[5], name) or ''
  end
end
return out
