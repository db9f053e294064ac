-- Adds queues to the registry while it holds fewer than the cap, so the check and the registration are one step.
-- KEYS[1] registry (set of queue names)
-- ARGV[1] most queues   ARGV[2] 1 = all or nothing (refuse every new queue if not all fit), 0 = each on its own
-- ARGV[3..] queue names
-- Returns the names refused: empty when all are registered (or already were).
local registry, cap, allOrNothing = KEYS[1], tonumber(ARGV[1]), ARGV[2] == '1'
local new = {}
for i = 3, #ARGV do
  if redis.call('SISMEMBER', registry, ARGV[i]) == 0 then new[#new + 1] = ARGV[i] end
end
local room = cap - redis.call('SCARD', registry)
if allOrNothing and #new > room then return new end
local refused = {}
for _, name in ipairs(new) do
  if room > 0 then
    redis.call('SADD', registry, name)
    room = room - 1
  else
    refused[#refused + 1] = name
  end
end
return refused
