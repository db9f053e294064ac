-- emit(ulid, status, attempt, extra): appends a job change to the queue's event stream, only while someone listens:
-- API pods reading the queue's events keep the `listening` key alive, its value being the stream's capacity (entries,
-- trimmed approximately). With nobody listening a script pays one GET, once per call, and writes nothing.
-- attempt may be nil; extra is nil or a flat list of further field, value pairs (error, progress).
-- Uses no KEYS or ARGV: the caller sets EVENTS_STREAM and EVENTS_LISTENING to its queue's keys before the first call.
local EVENTS_STREAM, EVENTS_LISTENING
local eventsCapacity
local function emit(ulid, status, attempt, extra)
  if eventsCapacity == nil then
    eventsCapacity = redis.call('GET', EVENTS_LISTENING) or false
  end
  if not eventsCapacity then return end
  local entry = { 'XADD', EVENTS_STREAM, 'MAXLEN', '~', eventsCapacity, '*', 'job', ulid, 'status', status }
  if attempt then
    entry[#entry + 1] = 'attempt'
    entry[#entry + 1] = attempt
  end
  if extra then
    for _, v in ipairs(extra) do entry[#entry + 1] = v end
  end
  redis.call(unpack(entry))
end
