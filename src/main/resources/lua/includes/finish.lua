-- finish(jobKey, ulid, jobType, status, now, retention, index, stats): ends a job in a finished status that expires
-- (failed or cancelled): the job hash lives on for `retention` ms, the status' index gets the job at `now`, and the
-- per-type counter of the status goes up.
-- Uses no KEYS or ARGV: the caller passes the job key, the status' index and the stats hash.
local function finish(jobKey, ulid, jobType, status, now, retention, index, stats)
  redis.call('HSET', jobKey, 'status', status, 'finishedAt', now)
  redis.call('PEXPIRE', jobKey, retention)
  redis.call('ZADD', index, now, ulid)
  redis.call('HINCRBY', stats, jobType .. ':' .. status, 1)
end
