-- inChunks(command, key, items): one command over a whole batch of arguments (key first, unless nil), in chunks of
-- 4000 (even, so score/member pairs stay together) under Lua's stack limit for unpack.
-- Uses no KEYS or ARGV: the caller passes the key.
local function inChunks(command, key, items)
  for i = 1, #items, 4000 do
    if key then
      redis.call(command, key, unpack(items, i, math.min(i + 3999, #items)))
    else
      redis.call(command, unpack(items, i, math.min(i + 3999, #items)))
    end
  end
end
