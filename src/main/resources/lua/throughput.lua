-- Adds a worker's counts of finished jobs to a queue's throughput per minute, and drops the minutes past the window.
-- KEYS[1] throughput (hash: '<minute>:s' succeeded, '<minute>:f' failed for good; minute = Unix time / 60 s)
-- ARGV[1] oldest minute kept   ARGV[2] key lifetime (s)   then triples: minute, succeeded, failed
local key, oldest = KEYS[1], tonumber(ARGV[1])
for i = 3, #ARGV, 3 do
  if tonumber(ARGV[i]) >= oldest then
    if ARGV[i + 1] ~= '0' then redis.call('HINCRBY', key, ARGV[i] .. ':s', ARGV[i + 1]) end
    if ARGV[i + 2] ~= '0' then redis.call('HINCRBY', key, ARGV[i] .. ':f', ARGV[i + 2]) end
  end
end
for _, field in ipairs(redis.call('HKEYS', key)) do
  if tonumber(string.match(field, '^%d+')) < oldest then redis.call('HDEL', key, field) end
end
redis.call('EXPIRE', key, ARGV[2])
return 1
