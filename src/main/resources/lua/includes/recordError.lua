-- recordError(jobKey, history, attempt, startedAt, now, message, historySize): sets a job's last error and appends it,
-- with the attempt's start (nil when unknown), to the job's error history (a JSON array, nil when empty), keeping the
-- latest historySize entries.
-- Uses no KEYS or ARGV: the caller passes the job key and the limit.
local function recordError(jobKey, history, attempt, startedAt, now, message, historySize)
  local entries = cjson.decode(history or '[]')
  entries[#entries + 1] = { attempt = attempt, startedAt = tonumber(startedAt), at = now, error = message }
  while #entries > historySize do table.remove(entries, 1) end
  redis.call('HSET', jobKey, 'error', message, 'history', cjson.encode(entries))
end
