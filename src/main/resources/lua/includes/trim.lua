-- Trimming of the finished-status indexes (succeeded, failed, cancelled: sorted sets scored by finishedAt), so that
-- memory stays bounded by count as well as age. `q` is a table of the queue's keys, passed by the caller from KEYS:
-- { jobs = job key prefix, all = the id index, idem = idempotency key prefix, idemKeys = the idempotency keys of
-- jobs (hash ulid -> key), trimmed = the trim mark }.
-- Uses no KEYS or ARGV.
--- @include "includes/inChunks"

local CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

-- How many more entries than it added a script removes beyond the count: a backlog (after the count was lowered)
-- drains by this much per call, and the reaper takes the rest.
local TRIM_SLACK = 10

-- forget(index, ulids, q): removes these finished jobs entirely: their hashes, their index and `all` entries, and
-- their idempotency keys (a key is deleted only while it still names this job: a newer job may have taken it over).
-- A fixed number of commands per call, whatever the number of jobs, plus a GET per job that has an idempotency key.
-- The trim mark keeps the latest creation time (ms, from the ulid) of a removed job, so a read of a missing job
-- created before it can answer "expired" instead of "not found".
local function forget(index, ulids, q)
  inChunks('ZREM', index, ulids)
  inChunks('ZREM', q.all, ulids)
  local doomed, keyed, newest = {}, {}, ulids[1]
  for i = 1, #ulids, 4000 do
    local idem = redis.call('HMGET', q.idemKeys, unpack(ulids, i, math.min(i + 3999, #ulids)))
    for j, key in ipairs(idem) do
      local ulid = ulids[i + j - 1]
      if key then
        keyed[#keyed + 1] = ulid
        local holder = redis.call('GET', q.idem .. key)
        if holder and string.sub(holder, -#ulid) == ulid then doomed[#doomed + 1] = q.idem .. key end
      end
    end
  end
  inChunks('HDEL', q.idemKeys, keyed)
  for _, ulid in ipairs(ulids) do
    doomed[#doomed + 1] = q.jobs .. ulid
    if ulid > newest then newest = ulid end
  end
  inChunks('UNLINK', nil, doomed)
  local created = 0
  for i = 1, 10 do
    created = created * 32 + string.find(CROCKFORD, string.sub(newest, i, i), 1, true) - 1
  end
  redis.call('ZADD', q.trimmed, 'GT', created, 'created')
end

-- trimToCount(index, keep, most, q): removes the oldest jobs of the index beyond the newest `keep`, at most `most` of
-- them, so a script that adds k entries and trims k + a few does work in proportion to k, never a scan. Costs one
-- ZCARD while the index is within its count. Returns how many it removed.
local function trimToCount(index, keep, most, q)
  local excess = redis.call('ZCARD', index) - keep
  if excess <= 0 or most <= 0 then return 0 end
  local gone = redis.call('ZRANGE', index, 0, math.min(excess, most) - 1)
  forget(index, gone, q)
  return #gone
end

-- trimToAge(index, cutoff, most, q): removes up to `most` jobs of the index that finished at or before `cutoff` (ms).
local function trimToAge(index, cutoff, most, q)
  if most <= 0 then return 0 end
  local gone = redis.call('ZRANGEBYSCORE', index, '-inf', cutoff, 'LIMIT', 0, most)
  if #gone > 0 then forget(index, gone, q) end
  return #gone
end
