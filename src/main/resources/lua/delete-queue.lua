-- Deletes a queue that has no waiting or running job: its finished jobs go with it, a chunk per call.
-- KEYS[1] job key prefix   KEYS[2] ready   KEYS[3] scheduled   KEYS[4] retry   KEYS[5] active   KEYS[6] all
-- KEYS[7] succeeded   KEYS[8] failed   KEYS[9] cancelled   KEYS[10] seq   KEYS[11] marker   KEYS[12] paused
-- KEYS[13] stats   KEYS[14] recent failures (a list earlier versions kept)   KEYS[15] trim mark
-- KEYS[16] idempotency keys of jobs   KEYS[17] events
-- KEYS[18] throughput per minute   KEYS[19] unique keys (sorted set of keys)   KEYS[20] unique key prefix
-- KEYS[21] limits   KEYS[22] rate limiter state
-- ARGV[1] most finished jobs to delete in this call (bounds the script's run time)
-- Returns 0 when the queue has waiting or running jobs (nothing deleted), 1 when it is gone, 2 when a chunk of its
-- finished jobs was deleted and the caller must call again.
for i = 2, 5 do
  if redis.call('ZCARD', KEYS[i]) > 0 then return 0 end
end
local ids = redis.call('ZRANGE', KEYS[6], 0, tonumber(ARGV[1]) - 1)
if #ids > 0 then
  local jobKeys = {}
  for i, ulid in ipairs(ids) do jobKeys[i] = KEYS[1] .. ulid end
  redis.call('UNLINK', unpack(jobKeys))
  redis.call('ZREM', KEYS[6], unpack(ids))
  return 2
end
-- the unique keys still held (by jobs that failed or were cancelled with scope until-done), a chunk per call
local held = redis.call('ZRANGE', KEYS[19], 0, tonumber(ARGV[1]) - 1)
if #held > 0 then
  local uniqueKeys = {}
  for i, key in ipairs(held) do uniqueKeys[i] = KEYS[20] .. key end
  redis.call('UNLINK', unpack(uniqueKeys))
  redis.call('ZREM', KEYS[19], unpack(held))
  return 2
end
redis.call('UNLINK', KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12], KEYS[13], KEYS[14], KEYS[15],
  KEYS[16], KEYS[17], KEYS[18], KEYS[19], KEYS[21], KEYS[22])
return 1
