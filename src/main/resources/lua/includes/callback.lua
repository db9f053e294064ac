-- callback(prefix, ulid, status, callback, now): called where a job ends `status` (succeeded, failed, cancelled).
-- When the job's `callback` field (nil for most jobs: then this costs nothing) asks for that status, the delivery is
-- created right here, in the same script that ends the job: a queued job of the internal type `callback` in the same
-- queue, so leases, retries, recovery and wake-ups work for it as for any job. The job keeps its id in `delivery`.
-- `callback` is the JSON the API stored: {url, events, priority, maxAttempts, timeout, backoffInitial, backoffMax}.
-- The delivery's ulid is Redis' time now and the job's random part: unique, and in creation order in `all`.
-- The new delivery is a job change like any other: emitted as `queued` (see includes/emit).
-- Uses no KEYS or ARGV: the queue's ready set, sequence, marker, id index and stats are the job key prefix' siblings
-- (the same hash tag), named as QueueKeys names them.
--- @include "includes/readyScore"
--- @include "includes/emit"
local CALLBACK_ULID_TIME = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
local function callback(prefix, ulid, status, spec, now)
  if not spec then return end
  spec = cjson.decode(spec)
  local asked = false
  for _, event in ipairs(spec.events) do
    if event == status then asked = true end
  end
  if not asked then return end
  local base = string.sub(prefix, 1, -5) -- the prefix is <base>job:
  local time, t = '', now
  for _ = 1, 10 do
    local digit = t % 32
    time = string.sub(CALLBACK_ULID_TIME, digit + 1, digit + 1) .. time
    t = math.floor(t / 32)
  end
  local delivery = time .. string.sub(ulid, 11)
  redis.call('HSET', prefix .. delivery, 'type', 'callback', 'status', 'queued', 'priority', spec.priority,
    'payload', cjson.encode({ job = ulid, event = status, url = spec.url }), 'attempts', 0, 'maxAttempts', spec.maxAttempts,
    'createdAt', now, 'runAt', now, 'readyAt', now, 'timeout', spec.timeout, 'backoffInitial', spec.backoffInitial,
    'backoffMax', spec.backoffMax)
  redis.call('HSET', prefix .. ulid, 'delivery', delivery)
  redis.call('ZADD', base .. 'all', 0, delivery)
  redis.call('ZADD', base .. 'ready', readyScore(spec.priority, redis.call('INCR', base .. 'seq')), delivery)
  redis.call('ZADD', base .. 'marker', 0, '0')
  redis.call('HINCRBY', base .. 'stats', 'callback:enqueued', 1)
  emit(delivery, 'queued', 0)
end
