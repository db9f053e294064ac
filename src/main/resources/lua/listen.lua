-- Keep a queue's events recorded while an API pod reads them: (re)sets the listening key that includes/emit.lua looks
-- for, and keeps the stream alive for its retention. When nobody was listening, the scripts recorded nothing since: a
-- `reset` entry then tells readers resuming from before it that they missed events.
-- KEYS[1] events listening   KEYS[2] events
-- ARGV[1] capacity of the stream (entries)   ARGV[2] how long the listening key lives (ms)
-- ARGV[3] how long the stream lives after the last listener (ms)
-- Returns the id of the stream's latest entry: a reader that follows the stream after it misses nothing.
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], '*', 'reset', '1')
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1][1]
