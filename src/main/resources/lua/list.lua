-- One page of a queue's jobs, newest first, optionally only those in one status and of one type.
-- KEYS[1] job key prefix   KEYS[2] all (lex index of ids, all scores 0)
-- ARGV[1] cursor: list ids strictly older than this ulid ('' = from the newest)   ARGV[2] page size
-- ARGV[3] status filter ('' = any)   ARGV[4] most ids to examine in this call (bounds the script's run time)
-- ARGV[5] type filter ('' = any)   ARGV[6..] the job fields to return
-- Returns {jobs, lastExamined, exhausted}: jobs = list of {ulid, field values...}; exhausted = 1 when no older id is
-- left. When a filter matches few jobs the page can be short while exhausted is 0: continue from lastExamined.
local prefix = KEYS[1]
local cursor, limit, filter, scanMax, typeFilter = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4]), ARGV[5]
local upper = '+'
if cursor ~= '' then upper = '(' .. cursor end
local ids = redis.call('ZREVRANGEBYLEX', KEYS[2], upper, '-', 'LIMIT', 0, scanMax)
local jobs, last = {}, ''
local stoppedEarly = false
for i, ulid in ipairs(ids) do
  last = ulid
  local seen = redis.call('HMGET', prefix .. ulid, 'status', 'type')
  local status = seen[1]
  if not status then
    redis.call('ZREM', KEYS[2], ulid) -- expired by retention
  elseif (filter == '' or status == filter) and (typeFilter == '' or seen[2] == typeFilter) then
    local fields = redis.call('HMGET', prefix .. ulid, unpack(ARGV, 6))
    table.insert(fields, 1, ulid)
    jobs[#jobs + 1] = fields
    if #jobs == limit then
      stoppedEarly = i < #ids
      break
    end
  end
end
local exhausted = 0
if not stoppedEarly and #ids < scanMax then exhausted = 1 end
return { jobs, last, exhausted }
