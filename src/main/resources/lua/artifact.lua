-- Store a running job's artifact (one file) in the job's own hash, replacing an earlier one: it then lives and dies
-- with the job (retention, trims, deletes, queue deletion) and sits in the job's hash slot. Reads of the job name
-- their fields (HMGET), so these bytes are only read by GET /jobs/{id}/artifact.
-- Fenced like an outcome: a job whose lease token no longer matches (lease lost, or the job already ended) stores
-- nothing.
-- KEYS[1] active   KEYS[2] job key
-- ARGV[1] ulid   ARGV[2] lease token   ARGV[3] file name   ARGV[4] media type   ARGV[5] the file's bytes
-- Returns 1 when stored, 0 when the lease was lost.
if redis.call('HGET', KEYS[2], 'token') ~= ARGV[2] or not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return 0
end
redis.call('HSET', KEYS[2], 'artifact', ARGV[5], 'artifactName', ARGV[3], 'artifactType', ARGV[4])
return 1
