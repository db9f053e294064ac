-- Store the latest progress reports of a worker's running jobs of one queue, in one call, and send each as an event.
-- Fenced like an outcome: a job whose lease token no longer matches (lease lost, or the job already ended, which
-- empties its token) stores nothing, so a report can never land after the job's outcome.
-- KEYS[1] active   KEYS[2] job key prefix   KEYS[3] events stream   KEYS[4] events listening
-- ARGV triples: ulid, lease token, progress (JSON: {"percent": n, "details": {...}, "updatedAt": "<instant>"})
-- Returns the number of reports stored.
--- @include "includes/emit"
EVENTS_STREAM, EVENTS_LISTENING = KEYS[3], KEYS[4]
local stored = 0
for i = 1, #ARGV, 3 do
  local ulid, token, progress = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local key = KEYS[2] .. ulid
  local f = redis.call('HMGET', key, 'token', 'attempts')
  if f[1] == token and redis.call('ZSCORE', KEYS[1], ulid) then
    redis.call('HSET', key, 'progress', progress)
    emit(ulid, 'running', f[2], { 'progress', progress })
    stored = stored + 1
  end
end
return stored
