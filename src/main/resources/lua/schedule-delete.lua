-- Deletes a schedule and its state. Jobs it fired stay (they follow the usual job retention).
-- KEYS[1] definitions (hash)   KEYS[2] due (sorted set)   KEYS[3] paused (set)   KEYS[4] last runs (hash)
-- KEYS[5] last fired jobs (hash)
-- ARGV[1] name
-- Returns 1 when it existed, else 0.
local name = ARGV[1]
redis.call('ZREM', KEYS[2], name)
redis.call('SREM', KEYS[3], name)
redis.call('HDEL', KEYS[4], name)
redis.call('HDEL', KEYS[5], name)
return redis.call('HDEL', KEYS[1], name)
