-- failForGood(jobKey, ulid, jobType, now, retention, failed, stats, recentFailures, recentMax): the job ends
-- `failed` (dead letter) and heads the queue's list of recent failures, which keeps the latest recentMax.
-- Uses no KEYS or ARGV: the caller passes the keys and the limits.
--- @include "includes/finish"
local function failForGood(jobKey, ulid, jobType, now, retention, failed, stats, recentFailures, recentMax)
  finish(jobKey, ulid, jobType, 'failed', now, retention, failed, stats)
  redis.call('LPUSH', recentFailures, ulid)
  redis.call('LTRIM', recentFailures, 0, recentMax - 1)
end
