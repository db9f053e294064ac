-- Unique keys (docs/api.md, "Unique jobs"). A job enqueued with `unique` keeps it in its hash as the field `unique` =
-- "<scope> <ttl ms> <key>", and holds the queue's key <base>unique:<key> (value: the job's ulid, expiring after the
-- ttl) while it is in its scope. The queue's sorted set <base>unique-keys lists the keys (scored by when each expires,
-- Redis' clock), so that deleting the queue deletes them.
-- Uses no KEYS or ARGV: the keys are siblings of the job key (same hash tag), named as QueueKeys names them.

-- The moments at which each scope lets its key go: the job starts running, ends failed or cancelled, succeeds, or is
-- removed.
local UNIQUE_RELEASED_AT = {
  queued = { started = true, ended = true, succeeded = true, removed = true },
  active = { ended = true, succeeded = true, removed = true },
  ['until-done'] = { succeeded = true, removed = true },
}

-- the queue's key prefix, from a job key (<base>job:<ulid>)
local function uniqueBase(jobKey, ulid)
  return string.sub(jobKey, 1, -(#ulid + 5))
end

-- releaseUnique(jobKey, ulid, spec, moment): spec is the job's `unique` field (nil for most jobs: then this costs
-- nothing). Frees the key when the job's scope ends at `moment`, only while the key still names this job.
local function releaseUnique(jobKey, ulid, spec, moment)
  if not spec then return end
  local scope, _, key = string.match(spec, '^(%S+) (%d+) (.+)$')
  if not UNIQUE_RELEASED_AT[scope][moment] then return end
  local base = uniqueBase(jobKey, ulid)
  if redis.call('GET', base .. 'unique:' .. key) == ulid then
    redis.call('DEL', base .. 'unique:' .. key)
    redis.call('ZREM', base .. 'unique-keys', key)
  end
end

-- holdUnique(jobKey, ulid, spec, now): the job takes its key for its ttl when the key is free, its own, or held by a
-- job that no longer exists (removed before its key expired). Answers the ulid of the live job holding it otherwise,
-- else nil. `now` is Redis' clock (ms); the first call also forgets keys of the list that have expired.
local uniquePurged = false
local function holdUnique(jobKey, ulid, spec, now)
  local _, ttl, key = string.match(spec, '^(%S+) (%d+) (.+)$')
  local base = uniqueBase(jobKey, ulid)
  local holder = redis.call('GET', base .. 'unique:' .. key)
  if holder and holder ~= ulid and redis.call('EXISTS', base .. 'job:' .. holder) == 1 then
    return holder
  end
  if not uniquePurged then
    redis.call('ZREMRANGEBYSCORE', base .. 'unique-keys', '-inf', now)
    uniquePurged = true
  end
  redis.call('SET', base .. 'unique:' .. key, ulid, 'PX', ttl)
  redis.call('ZADD', base .. 'unique-keys', now + tonumber(ttl), key)
  return nil
end
