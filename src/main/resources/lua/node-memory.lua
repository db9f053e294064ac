#!lua flags=no-writes,allow-stale
-- The memory use of the Redis node that serves KEYS[1]'s slot: on a cluster the client routes calls by key only,
-- so a key of a node's slots is how one node's INFO is read.
-- KEYS[1] any key of the node to read (not read itself)
-- Returns that node's INFO memory.
return redis.call('INFO', 'memory')
