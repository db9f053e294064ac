-- Read a job and the latest entry of its queue's events stream at one instant: a reader that shows the job, then
-- the events after that entry, shows every change once.
-- KEYS[1] job key   KEYS[2] events
-- ARGV the job's fields to read
-- Returns {the fields' values, {latest entry} or an empty list}.
return { redis.call('HMGET', KEYS[1], unpack(ARGV)), redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1) }
