-- Deletes a chunk of a queue's finished jobs of one status (DELETE /queues/{name}/jobs?status=), the oldest first,
-- with everything that points at them, as retention trimming does (includes/trim), and frees the unique keys they
-- still hold. Called again and again with the cutoff of the first call: only jobs that finished at or before it are
-- taken, so the calls end however fast jobs finish meanwhile.
-- KEYS[1] job key prefix   KEYS[2] the status' index (succeeded, failed or cancelled)   KEYS[3] all
-- KEYS[4] idempotency key prefix   KEYS[5] trim mark   KEYS[6] idempotency keys of jobs
-- ARGV[1] most jobs in this call   ARGV[2] cutoff (ms, Redis' clock; '' = now, on the first call)
-- Returns {deleted, cutoff}: deleted < ARGV[1] when no such job up to the cutoff is left.
--- @include "includes/redisNow"
--- @include "includes/trim"
--- @include "includes/unique"
local prefix, most = KEYS[1], tonumber(ARGV[1])
local cutoff = ARGV[2] == '' and redisNow() or tonumber(ARGV[2])
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', cutoff, 'LIMIT', 0, most)
if #ids > 0 then
  for _, ulid in ipairs(ids) do
    releaseUnique(prefix .. ulid, ulid, redis.call('HGET', prefix .. ulid, 'unique') or nil, 'removed')
  end
  forget(KEYS[2], ids, { jobs = prefix, all = KEYS[3], idem = KEYS[4], trimmed = KEYS[5], idemKeys = KEYS[6] })
end
return { #ids, cutoff }
